using System.Collections.Generic;
using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>The value equality of the immutable dictionaries the domains are made of (theirs is by reference).</summary>
    internal static class ImmutableMaps
    {
        public static bool SameEntries<TKey, TValue>(ImmutableDictionary<TKey, TValue> x, ImmutableDictionary<TKey, TValue> y, IEqualityComparer<TValue> values)
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
