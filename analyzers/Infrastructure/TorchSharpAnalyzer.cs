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
                // Only the references are read here. TorchSharp's symbols are resolved by the first callback that needs
                // them (TorchSymbols.For, cached per compilation), once the driver has bound code and with it the
                // references: resolving them at compilation start would do that work ahead of the compiler, on our clock.
                if (TorchSymbols.IsReferenced(start.Compilation))
                {
                    Register(start);
                }
            });
        }

        /// <summary>
        /// Registers the rule's actions for a compilation that references TorchSharp; each action asks
        /// <see cref="TorchSymbols.For"/> and does nothing when it answers null.
        /// </summary>
        private protected abstract void Register(CompilationStartAnalysisContext context);
    }
}
