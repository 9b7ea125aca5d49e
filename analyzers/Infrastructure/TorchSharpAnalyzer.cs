using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Infrastructure
{
    /// <summary>
    /// The boilerplate every rule shares: concurrent execution, generated code skipped, and the TorchSharp
    /// gate. A rule only says what to register once it knows TorchSharp is referenced.
    /// </summary>
    public abstract class TorchSharpAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public sealed override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                if (TorchSymbols.For(start.Compilation) is { } symbols)
                {
                    Register(start, symbols);
                }
            });
        }

        /// <summary>Registers the rule's actions for a compilation that references TorchSharp.</summary>
        private protected abstract void Register(CompilationStartAnalysisContext context, TorchSymbols symbols);
    }
}
