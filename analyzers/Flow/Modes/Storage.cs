using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

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

        /// <summary>
        /// The storage <paramref name="operation"/> reads or writes: a local, a parameter, a field or parameterless property
        /// of <c>this</c>, <c>this</c> itself, or a flow capture; null for anything else.
        /// </summary>
        public static Storage? Referenced(IOperation operation)
        {
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return Of(local.Local);
                case IParameterReferenceOperation parameter:
                    return Of(parameter.Parameter);
                case IFieldReferenceOperation field when field.Instance is null || field.Instance is IInstanceReferenceOperation:
                    return Of(field.Field);
                case IPropertyReferenceOperation property when property.Arguments.IsEmpty && (property.Instance is null || property.Instance is IInstanceReferenceOperation):
                    return Of(property.Property);
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return This;
                case IFlowCaptureReferenceOperation capture:
                    return Of(capture.Id);
                default:
                    return null;
            }
        }

        public bool Equals(Storage other)
            => IsThis == other.IsThis
               && Nullable.Equals(Capture, other.Capture)
               && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

        public override bool Equals(object? obj) => obj is Storage other && Equals(other);

        public override int GetHashCode()
            => IsThis ? 1 : Capture?.GetHashCode() ?? SymbolEqualityComparer.Default.GetHashCode(Symbol);
    }
}
