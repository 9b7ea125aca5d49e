using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The module-mode domain: which module value each storage holds, and the mode of each value. Values, not storages,
    /// carry modes, so that aliases such as <c>var net = model;</c> share one; that is why aliasing and modes are one
    /// domain. A value or storage the flow has not written has its entry value and mode (<see cref="ModuleValueIds"/>).
    /// Immutable; a struct, so that the product <see cref="ModeState"/> changes it without another allocation.
    /// </summary>
    internal readonly struct ModuleModeDomain : IEquatable<ModuleModeDomain>
    {
        public ModuleModeDomain(ImmutableDictionary<Storage, int> values, ImmutableDictionary<int, ModeFact> modes)
        {
            Values = values;
            Modes = modes;
        }

        public static ModuleModeDomain Empty => new ModuleModeDomain(ImmutableDictionary<Storage, int>.Empty, ImmutableDictionary<int, ModeFact>.Empty);

        /// <summary>The value each storage holds, where the flow wrote it.</summary>
        public ImmutableDictionary<Storage, int> Values { get; }

        /// <summary>The mode of each value the flow wrote or read.</summary>
        public ImmutableDictionary<int, ModeFact> Modes { get; }

        public ModuleModeDomain WithMode(int id, ModeFact mode) => new ModuleModeDomain(Values, Modes.SetItem(id, mode));

        public ModuleModeDomain Holding(Storage storage, int id) => new ModuleModeDomain(Values.SetItem(storage, id), Modes);

        /// <summary>
        /// The storages either state holds a value in, left's first: the join visits them in this order (ids of merged
        /// values are allocated on the way), and the freeze domain's join visits them again.
        /// </summary>
        public static List<Storage> StoragesOf(ModuleModeDomain left, ModuleModeDomain right)
        {
            // Without LINQ: a join runs at every merge of every fixpoint iteration.
            var storages = new List<Storage>(left.Values.Count + right.Values.Count);
            foreach (var pair in left.Values)
            {
                storages.Add(pair.Key);
            }

            foreach (var pair in right.Values)
            {
                if (!left.Values.ContainsKey(pair.Key))
                {
                    storages.Add(pair.Key);
                }
            }

            return storages;
        }

        /// <summary>
        /// The join: each value's mode joined; a storage holding different values on the two paths holds a merged value
        /// whose mode is the join of both. <paramref name="storages"/> is <see cref="StoragesOf"/> of the two.
        /// </summary>
        public static ModuleModeDomain Join(ModuleModeDomain left, ModuleModeDomain right, List<Storage> storages, ModuleValueIds ids)
        {
            var values = left.Values.ToBuilder();
            var modes = left.Modes.ToBuilder();
            foreach (var pair in right.Modes)
            {
                modes[pair.Key] = modes.TryGetValue(pair.Key, out var mine) ? mine.Join(pair.Value) : pair.Value;
            }

            // An entry value that one path never touched still has its entry mode on that path.
            JoinEntryModesOnlyIn(left.Modes, right.Modes, modes, left, right, ids);
            JoinEntryModesOnlyIn(right.Modes, left.Modes, modes, left, right, ids);

            foreach (var storage in storages)
            {
                var leftId = ids.ValueIn(left, storage);
                var rightId = ids.ValueIn(right, storage);
                if (leftId == rightId)
                {
                    if (leftId != ModuleValueIds.NoValue)
                    {
                        values[storage] = leftId;
                    }

                    continue;
                }

                // Different values on the two paths: the storage now holds a merged value whose mode is the join.
                var merged = ids.MergeIdOf(storage);
                var mode = ids.ModeIn(left, leftId).Join(ids.ModeIn(right, rightId));
                if (modes.TryGetValue(merged, out var existing))
                {
                    mode = mode.Join(existing);
                }

                values[storage] = merged;
                modes[merged] = mode;
                AddEntryMode(modes, left, leftId, ids);
                AddEntryMode(modes, right, rightId, ids);
            }

            return new ModuleModeDomain(values.ToImmutable(), modes.ToImmutable());
        }

        private static void JoinEntryModesOnlyIn(
            ImmutableDictionary<int, ModeFact> some,
            ImmutableDictionary<int, ModeFact> other,
            ImmutableDictionary<int, ModeFact>.Builder modes,
            ModuleModeDomain left,
            ModuleModeDomain right,
            ModuleValueIds ids)
        {
            foreach (var pair in some)
            {
                if (ModuleValueIds.IsEntryId(pair.Key) && !other.ContainsKey(pair.Key))
                {
                    modes[pair.Key] = ids.ModeIn(left, pair.Key).Join(ids.ModeIn(right, pair.Key));
                }
            }
        }

        private static void AddEntryMode(ImmutableDictionary<int, ModeFact>.Builder modes, ModuleModeDomain state, int id, ModuleValueIds ids)
        {
            if (id != ModuleValueIds.NoValue && !modes.ContainsKey(id))
            {
                modes[id] = ids.ModeIn(state, id);
            }
        }

        public bool Equals(ModuleModeDomain other)
            => ImmutableMaps.SameEntries(Values, other.Values, EqualityComparer<int>.Default)
               && ImmutableMaps.SameEntries(Modes, other.Modes, EqualityComparer<ModeFact>.Default);

        public override bool Equals(object? obj) => obj is ModuleModeDomain other && Equals(other);

        public override int GetHashCode()
        {
            var hash = Values.Count * 397;
            foreach (var pair in Modes)
            {
                hash ^= (pair.Key * 31) + pair.Value.GetHashCode();
            }

            return hash;
        }
    }
}
