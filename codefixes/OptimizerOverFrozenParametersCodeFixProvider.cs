using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TorchSharp.Analyzers.CodeFixes.Common;
using TorchSharp.Analyzers.Rules;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>TORCH003 fix: give the optimizer the trainable parameters only, materialized. Not offered when all are frozen.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OptimizerOverFrozenParametersCodeFixProvider))]
    [Shared]
    public sealed class OptimizerOverFrozenParametersCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string FilterTrainableKey = DiagnosticIds.OptimizerOverFrozenParameters + ".FilterTrainable";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.OptimizerOverFrozenParameters);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(
            (root, node, _) => TrainableParametersFix.Apply(root, node),
            AddLinqImportAsync,
            IsFixable);

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (IsFixable(diagnostic) && TrainableParametersFix.Apply(root, node) is { } fixedRoot)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Pass only the trainable parameters (materialized)",
                            cancellationToken => AddLinqImportAsync(context.Document.WithSyntaxRoot(fixedRoot), cancellationToken),
                            FilterTrainableKey),
                        diagnostic);
                }
            }
        }

        /// <summary>When every parameter is frozen there is nothing to filter to: the optimizer would train nothing.</summary>
        private static bool IsFixable(Diagnostic diagnostic)
            => !diagnostic.Properties.ContainsKey(OptimizerOverFrozenParametersAnalyzer.AllFrozenProperty);

        private static async Task<Document> AddLinqImportAsync(Document document, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || compilation is null)
            {
                return document;
            }

            return document.WithSyntaxRoot(TrainableParametersFix.WithLinqImport(root, compilation.SyntaxTrees));
        }
    }
}
