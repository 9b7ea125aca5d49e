using System;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>Which of a module's parameters may be frozen (<c>requires_grad == false</c>) at a program point; a may-set.</summary>
    [Flags]
    internal enum FreezeFlags
    {
        None = 0,

        /// <summary>As it entered the function, or after unknown code had it: the flow does not know.</summary>
        Unknown = 1,

        /// <summary>Every parameter trainable (a module created in the flow, or unfrozen as a whole).</summary>
        NoneFrozen = 2,

        /// <summary>Some parameters frozen: a name filter, a submodule, a single parameter.</summary>
        SomeFrozen = 4,

        /// <summary>Every parameter frozen.</summary>
        AllFrozen = 8,
    }

    /// <summary>The freeze state of one module value, with the first freeze that put it there (for messages).</summary>
    internal readonly struct FreezeFact : IEquatable<FreezeFact>
    {
        public FreezeFact(FreezeFlags flags, SyntaxNode? frozenAt)
        {
            Flags = flags;
            FrozenAt = frozenAt;
        }

        public FreezeFlags Flags { get; }

        public SyntaxNode? FrozenAt { get; }

        public static FreezeFact Unknown => new FreezeFact(FreezeFlags.Unknown, null);

        public static FreezeFact Trainable => new FreezeFact(FreezeFlags.NoneFrozen, null);

        /// <summary>Whether some parameter may be frozen on some path, by a freeze the flow saw.</summary>
        public bool MayBeFrozen => (Flags & (FreezeFlags.SomeFrozen | FreezeFlags.AllFrozen)) != 0 && FrozenAt != null;

        /// <summary>Whether every parameter is frozen on every path.</summary>
        public bool AllFrozen => Flags == FreezeFlags.AllFrozen;

        /// <summary>The state after freezing (<paramref name="frozen"/>) or unfreezing all or some (<paramref name="all"/>) parameters.</summary>
        public FreezeFact After(bool frozen, bool all, SyntaxNode site)
        {
            if (frozen)
            {
                var flags = all || Flags == FreezeFlags.AllFrozen ? FreezeFlags.AllFrozen : FreezeFlags.SomeFrozen;
                return new FreezeFact(flags, FrozenAt ?? site);
            }

            if (all)
            {
                return Trainable;
            }

            // Unfreezing some: what was all frozen is now partly frozen; nothing frozen stays so.
            var remaining = Flags == FreezeFlags.NoneFrozen ? FreezeFlags.NoneFrozen : (Flags & ~FreezeFlags.AllFrozen) | FreezeFlags.SomeFrozen;
            return new FreezeFact(remaining, FrozenAt);
        }

        public FreezeFact Join(FreezeFact other)
            => new FreezeFact(
                Flags | other.Flags,
                FrozenAt is null ? other.FrozenAt
                : other.FrozenAt is null ? FrozenAt
                : other.FrozenAt.SpanStart < FrozenAt.SpanStart && other.FrozenAt.SyntaxTree == FrozenAt.SyntaxTree ? other.FrozenAt : FrozenAt);

        public bool Equals(FreezeFact other) => Flags == other.Flags && FrozenAt == other.FrozenAt;

        public override bool Equals(object? obj) => obj is FreezeFact other && Equals(other);

        public override int GetHashCode() => (int)Flags;
    }

    /// <summary>An optimizer built over a module's trainable parameters only, held in a storage (for TORCH004).</summary>
    internal sealed class OptimizerFact : IEquatable<OptimizerFact>
    {
        public OptimizerFact(int moduleValue, bool materialized, SyntaxNode creation, string name)
        {
            ModuleValue = moduleValue;
            Materialized = materialized;
            Creation = creation;
            Name = name;
        }

        /// <summary>The module value whose parameters were filtered.</summary>
        public int ModuleValue { get; }

        /// <summary>Whether the filter was materialized (<c>.ToList()</c>, <c>.ToArray()</c>) or stays a lazy <c>Where</c>.</summary>
        public bool Materialized { get; }

        public SyntaxNode Creation { get; }

        /// <summary>The optimizer as the code names it (the variable or field).</summary>
        public string Name { get; }

        public bool Equals(OptimizerFact? other)
            => other != null && other.ModuleValue == ModuleValue && other.Materialized == Materialized && other.Creation == Creation;

        public override bool Equals(object? obj) => Equals(obj as OptimizerFact);

        public override int GetHashCode() => Creation.SpanStart ^ ModuleValue;
    }
}
