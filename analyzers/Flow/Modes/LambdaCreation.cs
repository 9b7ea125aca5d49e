using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Where a body creates a lambda, as its flow saw it: how the lambda runs, the grad mode there, and the modes of
    /// the modules it captures there and at the end of the body (a lambda run later sees the modes the body leaves).
    /// </summary>
    internal sealed class LambdaCreation
    {
        public LambdaCreation(SyntaxNode syntax, DelegateRun run, GradFact grad, ImmutableDictionary<ISymbol, ModeFact> capturedModes)
        {
            Syntax = syntax;
            Run = run;
            Grad = grad;
            CapturedModes = capturedModes;
            CapturedModesAtExit = ImmutableDictionary<ISymbol, ModeFact>.Empty.WithComparers(SymbolEqualityComparer.Default);
        }

        /// <summary>The lambda expression.</summary>
        public SyntaxNode Syntax { get; }

        public DelegateRun Run { get; }

        /// <summary>The grad mode where the lambda is created.</summary>
        public GradFact Grad { get; }

        /// <summary>The mode of each module local or parameter the lambda captures, where it is created.</summary>
        public ImmutableDictionary<ISymbol, ModeFact> CapturedModes { get; }

        /// <summary>The same modes at the end of the body on a normal path (empty when no path ends normally).</summary>
        public ImmutableDictionary<ISymbol, ModeFact> CapturedModesAtExit { get; private set; }

        internal void SetModesAtExit(ImmutableDictionary<ISymbol, ModeFact> modes) => CapturedModesAtExit = modes;
    }
}
