using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH003: an optimizer is built over a module's unfiltered parameters while some of them may be frozen (on some
    /// path, by a freeze the flow saw) and nothing unfreezes them later in the body.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class OptimizerOverFrozenParametersAnalyzer : ModeFlowAnalyzer
    {
        /// <summary>Diagnostic property present when every parameter is frozen: no fix then, the optimizer would train nothing.</summary>
        public const string AllFrozenProperty = "AllFrozen";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.OptimizerOverFrozenParameters);


        // An optimizer built over every parameter.
        private protected override bool MayReport(BlockFacts facts) => facts.UnfilteredOptimizer;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, facts => facts.UnfilteredOptimizer && engine.MayChangeFreezing(facts, freeze: true)))
            {
                foreach (var creation in flow.OptimizerCreations)
                {
                    if (creation.Input != OptimizerInput.Unfiltered || !creation.Freeze.MayBeFrozen || IsUnfrozenLater(creation, flow))
                    {
                        continue;
                    }

                    var line = SourceLines.LineText(creation.Freeze.FrozenAt!, tree);
                    var allFrozen = creation.Freeze.AllFrozen;
                    var why = allFrozen
                        ? "all of which are frozen (" + line + "): it will train nothing"
                        : "some of which are frozen (" + line + "): TorchSharp keeps optimizer state for every parameter it is given (measured +264 MB against +8 MB); pass only the trainable ones";
                    var properties = allFrozen
                        ? ImmutableDictionary<string, string?>.Empty.Add(AllFrozenProperty, "true")
                        : ImmutableDictionary<string, string?>.Empty;

                    report(Diagnostic.Create(
                        Descriptors.OptimizerOverFrozenParameters,
                        creation.Syntax.GetLocation(),
                        properties,
                        creation.OptimizerName,
                        creation.Module.ToString(),
                        why));
                }
            }
        }

        /// <summary>
        /// Progressive unfreezing: an optimizer over every parameter is right when the body unfreezes them after building
        /// it (later in the text, or in a loop around the creation).
        /// </summary>
        private static bool IsUnfrozenLater(OptimizerCreation creation, ModeFlowResult flow)
            => flow.Unfreezes.Any(u => u.ModuleValue == creation.ModuleValue && Loops.MayRunAfter(u.Syntax, creation.Syntax));
    }
}
