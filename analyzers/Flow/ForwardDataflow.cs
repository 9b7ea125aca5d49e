using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// A forward dataflow over one <see cref="ControlFlowGraph"/>, run to a fixpoint with a worklist.
    /// Subclasses give the lattice (<see cref="Join"/>, equality) and the transfer functions; this class
    /// knows how Roslyn lays out control flow:
    /// <list type="bullet">
    /// <item>a branch that leaves <c>try</c> regions runs their <c>finally</c> regions first, innermost
    /// first (<see cref="ControlFlowBranch.FinallyRegions"/>). A finally region is analysed once per distinct
    /// incoming state, so each path keeps its own state through it (a <c>return</c> that disposed a scope is
    /// not mixed with a fall-through that did not);</item>
    /// <item>a <c>catch</c> (or filter) handler can start from any point of its <c>try</c> region, so its entry
    /// state is the join of every state seen in that region;</item>
    /// <item>only normal completion is modelled: a branch that throws ends its path.</item>
    /// </list>
    /// States must be immutable values: the engine stores and compares them.
    /// </summary>
    /// <typeparam name="TState">The lattice element; immutable.</typeparam>
    internal abstract class ForwardDataflow<TState>
    {
        // A finally region re-entered with a state it already saw gives the same result: memoised per state.
        private readonly Dictionary<(int Region, TState State), Outcome> _finallyResults;
        private readonly IEqualityComparer<TState> _comparer;
        private readonly Outcome[] _reportedInStates;

        protected ForwardDataflow(ControlFlowGraph graph, IEqualityComparer<TState> comparer)
        {
            Graph = graph;
            _comparer = comparer;
            _finallyResults = new Dictionary<(int, TState), Outcome>(new RegionStateComparer(comparer));
            _reportedInStates = new Outcome[graph.Blocks.Length];
        }

        /// <summary>The graph being analysed.</summary>
        protected ControlFlowGraph Graph { get; }

        /// <summary>The least upper bound of two states that meet at a merge point.</summary>
        protected abstract TState Join(TState left, TState right);

        /// <summary>The effect of one top-level operation of a block (and of its <see cref="BasicBlock.BranchValue"/>).</summary>
        protected abstract TState Transfer(IOperation operation, TState state);

        /// <summary>
        /// The effect of taking <paramref name="branch"/> out of a block whose operations left <paramref name="state"/>;
        /// lets an analysis learn from a condition (for example "on this edge the local is null").
        /// </summary>
        protected virtual TState TransferBranch(BasicBlock source, ControlFlowBranch branch, TState state) => state;

        /// <summary>
        /// Whether <paramref name="branch"/> out of <paramref name="source"/> can be taken at all: an analysis that assumes
        /// a value for a condition (a flag fixed for one run) prunes the edges that contradict it.
        /// </summary>
        protected virtual bool IsFeasible(BasicBlock source, ControlFlowBranch branch) => true;

        /// <summary>Forgets the states of the last <see cref="Run"/>, so that the same instance can run again under other assumptions.</summary>
        protected void Reset()
        {
            _finallyResults.Clear();
            System.Array.Clear(_reportedInStates, 0, _reportedInStates.Length);
        }

        /// <summary>
        /// Runs the analysis from the entry block with <paramref name="entryState"/> and returns the state that
        /// reaches the exit block, or <c>null</c>-like outcome when no normal path reaches it.
        /// </summary>
        public Outcome Run(TState entryState)
        {
            var entry = Graph.Blocks[0];
            var root = Graph.Root;
            var inStates = RunRegion(root.FirstBlockOrdinal, root.LastBlockOrdinal, entry.Ordinal, entryState, out _);
            return inStates[Graph.Blocks.Length - 1];
        }

        /// <summary>The state at the start of <paramref name="block"/>, joined over every way the analysis reached it.</summary>
        public Outcome InStateOf(BasicBlock block) => _reportedInStates[block.Ordinal];

        /// <summary>
        /// Replays the top-level operations of <paramref name="block"/> (and its branch value) from its final in-state,
        /// calling <paramref name="visit"/> with the state just before each one and then its transfer function; for
        /// analyses that record facts per operation once the fixpoint is reached.
        /// </summary>
        public void Replay(BasicBlock block, System.Action<IOperation, TState> visit)
        {
            var outcome = _reportedInStates[block.Ordinal];
            if (!outcome.Reached)
            {
                return;
            }

            var state = outcome.State;
            foreach (var operation in block.Operations)
            {
                visit(operation, state);
                state = Transfer(operation, state);
            }

            if (block.BranchValue is { } branchValue)
            {
                visit(branchValue, state);
                Transfer(branchValue, state);
            }
        }

        private TState TransferBlock(BasicBlock block, TState state)
        {
            foreach (var operation in block.Operations)
            {
                state = Transfer(operation, state);
            }

            if (block.BranchValue is { } branchValue)
            {
                state = Transfer(branchValue, state);
            }

            return state;
        }

        /// <summary>
        /// Runs to a fixpoint over the blocks numbered <paramref name="first"/>..<paramref name="last"/>, starting at
        /// <paramref name="start"/>. Returns the in-states; <paramref name="regionExit"/> is the join of the states that
        /// leave a finally region at its end (only meaningful when the range is a finally region).
        /// </summary>
        private Outcome[] RunRegion(int first, int last, int start, TState startState, out Outcome regionExit)
        {
            var blocks = Graph.Blocks;
            var inStates = new Outcome[blocks.Length];
            var queued = new bool[blocks.Length];
            var worklist = new SortedSet<int>();
            var exit = default(Outcome);

            void Flow(int target, TState state)
            {
                if (target < first || target > last)
                {
                    return;
                }

                var previous = inStates[target];
                var merged = previous.Reached ? Join(previous.State, state) : state;
                if (!previous.Reached || !_comparer.Equals(previous.State, merged))
                {
                    inStates[target] = Outcome.Of(merged);
                    if (!queued[target])
                    {
                        queued[target] = true;
                        worklist.Add(target);
                    }
                }
            }

            Flow(start, startState);
            while (worklist.Count > 0)
            {
                var ordinal = worklist.Min;
                worklist.Remove(ordinal);
                queued[ordinal] = false;

                var block = blocks[ordinal];
                var input = inStates[ordinal].State;
                var output = TransferBlock(block, input);

                // A handler may start anywhere in its try region: before or after this block.
                foreach (var handler in HandlerEntriesOf(block))
                {
                    Flow(handler, input);
                    Flow(handler, output);
                }

                FollowBranch(block, block.ConditionalSuccessor, output);
                FollowBranch(block, block.FallThroughSuccessor, output);
            }

            void FollowBranch(BasicBlock block, ControlFlowBranch? branch, TState output)
            {
                if (branch is null || !IsFeasible(block, branch))
                {
                    return;
                }

                var state = TransferBranch(block, branch, output);
                foreach (var finallyRegion in branch.FinallyRegions)
                {
                    var through = RunFinally(finallyRegion, state);
                    if (!through.Reached)
                    {
                        return;
                    }

                    state = through.State;
                }

                if (branch.Destination is { } destination)
                {
                    Flow(destination.Ordinal, state);
                }
                else if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                {
                    // The end of a finally region: control continues wherever the branch that entered it was going.
                    exit = exit.Reached ? Outcome.Of(Join(exit.State, state)) : Outcome.Of(state);
                }
            }

            for (var i = first; i <= last; i++)
            {
                if (inStates[i].Reached)
                {
                    var reported = _reportedInStates[i];
                    _reportedInStates[i] = reported.Reached ? Outcome.Of(Join(reported.State, inStates[i].State)) : inStates[i];
                }
            }

            regionExit = exit;
            return inStates;
        }

        private Outcome RunFinally(ControlFlowRegion region, TState state)
        {
            var key = (region.FirstBlockOrdinal, state);
            if (_finallyResults.TryGetValue(key, out var known))
            {
                return known;
            }

            // Finally regions nest strictly inside each other, so this recursion is bounded by the source's nesting.
            RunRegion(region.FirstBlockOrdinal, region.LastBlockOrdinal, region.FirstBlockOrdinal, state, out var exit);
            _finallyResults[key] = exit;
            return exit;
        }

        private static IEnumerable<int> HandlerEntriesOf(BasicBlock block)
        {
            for (var region = block.EnclosingRegion; region != null; region = region.EnclosingRegion)
            {
                if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tryAndCatch)
                {
                    foreach (var handler in tryAndCatch.NestedRegions)
                    {
                        if (handler.Kind == ControlFlowRegionKind.Catch || handler.Kind == ControlFlowRegionKind.FilterAndHandler)
                        {
                            yield return handler.FirstBlockOrdinal;
                        }
                    }
                }
            }
        }

        /// <summary>A state, or the fact that no normal path reaches the point.</summary>
        public readonly struct Outcome
        {
            private Outcome(TState state)
            {
                State = state;
                Reached = true;
            }

            /// <summary>Whether some normal path reaches the point.</summary>
            public bool Reached { get; }

            /// <summary>The state there; meaningless when not <see cref="Reached"/>.</summary>
            public TState State { get; }

            public static Outcome Of(TState state) => new Outcome(state);
        }

        private sealed class RegionStateComparer : IEqualityComparer<(int Region, TState State)>
        {
            private readonly IEqualityComparer<TState> _states;

            public RegionStateComparer(IEqualityComparer<TState> states) => _states = states;

            public bool Equals((int Region, TState State) x, (int Region, TState State) y)
                => x.Region == y.Region && _states.Equals(x.State, y.State);

            public int GetHashCode((int Region, TState State) obj)
                => (obj.Region * 397) ^ _states.GetHashCode(obj.State!);
        }
    }
}
