using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>What one path of a construction knows about one tracked field.</summary>
    internal readonly struct FieldState : IEquatable<FieldState>
    {
        public FieldState(bool nonNull, bool registered, bool registeredEver, bool unknown, SyntaxNode? assignedAfter)
        {
            NonNull = nonNull;
            Registered = registered;
            RegisteredEver = registeredEver;
            Unknown = unknown;
            AssignedAfter = assignedAfter;
        }

        /// <summary>The field holds a module (or collection) — it was assigned something that is not null.</summary>
        public bool NonNull { get; }

        /// <summary>The object the field holds now is registered as a submodule.</summary>
        public bool Registered { get; }

        /// <summary>Some object taken from this field was registered under the field's name at some point.</summary>
        public bool RegisteredEver { get; }

        /// <summary>The field was passed by reference or assigned where the analysis cannot follow: no verdict.</summary>
        public bool Unknown { get; }

        /// <summary>The <c>RegisterComponents()</c> call that had already run when the field got its current value.</summary>
        public SyntaxNode? AssignedAfter { get; }

        public FieldState WithRegistered()
            => new FieldState(NonNull, registered: true, registeredEver: true, Unknown, assignedAfter: null);

        public FieldState WithUnknown()
            => new FieldState(NonNull, Registered, RegisteredEver, unknown: true, AssignedAfter);

        public bool Equals(FieldState other)
            => NonNull == other.NonNull && Registered == other.Registered && RegisteredEver == other.RegisteredEver
               && Unknown == other.Unknown && AssignedAfter == other.AssignedAfter;

        public override bool Equals(object? obj) => obj is FieldState other && Equals(other);

        public override int GetHashCode()
            => (NonNull ? 1 : 0) | (Registered ? 2 : 0) | (RegisteredEver ? 4 : 0) | (Unknown ? 8 : 0) | ((AssignedAfter?.GetHashCode() ?? 0) << 4);
    }

    /// <summary>
    /// One path through a construction: whether the object's first <c>RegisterComponents()</c> call has run (and where),
    /// the state of every tracked field, locals that hold a registered module, and whether the path went through code
    /// the analysis cannot follow (<see cref="Opaque"/>: no verdict on that path).
    /// </summary>
    internal sealed class PathState : IEquatable<PathState>
    {
        public PathState(
            SyntaxNode? registerComponentsCall,
            ImmutableDictionary<IFieldSymbol, FieldState> fields,
            ImmutableHashSet<ILocalSymbol> registeredLocals,
            bool opaque,
            bool indirectRegistration)
        {
            RegisterComponentsCall = registerComponentsCall;
            Fields = fields;
            RegisteredLocals = registeredLocals;
            Opaque = opaque;
            IndirectRegistration = indirectRegistration;
        }

        /// <summary>The first <c>RegisterComponents()</c> call on the object, or null when none has run yet.</summary>
        public SyntaxNode? RegisterComponentsCall { get; }

        /// <summary>The tracked fields (original definitions).</summary>
        public ImmutableDictionary<IFieldSymbol, FieldState> Fields { get; }

        /// <summary>Locals whose current value was registered with <c>register_module</c>.</summary>
        public ImmutableHashSet<ILocalSymbol> RegisteredLocals { get; }

        /// <summary>The path ran code the analysis cannot see into.</summary>
        public bool Opaque { get; }

        /// <summary><c>register_module</c> ran with something other than a field: list elements may be registered one by one.</summary>
        public bool IndirectRegistration { get; }

        public static PathState Initial(ImmutableDictionary<IFieldSymbol, FieldState> fields)
            => new PathState(null, fields, ImmutableHashSet.Create<ILocalSymbol>(SymbolEqualityComparer.Default), opaque: false, indirectRegistration: false);

        public PathState WithField(IFieldSymbol field, FieldState state)
            => new PathState(RegisterComponentsCall, Fields.SetItem(field, state), RegisteredLocals, Opaque, IndirectRegistration);

        public PathState WithFields(ImmutableDictionary<IFieldSymbol, FieldState> fields, SyntaxNode? registerComponentsCall)
            => new PathState(registerComponentsCall, fields, RegisteredLocals, Opaque, IndirectRegistration);

        public PathState WithLocal(ILocalSymbol local, bool registered)
            => new PathState(
                RegisterComponentsCall,
                Fields,
                registered ? RegisteredLocals.Add(local) : RegisteredLocals.Remove(local),
                Opaque,
                IndirectRegistration);

        public PathState AsOpaque()
            => Opaque ? this : new PathState(RegisterComponentsCall, Fields, RegisteredLocals, opaque: true, IndirectRegistration);

        public PathState WithIndirectRegistration()
            => IndirectRegistration ? this : new PathState(RegisterComponentsCall, Fields, RegisteredLocals, Opaque, indirectRegistration: true);

        public bool Equals(PathState? other)
        {
            if (other is null)
            {
                return false;
            }

            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (RegisterComponentsCall != other.RegisterComponentsCall || Opaque != other.Opaque
                || IndirectRegistration != other.IndirectRegistration || Fields.Count != other.Fields.Count
                || !RegisteredLocals.SetEquals(other.RegisteredLocals))
            {
                return false;
            }

            foreach (var pair in Fields)
            {
                if (!other.Fields.TryGetValue(pair.Key, out var value) || !value.Equals(pair.Value))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as PathState);

        public override int GetHashCode()
        {
            var hash = (RegisterComponentsCall?.GetHashCode() ?? 0) ^ (Opaque ? 17 : 0) ^ (IndirectRegistration ? 31 : 0);
            foreach (var pair in Fields)
            {
                hash ^= pair.Value.GetHashCode();
            }

            return hash;
        }
    }
}
