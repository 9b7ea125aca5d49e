using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using TorchSharp.Analyzers.CodeFixes.Common;
using TorchSharp.Analyzers.Rules;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH002 fix: run the inference forward pass with autograd off — a <c>using (torch.no_grad())</c> block around
    /// the region, or a using declaration of <c>torch.no_grad()</c> or <c>torch.inference_mode()</c> for the rest of the block.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MissingNoGradCodeFixProvider))]
    [Shared]
    public sealed class MissingNoGradCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the using-block action.</summary>
        public const string UsingBlockKey = DiagnosticIds.MissingNoGrad + ".UsingBlock";

        /// <summary>Equivalence key of the <c>using var … = torch.no_grad();</c> action.</summary>
        public const string UsingDeclarationKey = DiagnosticIds.MissingNoGrad + ".UsingDeclaration";

        /// <summary>Equivalence key of the <c>using var … = torch.inference_mode();</c> action.</summary>
        public const string InferenceModeKey = DiagnosticIds.MissingNoGrad + ".InferenceMode";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingNoGrad);

        /// <inheritdoc />
        /// <remarks>Applied one after the other: an invocation that an earlier fix already put under the new scope is left alone.</remarks>
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key, diagnostic) => node is InvocationExpressionSyntax call ? NoGradScopeFix.Apply(root, call, ShapeOf(key), LambdaReturnsValue(diagnostic)) : null,
            AddImportsAsync);

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
                Offer(context, diagnostic, root, call, "Wrap the inference in 'using (torch.no_grad())'", UsingBlockKey);
                Offer(context, diagnostic, root, call, "Disable autograd for the rest of the block ('using var … = torch.no_grad();')", UsingDeclarationKey);
                Offer(context, diagnostic, root, call, "Use inference mode for the rest of the block ('using var … = torch.inference_mode();')", InferenceModeKey);
            }
        }

        private static void Offer(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, InvocationExpressionSyntax call, string title, string key)
        {
            // Computed up front so that an action is offered only where it fits.
            if (NoGradScopeFix.Apply(root, call, ShapeOf(key), LambdaReturnsValue(diagnostic)) is { } fixedRoot && fixedRoot != root)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => AddImportsAsync(context.Document.WithSyntaxRoot(fixedRoot), cancellationToken), key),
                    diagnostic);
            }
        }

        /// <summary>Adds <c>using TorchSharp;</c> where the new <c>torch.…()</c> call needs it; the simplifier then shortens the call.</summary>
        private static Task<Document> AddImportsAsync(Document document, CancellationToken cancellationToken)
            => ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

        private static bool? LambdaReturnsValue(Diagnostic diagnostic)
            => diagnostic.Properties.TryGetValue(MissingNoGradAnalyzer.LambdaReturnsValueProperty, out var value) && value is { } text
                ? text == "true"
                : (bool?)null;

        private static NoGradScopeFix.Shape ShapeOf(string? key)
            => key switch
            {
                UsingDeclarationKey => NoGradScopeFix.Shape.UsingDeclaration,
                InferenceModeKey => NoGradScopeFix.Shape.InferenceMode,
                _ => NoGradScopeFix.Shape.UsingBlock,
            };
    }
}
