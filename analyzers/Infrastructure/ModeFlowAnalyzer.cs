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
                if (!block.OperationBlocks.IsEmpty && TorchSymbols.For(block.Compilation) is { } symbols)
                {
                    Analyze(block, ModeFlowEngine.For(block.Compilation, symbols, block.Options));
                }
            });

        /// <summary>Asks the engine about one operation block and reports.</summary>
        private protected abstract void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine);
    }
}
