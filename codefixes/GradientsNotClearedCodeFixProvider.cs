using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.CodeFixes.Common;
using TorchSharp.Analyzers.Rules;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH011 fix, for gradients never cleared: insert <c>optimizer.zero_grad();</c> at the start of the loop body
    /// (<see cref="InsertZeroGradFix"/>). A zero_grad() between backward() and step() gets no automatic fix: where it
    /// should go depends on what the code meant.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GradientsNotClearedCodeFixProvider))]
    [Shared]
    public sealed class GradientsNotClearedCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string InsertZeroGradKey = DiagnosticIds.GradientsNotCleared + ".InsertZeroGrad";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GradientsNotCleared);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key) => node is InvocationExpressionSyntax call ? InsertZeroGradFix.Apply(root, call) : null,
            isFixable: IsFixable);

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax step
                || step.Expression is not MemberAccessExpressionSyntax member)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (IsFixable(diagnostic) && InsertZeroGradFix.Apply(root, step) is { } fixedRoot && fixedRoot != root)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Call '" + member.Expression.WithoutTrivia() + ".zero_grad()' at the start of the loop body",
                            _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                            InsertZeroGradKey),
                        diagnostic);
                }
            }
        }

        private static bool IsFixable(Diagnostic diagnostic)
            => diagnostic.Properties.TryGetValue(GradientsNotClearedAnalyzer.KindProperty, out var kind) && kind == GradientsNotClearedAnalyzer.NeverCleared;
    }
}
