using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow.Modes.Domains;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode flow of one function body (docs/architecture.md, "Analysis semantics"): along the control-flow graph,
    /// the train/eval mode of every tracked module value and the grad mode, scoped by the <c>using</c> of a grad-mode
    /// switch. Modules created in the flow start in Train; parameters and fields start as
    /// <see cref="ModeFlags.Entry"/>; a call into this compilation applies the callee's summary; a call into unknown
    /// code that receives a module makes it Unknown.
    /// </summary>
    internal sealed class ModeFlow : ForwardDataflow<ModeState>
    {
        private readonly bool _isNestedFunction;
        private readonly LambdaEntry? _lambdaEntry;

        // Where the body freezes or unfreezes parameters, found once per graph before the flows run (read-only after).
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ControlFlowGraph, Dictionary<SyntaxNode, FreezeSite>> FreezeSitesCache
            = new System.Runtime.CompilerServices.ConditionalWeakTable<ControlFlowGraph, Dictionary<SyntaxNode, FreezeSite>>();

        public TorchSymbols Symbols { get; }

        /// <summary>The summaries of callees, asked at <see cref="Depth"/> + 1.</summary>
        public ICalleeSummaries Summaries { get; }

        /// <summary>How many calls deep this body is analysed (0: the body a rule asks about).</summary>
        public int Depth { get; }

        /// <summary>How this flow names module values; shared by both runs of a steering flag, so that both name values alike.</summary>
        public ModuleValueIds Ids { get; }

        /// <summary>The body's freezes and unfreezes, by syntax.</summary>
        public Dictionary<SyntaxNode, FreezeSite> FreezeSites { get; }

        /// <summary>What the rules are told, filled only during the final replay, from the fixpoint's states.</summary>
        internal ModeFlowRecords? Records { get; private set; }

        private ModeFlow(ControlFlowGraph graph, TorchSymbols symbols, ICalleeSummaries summaries, int depth, bool isNestedFunction, LambdaEntry? lambdaEntry = null)
            : base(graph, ModeState.Comparer)
        {
            _lambdaEntry = lambdaEntry;
            Ids = new ModuleValueIds(isNestedFunction, lambdaEntry);
            Symbols = symbols;
            Summaries = summaries;
            Depth = depth;
            _isNestedFunction = isNestedFunction;
            FreezeSites = FreezeSitesCache.GetValue(graph, g => Modes.FreezeSites.Scan(g.OriginalOperation, symbols));
        }

        /// <summary>Runs the flow over <paramref name="graph"/>. Lambdas and local functions start with an unknown grad mode.</summary>
        public static ModeFlowResult Analyze(ControlFlowGraph graph, TorchSymbols symbols, ICalleeSummaries summaries, int depth, bool isNestedFunction)
            => new ModeFlow(graph, symbols, summaries, depth, isNestedFunction).RunOnce(assumed: null);

        /// <summary>
        /// The flow of a body the rules ask about: one result, or one per value of the body's <see cref="SteeringFlag"/> when
        /// it has one (a shared train/eval loop), so that rules judge each consistent set of paths on its own.
        /// </summary>
        public static ImmutableArray<ModeFlowResult> AnalyzeScenarios(ControlFlowGraph graph, TorchSymbols symbols, ICalleeSummaries summaries, bool isNestedFunction, LambdaEntry? lambdaEntry)
        {
            var flow = new ModeFlow(graph, symbols, summaries, depth: 0, isNestedFunction, lambdaEntry);
            if (isNestedFunction || !(SteeringFlag.Find(graph, symbols) is { } flag))
            {
                return ImmutableArray.Create(flow.RunOnce(assumed: null));
            }

            // One instance for both runs: value ids are per site, so both results name values alike.
            var whenTrue = flow.RunOnce(flag.Assuming(true));
            flow.Reset();
            var whenFalse = flow.RunOnce(flag.Assuming(false));
            return ImmutableArray.Create(whenTrue, whenFalse);
        }

        private ModeFlowResult RunOnce(SteeringFlag? assumed)
        {
            var flow = this;
            flow._assumed = assumed;
            var entry = ModeState.Empty(_lambdaEntry?.Grad ?? (_isNestedFunction ? GradFact.Unknown : GradFact.Entry));
            var exit = flow.Run(entry);

            // A second run (the other value of a steering flag) records into new lists; until its replay, its fixpoint
            // still sees the first run's, as it always has: recording is not all the replay does (a forward pass reads
            // its receiver's value, which writes its entry mode into the state).
            var records = flow.Records = new ModeFlowRecords();
            foreach (var block in flow.Graph.Blocks)
            {
                flow.Replay(block, static (_, _) => { });
            }

            if (exit.Reached)
            {
                foreach (var creation in records.LambdaCreations.Values)
                {
                    creation.SetModesAtExit(flow.ModesOf(exit.State, creation.CapturedModes.Keys));
                }
            }

            var entryValues = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            foreach (var pair in flow.Ids.EntryIds)
            {
                if (pair.Key.Symbol != null)
                {
                    entryValues[pair.Key.Symbol] = pair.Value;
                }
            }

            return new ModeFlowResult(
                records.ForwardPasses.ToImmutableArray(),
                records.CallSites.ToImmutableArray(),
                records.TrainingSteps.ToImmutableArray(),
                exit.Reached ? exit.State : null,
                entryValues,
                records.OptimizerCreations.ToImmutableArray(),
                records.Unfreezes.ToImmutableArray(),
                flow.Ids.EntryIds.TryGetValue(Storage.This, out var thisValue) ? thisValue : NoValue,
                records.Awaits.ToImmutableArray(),
                records.LambdaCreations.ToImmutableDictionary(),
                _lambdaEntry);
        }

        /// <summary>The modes of the module locals and parameters <paramref name="symbols"/> in <paramref name="state"/>, for those that hold a tracked value.</summary>
        public ImmutableDictionary<ISymbol, ModeFact> ModesOf(ModeState state, IEnumerable<ISymbol> symbols)
        {
            var modes = ImmutableDictionary.CreateBuilder<ISymbol, ModeFact>(SymbolEqualityComparer.Default);
            foreach (var symbol in symbols)
            {
                var id = Ids.ValueIn(state.Modules, Storage.Of(symbol));
                if (id != NoValue)
                {
                    modes[symbol] = Ids.ModeIn(state.Modules, id);
                }
            }

            return modes.ToImmutable();
        }

        private SteeringFlag? _assumed;

        /// <inheritdoc />
        protected override bool IsFeasible(BasicBlock source, ControlFlowBranch branch) => !(_assumed is { } flag) || flag.Allows(source, branch);

        /// <summary>The only argument of a call as a bool: a constant, or the steering flag (or its negation) under this run's assumption.</summary>
        public bool? BoolArgument(IInvocationOperation invocation)
            => invocation.ConstantBoolArgument()
               ?? (_assumed is { } flag && invocation.Arguments.Length == 1 ? flag.ValueOf(invocation.Arguments[0].Value) : null);

        /// <summary>"No value": the storage holds nothing the flow tracks.</summary>
        public const int NoValue = ModuleValueIds.NoValue;

        protected override ModeState Join(ModeState left, ModeState right) => ModeState.Join(left, right, Ids);

        protected override ModeState Transfer(IOperation operation, ModeState state)
        {
            var walker = new ModeStep(this, state);
            walker.Visit(operation);
            return walker.State;
        }

        /// <summary>The graph of a lambda created in this body.</summary>
        public ControlFlowGraph GraphOf(IFlowAnonymousFunctionOperation lambda) => Graph.GetAnonymousFunctionControlFlowGraph(lambda);

        /// <summary>What a condition tells on an edge: a reference that is null there (<see cref="NullTests"/>).</summary>
        protected override ModeState TransferBranch(BasicBlock source, ControlFlowBranch branch, ModeState state)
        {
            if (source.ConditionKind == ControlFlowConditionKind.None)
            {
                return state;
            }

            return ModuleModeTransfer.OnNullEdge(source, branch, state) ?? GradTransfer.OnNullEdge(source, branch, state) ?? state;
        }
    }
}
