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
    /// <summary>TORCH005 fix: insert <c>module.train();</c> at the start of the training region (the loop body or the method).</summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MissingTrainCodeFixProvider))]
    [Shared]
    public sealed class MissingTrainCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string InsertTrainKey = DiagnosticIds.MissingTrain + ".InsertTrain";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingTrain);

        /// <inheritdoc />
        /// <remarks>Applied one after the other: several forward passes of one module in one region get one <c>train()</c>.</remarks>
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, key) => node is InvocationExpressionSyntax call ? InsertTrainFix.Apply(root, call) : null);

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || InsertEvalFix.ModuleOf(call) is not { } module)
            {
                return;
            }

            if (InsertTrainFix.Apply(root, call) is { } fixedRoot && fixedRoot != root)
            {
                var title = "Call '" + module.WithoutTrivia().ToString() + ".train()' at the start of the training region";
                foreach (var diagnostic in context.Diagnostics)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)), InsertTrainKey),
                        diagnostic);
                }
            }
        }
    }
}
