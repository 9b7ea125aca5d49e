using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The grad-mode domain: the grad mode in force, and the grad-mode scopes that are open, by the storage that holds
    /// each, with the mode each one restores when disposed. Immutable; a struct, so that the product
    /// <see cref="ModeState"/> changes it without another allocation.
    /// </summary>
    internal readonly struct GradModeDomain : IEquatable<GradModeDomain>
    {
        public GradModeDomain(GradFact current, ImmutableDictionary<Storage, GradFact> scopes)
        {
            Current = current;
            Scopes = scopes;
        }

        public static GradModeDomain Entering(GradFact grad) => new GradModeDomain(grad, ImmutableDictionary<Storage, GradFact>.Empty);

        /// <summary>The grad mode in force.</summary>
        public GradFact Current { get; }

        /// <summary>The open scopes, by the storage that holds each, with the mode its <c>Dispose()</c> restores.</summary>
        public ImmutableDictionary<Storage, GradFact> Scopes { get; }

        /// <summary>A grad switch put <paramref name="grad"/> in force; its scope object is not stored yet.</summary>
        public GradModeDomain Switched(GradFact grad) => new GradModeDomain(grad, Scopes);

        /// <summary>The scope object of a switch went into <paramref name="storage"/>: disposing it restores <paramref name="saved"/>.</summary>
        public GradModeDomain Holding(Storage storage, GradFact saved) => new GradModeDomain(Current, Scopes.SetItem(storage, saved));

        /// <summary>The scope held in <paramref name="storage"/> was disposed: the mode it saved is back in force.</summary>
        public GradModeDomain Disposed(Storage storage, GradFact restored) => new GradModeDomain(restored, Scopes.Remove(storage));

        /// <summary>The join: the grad modes joined, and each scope open on either path with the join of what it restores.</summary>
        public static GradModeDomain Join(GradModeDomain left, GradModeDomain right)
        {
            var scopes = left.Scopes.ToBuilder();
            foreach (var pair in right.Scopes)
            {
                scopes[pair.Key] = scopes.TryGetValue(pair.Key, out var mine) ? mine.Join(pair.Value) : pair.Value;
            }

            return new GradModeDomain(left.Current.Join(right.Current), scopes.ToImmutable());
        }

        public bool Equals(GradModeDomain other)
            => Current.Equals(other.Current) && ImmutableMaps.SameEntries(Scopes, other.Scopes, EqualityComparer<GradFact>.Default);

        public override bool Equals(object? obj) => obj is GradModeDomain other && Equals(other);

        public override int GetHashCode() => Current.GetHashCode() ^ (Scopes.Count * 7919);
    }
}
