using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH004: parameters of a module are unfrozen after an optimizer was built over its trainable parameters only, and
    /// that optimizer was not given them with <c>add_param_group</c>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnfrozenAfterOptimizerAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnfrozenAfterOptimizer);


        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, engine.Symbols.IsOptimizerCreation))
            {
                foreach (var unfreeze in flow.Unfreezes)
                {
                    if (unfreeze.Stale.IsEmpty)
                    {
                        continue;
                    }

                    var optimizer = unfreeze.Stale[0];
                    var creation = flow.OptimizerCreations.FirstOrDefault(c => c.Syntax == optimizer.Creation);
                    var module = creation?.Module.ToString() ?? "the module";
                    var consequence = optimizer.Materialized
                        ? "the list it was given is fixed, so the unfrozen parameters are never updated"
                        : "it re-enumerates its lazy filter at every step(), so the next step() throws KeyNotFoundException";
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.UnfrozenAfterOptimizer,
                        unfreeze.Syntax.GetLocation(),
                        module,
                        optimizer.Name,
                        optimizer.Creation.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
                        consequence));
                }
            }
        }
    }
}
