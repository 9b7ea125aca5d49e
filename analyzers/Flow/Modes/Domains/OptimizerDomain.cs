using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The optimizer domain: the optimizers built over the trainable parameters of a module only, by the storage that
    /// holds them (TORCH004: an unfreeze of the module leaves them behind). Immutable; a struct, so that the product
    /// <see cref="ModeState"/> changes it without another allocation.
    /// </summary>
    internal readonly struct OptimizerDomain : IEquatable<OptimizerDomain>
    {
        public OptimizerDomain(ImmutableDictionary<Storage, OptimizerFact> byStorage) => ByStorage = byStorage;

        public static OptimizerDomain Empty => new OptimizerDomain(ImmutableDictionary<Storage, OptimizerFact>.Empty);

        public ImmutableDictionary<Storage, OptimizerFact> ByStorage { get; }

        public OptimizerDomain Holding(Storage storage, OptimizerFact optimizer) => new OptimizerDomain(ByStorage.SetItem(storage, optimizer));

        /// <summary>The optimizer in <paramref name="storage"/> was given more parameters (<c>add_param_group</c>): no longer followed.</summary>
        public OptimizerDomain Forgetting(Storage storage) => new OptimizerDomain(ByStorage.Remove(storage));

        /// <summary>The optimizers over the module value <paramref name="id"/>, in source order: an unfreeze of it leaves them behind.</summary>
        public ImmutableArray<OptimizerFact> Over(int id)
            => ByStorage.Values.Where(o => o.ModuleValue == id).OrderBy(o => o.Creation.SpanStart).ToImmutableArray();

        /// <summary>The join: an optimizer held on either path (the right path's where both hold one).</summary>
        public static OptimizerDomain Join(OptimizerDomain left, OptimizerDomain right)
        {
            var optimizers = left.ByStorage.ToBuilder();
            foreach (var pair in right.ByStorage)
            {
                optimizers[pair.Key] = pair.Value;
            }

            return new OptimizerDomain(optimizers.ToImmutable());
        }

        public bool Equals(OptimizerDomain other) => ImmutableMaps.SameEntries(ByStorage, other.ByStorage, EqualityComparer<OptimizerFact>.Default);

        public override bool Equals(object? obj) => obj is OptimizerDomain other && Equals(other);

        public override int GetHashCode() => ByStorage.Count;
    }
}
