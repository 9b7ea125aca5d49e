using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's questions about helpers that change the mode of a module held in a field: a method of the trainer
    /// (<c>EstimateLoss()</c> ending with <c>_model.train()</c>), a static method on a static field, or a method of a
    /// helper object that holds the trainer's module (<see cref="HelperObjectAliasProof"/>).
    /// </summary>
    internal sealed class HelperFieldEffects
    {
        private readonly bool _exhaustive;
        private readonly CallSyntaxIndex _callSyntax;
        private readonly TorchSymbols _symbols;
        private readonly CalleeBodies _bodies;

        public HelperFieldEffects(bool exhaustive, CallSyntaxIndex callSyntax, TorchSymbols symbols, CalleeBodies bodies)
        {
            _exhaustive = exhaustive;
            _callSyntax = callSyntax;
            _symbols = symbols;
            _bodies = bodies;
        }

        /// <summary>The fields <paramref name="callee"/> leaves in eval or training mode, read from its flow at <paramref name="depth"/> (<see cref="ICalleeSummaries.FieldEffectsOf"/>).</summary>
        public ImmutableArray<FieldModeEffect> FieldEffectsOf(IMethodSymbol callee, int depth)
        {
            // Only eval()/train(..) calls, directly or through helpers, put a field in Eval or Train: the syntax says which
            // names may reach one within the calls left, and the others have no effect to find.
            if (depth > ModeFlowEngine.MaxDepth || callee.MethodKind != MethodKind.Ordinary || callee.IsAbstract || callee.IsVirtual
                || (callee.IsOverride && !callee.IsSealed && !callee.ContainingType.IsSealed)
                || (!_exhaustive && !_callSyntax.MaySetMode(callee.Name, ModeFlowEngine.MaxDepth - depth)))
            {
                return ImmutableArray<FieldModeEffect>.Empty;
            }

            return _fieldEffects.GetOrAdd((callee, depth), key => ComputeFieldEffects(key.Item1, key.Item2));
        }

        private readonly ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<FieldModeEffect>> _fieldEffects
            = new ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<FieldModeEffect>>(new MethodDepthComparer());

        private ImmutableArray<FieldModeEffect> ComputeFieldEffects(IMethodSymbol callee, int depth)
        {
            if (!(_bodies.BodyOf(callee, depth) is { Exit: { } exit } result))
            {
                return ImmutableArray<FieldModeEffect>.Empty;
            }

            var effects = ImmutableArray.CreateBuilder<FieldModeEffect>();
            foreach (var pair in result.EntryValues)
            {
                if (!(pair.Key is IFieldSymbol || pair.Key is IPropertySymbol))
                {
                    continue;
                }

                // A field the helper replaced is not followed: the value the caller holds is no longer in it.
                if (exit.Modules.Values.TryGetValue(Storage.Of(pair.Key), out var held) && held != pair.Value)
                {
                    continue;
                }

                if (exit.Modules.Modes.TryGetValue(pair.Value, out var mode) && (mode.Flags & (ModeFlags.Eval | ModeFlags.Train)) != 0)
                {
                    effects.Add(new FieldModeEffect(pair.Key, mode.Flags));
                }
            }

            return effects.ToImmutable();
        }

        /// <summary>The module field of this compilation a helper object's field holds (<see cref="ICalleeSummaries.ModuleFieldHeldBy"/>).</summary>
        public ISymbol? ModuleFieldHeldBy(ISymbol holder, ISymbol inner)
            => _aliases.GetOrAdd((holder, inner), key => HelperObjectAliasProof.ModuleFieldHeldBy(key.Item1, key.Item2, _bodies.ModelOf, _symbols));

        private readonly ConcurrentDictionary<(ISymbol, ISymbol), ISymbol?> _aliases
            = new ConcurrentDictionary<(ISymbol, ISymbol), ISymbol?>(new SymbolPairComparer());

        private sealed class SymbolPairComparer : System.Collections.Generic.IEqualityComparer<(ISymbol, ISymbol)>
        {
            public bool Equals((ISymbol, ISymbol) x, (ISymbol, ISymbol) y)
                => SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1) && SymbolEqualityComparer.Default.Equals(x.Item2, y.Item2);

            public int GetHashCode((ISymbol, ISymbol) obj)
                => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 31 ^ SymbolEqualityComparer.Default.GetHashCode(obj.Item2);
        }
    }
}
