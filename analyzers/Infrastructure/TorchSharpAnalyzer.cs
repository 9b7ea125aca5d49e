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
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysis);
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
        /// Generated code is never analysed. A rule whose every diagnostic lies inside the operations the driver gave it
        /// (so never in generated code, which the driver does not give) may also say
        /// <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/>: the driver then skips its check of each reported
        /// location, which on the first diagnostic of a file walks every declaration of that file for a
        /// <c>[GeneratedCode]</c> attribute (docs/performance.md, "Real code").
        /// </summary>
        private protected virtual GeneratedCodeAnalysisFlags GeneratedCodeAnalysis => GeneratedCodeAnalysisFlags.None;

        /// <summary>
        /// Registers the rule's actions for a compilation that references TorchSharp; each action asks
        /// <see cref="TorchSymbols.For"/> and does nothing when it answers null.
        /// </summary>
        private protected abstract void Register(CompilationStartAnalysisContext context);
    }
}
