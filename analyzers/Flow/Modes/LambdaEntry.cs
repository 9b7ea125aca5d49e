using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The state a lambda's body starts in, when the code around it tells (<see cref="LambdaEntries"/>): the grad mode it
    /// runs in and the modes of the modules it captures. Without one, a lambda starts with everything unknown.
    /// </summary>
    internal sealed class LambdaEntry
    {
        public LambdaEntry(DelegateRun run, GradFact grad, ImmutableDictionary<ISymbol, ModeFact> capturedModes)
        {
            Run = run;
            Grad = grad;
            CapturedModes = capturedModes;
        }

        /// <summary>How the lambda runs: in place, or on another thread.</summary>
        public DelegateRun Run { get; }

        public GradFact Grad { get; }

        /// <summary>The modules the lambda captures whose mode is known where it runs.</summary>
        public ImmutableDictionary<ISymbol, ModeFact> CapturedModes { get; }
    }
}
