using System.Collections.Generic;
using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The lattice element of the mode flow: which module value each storage holds, the mode of each value
    /// (values, not storages, carry modes, so that aliases such as <c>var net = model;</c> share one), the grad
    /// mode, and the grad-mode scopes that are open with the mode each one restores when disposed; which parameters of each value may be frozen, and which
    /// optimizers were built over trainable parameters only. Immutable.
    /// </summary>
    internal sealed class ModeState
    {
        public static ModeState Empty(GradFact grad) => new ModeState(
            ImmutableDictionary<Storage, int>.Empty,
            ImmutableDictionary<int, ModeFact>.Empty,
            grad,
            ImmutableDictionary<Storage, GradFact>.Empty,
            ImmutableDictionary<int, FreezeFact>.Empty,
            ImmutableDictionary<Storage, OptimizerFact>.Empty);

        public ModeState(
            ImmutableDictionary<Storage, int> values,
            ImmutableDictionary<int, ModeFact> modes,
            GradFact grad,
            ImmutableDictionary<Storage, GradFact> scopes,
            ImmutableDictionary<int, FreezeFact> freezes,
            ImmutableDictionary<Storage, OptimizerFact> optimizers)
        {
            Values = values;
            Modes = modes;
            Grad = grad;
            Scopes = scopes;
            Freezes = freezes;
            Optimizers = optimizers;
        }

        public ImmutableDictionary<Storage, int> Values { get; }

        public ImmutableDictionary<int, ModeFact> Modes { get; }

        public GradFact Grad { get; }

        public ImmutableDictionary<Storage, GradFact> Scopes { get; }

        /// <summary>Which parameters of each module value may be frozen.</summary>
        public ImmutableDictionary<int, FreezeFact> Freezes { get; }

        /// <summary>Optimizers built over the trainable parameters of a module only, by the storage that holds them.</summary>
        public ImmutableDictionary<Storage, OptimizerFact> Optimizers { get; }

        public ModeState With(
            ImmutableDictionary<Storage, int>? values = null,
            ImmutableDictionary<int, ModeFact>? modes = null,
            GradFact? grad = null,
            ImmutableDictionary<Storage, GradFact>? scopes = null,
            ImmutableDictionary<int, FreezeFact>? freezes = null,
            ImmutableDictionary<Storage, OptimizerFact>? optimizers = null)
            => new ModeState(values ?? Values, modes ?? Modes, grad ?? Grad, scopes ?? Scopes, freezes ?? Freezes, optimizers ?? Optimizers);

        /// <summary>Value equality, for the fixpoint test and for memoising finally regions.</summary>
        public static IEqualityComparer<ModeState> Comparer { get; } = new StateComparer();

        private sealed class StateComparer : IEqualityComparer<ModeState>
        {
            public bool Equals(ModeState? x, ModeState? y)
            {
                if (ReferenceEquals(x, y))
                {
                    return true;
                }

                if (x is null || y is null || !x.Grad.Equals(y.Grad))
                {
                    return false;
                }

                return SameEntries(x.Values, y.Values, EqualityComparer<int>.Default)
                       && SameEntries(x.Modes, y.Modes, EqualityComparer<ModeFact>.Default)
                       && SameEntries(x.Scopes, y.Scopes, EqualityComparer<GradFact>.Default)
                       && SameEntries(x.Freezes, y.Freezes, EqualityComparer<FreezeFact>.Default)
                       && SameEntries(x.Optimizers, y.Optimizers, EqualityComparer<OptimizerFact>.Default);
            }

            public int GetHashCode(ModeState obj)
            {
                var hash = obj.Grad.GetHashCode() ^ (obj.Values.Count * 397) ^ (obj.Scopes.Count * 7919);
                foreach (var pair in obj.Modes)
                {
                    hash ^= (pair.Key * 31) + pair.Value.GetHashCode();
                }

                return hash;
            }

            private static bool SameEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue> x, ImmutableDictionary<TKey, TValue> y, IEqualityComparer<TValue> values)
                where TKey : notnull
            {
                if (x.Count != y.Count)
                {
                    return false;
                }

                foreach (var pair in x)
                {
                    if (!y.TryGetValue(pair.Key, out var other) || !values.Equals(pair.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
