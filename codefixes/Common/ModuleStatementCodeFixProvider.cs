using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// The shape shared by the fixes that insert one statement about the module of a reported forward pass
    /// (<c>model.eval();</c>, <c>model.train();</c>): one action, offered only where the rewrite fits and changes
    /// something, and a sequential Fix All so that several passes of one module in one region get one statement.
    /// </summary>
    public abstract class ModuleStatementCodeFixProvider : CodeFixProvider
    {
        /// <summary>The action's equivalence key.</summary>
        private protected abstract string EquivalenceKey { get; }

        /// <summary>The action's title for the module as written.</summary>
        private protected abstract string TitleFor(string module);

        /// <summary>The fixed root; the same root when the statement is already there; null when the fix does not fit.</summary>
        private protected abstract SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax forwardPass);

        /// <inheritdoc />
        public sealed override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key) => node is InvocationExpressionSyntax call ? Apply(root, call) : null);

        /// <inheritdoc />
        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || InsertEvalFix.ModuleOf(call) is not { } module)
            {
                return;
            }

            // Computed up front so that the action is offered only where it fits.
            if (Apply(root, call) is { } fixedRoot && fixedRoot != root)
            {
                var title = TitleFor(module.WithoutTrivia().ToString());
                foreach (var diagnostic in context.Diagnostics)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), EquivalenceKey),
                        diagnostic);
                }
            }
        }
    }
}
