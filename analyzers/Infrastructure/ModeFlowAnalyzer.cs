using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Infrastructure
{
    /// <summary>
    /// The base of the rules that ask the mode-flow engine: one engine per compilation, shared by all of them, and one
    /// call per operation block (member body, with its lambdas and local functions).
    /// </summary>
    public abstract class ModeFlowAnalyzer : TorchSharpAnalyzer
    {
        private protected sealed override void Register(CompilationStartAnalysisContext context)
            => context.RegisterOperationBlockAction(block =>
            {
                if (!block.OperationBlocks.IsEmpty && TorchSymbols.For(block.Compilation) is { } symbols
                    && ModeFlowEngine.For(block.Compilation, symbols, block.Options) is var engine
                    && (engine.Exhaustive || MayReport(block, engine, engine.FactsOf(block))))
                {
                    // A body steered by a flag is judged once per value of it: the same finding may come twice.
                    var reported = new HashSet<Location>();
                    Analyze(block, engine, diagnostic =>
                    {
                        if (reported.Add(diagnostic.Location))
                        {
                            block.ReportDiagnostic(diagnostic);
                        }
                    });
                }
            });

        /// <summary>
        /// The rule's first necessary fact, asked before anything is allocated for the block: most blocks lack it, and each
        /// of the rules is called for every block of the compilation.
        /// </summary>
        private protected abstract bool MayReport(BlockFacts facts);

        /// <summary>
        /// The gate with the block at hand: <see cref="MayReport(BlockFacts)"/> unless a rule also reports on blocks that
        /// lack every fact the engine gathers (TORCH002 at a call of a helper, a block that may run no model itself).
        /// </summary>
        private protected virtual bool MayReport(OperationBlockAnalysisContext context, ModeFlowEngine engine, BlockFacts facts) => MayReport(facts);

        /// <summary>Asks the engine about one operation block and reports through <paramref name="report"/> (each location once).</summary>
        private protected abstract void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report);
    }
}
