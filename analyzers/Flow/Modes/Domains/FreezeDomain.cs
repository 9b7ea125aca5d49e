using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The freeze domain: which parameters of each module value may be frozen. Keyed by the values of the
    /// <see cref="ModuleModeDomain"/>, so its join needs that domain's (a merged value may be frozen as either value
    /// was). Immutable; a struct, so that the product <see cref="ModeState"/> changes it without another allocation.
    /// </summary>
    internal readonly struct FreezeDomain : IEquatable<FreezeDomain>
    {
        public FreezeDomain(ImmutableDictionary<int, FreezeFact> byValue) => ByValue = byValue;

        public static FreezeDomain Empty => new FreezeDomain(ImmutableDictionary<int, FreezeFact>.Empty);

        /// <summary>The freeze state of each value the flow wrote.</summary>
        public ImmutableDictionary<int, FreezeFact> ByValue { get; }

        /// <summary>The freeze state of a value: unknown on entry (or unseen), all trainable when created here.</summary>
        public FreezeFact Of(int id, ModuleValueIds ids)
        {
            if (ByValue.TryGetValue(id, out var fact))
            {
                return fact;
            }

            return ids.IsCreatedHere(id) ? FreezeFact.Trainable : FreezeFact.Unknown;
        }

        public FreezeDomain With(int id, FreezeFact fact) => new FreezeDomain(ByValue.SetItem(id, fact));

        /// <summary>
        /// The join: each value's freeze state joined (a value one path did not write has its unwritten state there), and
        /// each merged value of <paramref name="joinedModules"/> frozen as either of the values it merges.
        /// </summary>
        public static FreezeDomain Join(
            FreezeDomain left,
            FreezeDomain right,
            ModuleModeDomain leftModules,
            ModuleModeDomain rightModules,
            ModuleModeDomain joinedModules,
            List<Storage> storages,
            ModuleValueIds ids)
        {
            var freezes = left.ByValue.ToBuilder();
            foreach (var pair in right.ByValue)
            {
                freezes[pair.Key] = left.Of(pair.Key, ids).Join(pair.Value);
            }

            foreach (var pair in left.ByValue)
            {
                if (!right.ByValue.ContainsKey(pair.Key))
                {
                    freezes[pair.Key] = pair.Value.Join(right.Of(pair.Key, ids));
                }
            }

            foreach (var storage in storages)
            {
                // A merged value's parameters may be frozen as either value's were.
                if (joinedModules.Values.TryGetValue(storage, out var held) && ModuleValueIds.IsMergeId(held))
                {
                    var merged = left.Of(ids.ValueIn(leftModules, storage), ids).Join(right.Of(ids.ValueIn(rightModules, storage), ids));
                    freezes[held] = freezes.TryGetValue(held, out var existing) ? existing.Join(merged) : merged;
                }
            }

            return new FreezeDomain(freezes.ToImmutable());
        }

        public bool Equals(FreezeDomain other) => ImmutableMaps.SameEntries(ByValue, other.ByValue, EqualityComparer<FreezeFact>.Default);

        public override bool Equals(object? obj) => obj is FreezeDomain other && Equals(other);

        public override int GetHashCode() => ByValue.Count;
    }
}
