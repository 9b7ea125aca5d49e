using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.CodeFixes.Common;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH006 fix: dispose the grad-mode scope with a <c>using</c> declaration (the rest of the block is the scope)
    /// or with a <c>using</c> block around the statements that follow.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(UndisposedGradModeScopeCodeFixProvider))]
    [Shared]
    public sealed class UndisposedGradModeScopeCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the using-declaration action.</summary>
        public const string UsingDeclarationKey = DiagnosticIds.UndisposedGradModeScope + ".UsingDeclaration";

        /// <summary>Equivalence key of the using-block action.</summary>
        public const string UsingBlockKey = DiagnosticIds.UndisposedGradModeScope + ".UsingBlock";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UndisposedGradModeScope);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key) => node is InvocationExpressionSyntax call ? GradScopeUsingFix.Apply(root, call, ShapeOf(key)) : null);

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                Offer(context, diagnostic, root, call, "Dispose it with a 'using' declaration (scope ends with the block)", UsingDeclarationKey);
                Offer(context, diagnostic, root, call, "Wrap the following statements in a 'using' block", UsingBlockKey);
            }
        }

        private static void Offer(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, InvocationExpressionSyntax call, string title, string key)
        {
            // Computed up front so that an action is offered only where it fits.
            if (GradScopeUsingFix.Apply(root, call, ShapeOf(key)) is { } fixedRoot)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), key),
                    diagnostic);
            }
        }

        private static GradScopeUsingFix.Shape ShapeOf(string? key)
            => key == UsingBlockKey ? GradScopeUsingFix.Shape.UsingBlock : GradScopeUsingFix.Shape.UsingDeclaration;
    }
}
