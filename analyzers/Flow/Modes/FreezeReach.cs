using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's question about freezing, answered from block facts instead of flows: whether a flow could see a
    /// freeze (or an unfreeze) at all. The flow freezes only where <c>requires_grad</c> is written a constant, in the body
    /// or in a method of this compilation it hands the module to (whose summary it applies, at most
    /// <see cref="ModeFlowEngine.MaxDepth"/> calls deep); a body with neither needs no flow for TORCH003 or TORCH004.
    /// One per engine, shared by every rule.
    /// </summary>
    internal sealed class FreezeReach
    {
        private readonly CallSyntaxIndex _callSyntax;
        private readonly Func<IMethodSymbol, BlockFacts?> _bodyFactsOf;

        // What a method's body says about freezing: its own constant writes, and whom it hands modules to (null: no body).
        private readonly ConcurrentDictionary<IMethodSymbol, (bool Freezes, bool Unfreezes, ImmutableArray<IMethodSymbol> HandOffs)?> _reach
            = new ConcurrentDictionary<IMethodSymbol, (bool, bool, ImmutableArray<IMethodSymbol>)?>(SymbolEqualityComparer.Default);

        /// <param name="callSyntax">The text tier, asked first which names might write <c>requires_grad</c>.</param>
        /// <param name="bodyFactsOf">The block facts of a method's body; null when it has no body we can read.</param>
        public FreezeReach(CallSyntaxIndex callSyntax, Func<IMethodSymbol, BlockFacts?> bodyFactsOf)
        {
            _callSyntax = callSyntax;
            _bodyFactsOf = bodyFactsOf;
        }

        /// <summary>
        /// Whether the flow of a block with <paramref name="facts"/> could freeze (<paramref name="freeze"/>) or unfreeze
        /// parameters: the block writes <c>requires_grad</c> that constant, or hands a module to a method whose summary
        /// could. False proves that no such change reaches the block's flow.
        /// </summary>
        public bool MayChange(BlockFacts facts, bool freeze)
            => (freeze ? facts.Freezes : facts.Unfreezes) || AnyMayChange(facts.ModuleHandOffs, freeze, depth: 1);

        /// <summary>Whether the summary of <paramref name="callee"/>, given a module by a body, could freeze (or unfreeze) it.</summary>
        public bool MayChange(IMethodSymbol callee, bool freeze) => MayChange(callee.OriginalDefinition, freeze, depth: 1);

        private bool AnyMayChange(IReadOnlyList<IMethodSymbol> callees, bool freeze, int depth)
        {
            foreach (var callee in callees)
            {
                if (MayChange(callee, freeze, depth))
                {
                    return true;
                }
            }

            return false;
        }

        // As FreezeEffectOn: a callee deeper than MaxDepth, or without a body, leaves the freeze state Unknown, which
        // neither freezes nor unfreezes. The syntax answers first: a callee whose name no member that might write
        // requires_grad (within the calls left) carries is not bound.
        private bool MayChange(IMethodSymbol callee, bool freeze, int depth)
            => depth <= ModeFlowEngine.MaxDepth
               && _callSyntax.MayWriteRequiresGrad(callee.MethodKind == MethodKind.Constructor ? callee.ContainingType.Name : callee.Name, ModeFlowEngine.MaxDepth - depth)
               && _reach.GetOrAdd(callee, Compute) is { } reach
               && ((freeze ? reach.Freezes : reach.Unfreezes) || AnyMayChange(reach.HandOffs, freeze, depth + 1));

        // Only what the question needs is kept: the facts hold operations, which would keep the tree alive.
        private (bool Freezes, bool Unfreezes, ImmutableArray<IMethodSymbol> HandOffs)? Compute(IMethodSymbol method)
            => _bodyFactsOf(method) is { } facts
                ? (facts.Freezes, facts.Unfreezes, facts.ModuleHandOffs.ToImmutableArray())
                : ((bool, bool, ImmutableArray<IMethodSymbol>)?)null;
    }
}
