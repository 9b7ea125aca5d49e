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
    /// TORCH001 fix: insert <c>module.eval();</c> right before the inference region — before the outermost
    /// <c>using (torch.no_grad())</c> around the invocation, or before the statement that holds it.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MissingEvalCodeFixProvider))]
    [Shared]
    public sealed class MissingEvalCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string InsertEvalKey = DiagnosticIds.MissingEval + ".InsertEval";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingEval);

        /// <inheritdoc />
        /// <remarks>Applied one after the other: two invocations of one module in one region get one <c>eval()</c>.</remarks>
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key) => node is InvocationExpressionSyntax call ? InsertEvalFix.Apply(root, call) : null);

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || InsertEvalFix.ModuleOf(call) is not { } module)
            {
                return;
            }

            // Computed up front so that the action is offered only where it fits.
            if (InsertEvalFix.Apply(root, call) is { } fixedRoot && fixedRoot != root)
            {
                var title = "Call '" + module.WithoutTrivia().ToString() + ".eval()' before the inference region";
                foreach (var diagnostic in context.Diagnostics)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), InsertEvalKey),
                        diagnostic);
                }
            }
        }
    }
}
