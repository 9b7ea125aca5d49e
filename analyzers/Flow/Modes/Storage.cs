using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// A place that holds a module value along the flow: a local, a parameter, a field or property of <c>this</c>
    /// (or static), <c>this</c> itself, or one of the graph's flow captures.
    /// </summary>
    internal readonly struct Storage : IEquatable<Storage>
    {
        private Storage(ISymbol? symbol, CaptureId? capture, bool isThis)
        {
            Symbol = symbol;
            Capture = capture;
            IsThis = isThis;
        }

        public ISymbol? Symbol { get; }

        public CaptureId? Capture { get; }

        public bool IsThis { get; }

        /// <summary>Whether the storage has a value when the function starts (a parameter, a field, <c>this</c>).</summary>
        public bool HasEntryValue => IsThis || Symbol is IParameterSymbol || Symbol is IFieldSymbol || Symbol is IPropertySymbol;

        public static Storage Of(ISymbol symbol) => new Storage(symbol, null, false);

        public static Storage Of(CaptureId capture) => new Storage(null, capture, false);

        public static Storage This { get; } = new Storage(null, null, true);

        public bool Equals(Storage other)
            => IsThis == other.IsThis
               && Nullable.Equals(Capture, other.Capture)
               && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

        public override bool Equals(object? obj) => obj is Storage other && Equals(other);

        public override int GetHashCode()
            => IsThis ? 1 : Capture?.GetHashCode() ?? SymbolEqualityComparer.Default.GetHashCode(Symbol);
    }
}
