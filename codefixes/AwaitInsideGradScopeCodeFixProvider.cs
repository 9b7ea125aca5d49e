using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TorchSharp.Analyzers.CodeFixes.Common;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH009 fix: end the grad-mode scope before the awaiting statement and open it again after it, or, when nothing of
    /// the scope runs before the await, move the statement before the scope (<see cref="AwaitScopeSplitFix"/>).
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(AwaitInsideGradScopeCodeFixProvider))]
    [Shared]
    public sealed class AwaitInsideGradScopeCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the action (both shapes: the split, and the move when nothing comes before the await).</summary>
        public const string EndScopeAroundAwaitKey = DiagnosticIds.AwaitInsideGradScope + ".EndScopeAroundAwait";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AwaitInsideGradScope);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider((root, node, _) => AwaitScopeSplitFix.Apply(root, node));

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (AwaitScopeSplitFix.Apply(root, node) is { } fixedRoot)
                {
                    var title = AwaitScopeSplitFix.MovesOnly(root, node)
                        ? "Move the await before the grad-mode scope"
                        : "End the grad-mode scope before the await and reopen it after";
                    context.RegisterCodeFix(
                        CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), EndScopeAroundAwaitKey),
                        diagnostic);
                }
            }
        }
    }
}
