using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
        private readonly TorchSymbols _symbols;
        private readonly ICalleeSummaries _summaries;
        private readonly int _depth;
        private readonly bool _isNestedFunction;
        private readonly LambdaEntry? _lambdaEntry;

        // How this flow names module values; shared by both runs of a steering flag, so that both name values alike.
        private readonly ModuleValueIds _ids;

        // Where the body freezes or unfreezes parameters, found once per graph before the flows run (read-only after).
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ControlFlowGraph, Dictionary<SyntaxNode, FreezeSite>> FreezeSitesCache
            = new System.Runtime.CompilerServices.ConditionalWeakTable<ControlFlowGraph, Dictionary<SyntaxNode, FreezeSite>>();

        private readonly Dictionary<SyntaxNode, FreezeSite> _freezeSites;

        // Filled only during the final replay, from the fixpoint's states.
        private List<OptimizerCreation>? _optimizerCreations;
        private List<UnfreezeEvent>? _unfreezes;
        private List<ForwardPass>? _forwardPasses;
        private List<CallSite>? _callSites;
        private List<TrainingStep>? _trainingSteps;
        private List<AwaitPoint>? _awaits;
        private Dictionary<SyntaxNode, LambdaCreation>? _lambdaCreations;

        private ModeFlow(ControlFlowGraph graph, TorchSymbols symbols, ICalleeSummaries summaries, int depth, bool isNestedFunction, LambdaEntry? lambdaEntry = null)
            : base(graph, ModeState.Comparer)
        {
            _lambdaEntry = lambdaEntry;
            _ids = new ModuleValueIds(isNestedFunction, lambdaEntry);
            _symbols = symbols;
            _summaries = summaries;
            _depth = depth;
            _isNestedFunction = isNestedFunction;
            _freezeSites = FreezeSitesCache.GetValue(graph, g => FreezeSites.Scan(g.OriginalOperation, symbols));
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

            flow._forwardPasses = new List<ForwardPass>();
            flow._callSites = new List<CallSite>();
            flow._trainingSteps = new List<TrainingStep>();
            flow._optimizerCreations = new List<OptimizerCreation>();
            flow._unfreezes = new List<UnfreezeEvent>();
            flow._awaits = new List<AwaitPoint>();
            flow._lambdaCreations = new Dictionary<SyntaxNode, LambdaCreation>();
            foreach (var block in flow.Graph.Blocks)
            {
                flow.Replay(block, static (_, _) => { });
            }

            if (exit.Reached)
            {
                foreach (var creation in flow._lambdaCreations.Values)
                {
                    creation.SetModesAtExit(flow.ModesOf(exit.State, creation.CapturedModes.Keys));
                }
            }

            var entryValues = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            foreach (var pair in flow._ids.EntryIds)
            {
                if (pair.Key.Symbol != null)
                {
                    entryValues[pair.Key.Symbol] = pair.Value;
                }
            }

            return new ModeFlowResult(
                flow._forwardPasses.ToImmutableArray(),
                flow._callSites.ToImmutableArray(),
                flow._trainingSteps.ToImmutableArray(),
                exit.Reached ? exit.State : null,
                entryValues,
                flow._optimizerCreations.ToImmutableArray(),
                flow._unfreezes.ToImmutableArray(),
                flow._ids.EntryIds.TryGetValue(Storage.This, out var thisValue) ? thisValue : NoValue,
                flow._awaits.ToImmutableArray(),
                flow._lambdaCreations.ToImmutableDictionary(),
                _lambdaEntry);
        }

        /// <summary>The modes of the module locals and parameters <paramref name="symbols"/> in <paramref name="state"/>, for those that hold a tracked value.</summary>
        private ImmutableDictionary<ISymbol, ModeFact> ModesOf(ModeState state, IEnumerable<ISymbol> symbols)
        {
            var modes = ImmutableDictionary.CreateBuilder<ISymbol, ModeFact>(SymbolEqualityComparer.Default);
            foreach (var symbol in symbols)
            {
                var id = _ids.ValueIn(state.Modules, Storage.Of(symbol));
                if (id != NoValue)
                {
                    modes[symbol] = _ids.ModeIn(state.Modules, id);
                }
            }

            return modes.ToImmutable();
        }

        private SteeringFlag? _assumed;

        /// <inheritdoc />
        protected override bool IsFeasible(BasicBlock source, ControlFlowBranch branch) => !(_assumed is { } flag) || flag.Allows(source, branch);

        /// <summary>The only argument of a call as a bool: a constant, or the steering flag (or its negation) under this run's assumption.</summary>
        private bool? BoolArgument(IInvocationOperation invocation)
            => invocation.ConstantBoolArgument()
               ?? (_assumed is { } flag && invocation.Arguments.Length == 1 ? flag.ValueOf(invocation.Arguments[0].Value) : null);

        /// <summary>"No value": the storage holds nothing the flow tracks.</summary>
        public const int NoValue = ModuleValueIds.NoValue;

        protected override ModeState Join(ModeState left, ModeState right) => ModeState.Join(left, right, _ids);

        protected override ModeState Transfer(IOperation operation, ModeState state)
        {
            var walker = new Step(this, state);
            walker.Visit(operation);
            return walker.State;
        }

        /// <summary>
        /// A grad-mode switch never returns null, so the edge where the graph's <c>using</c> lowering finds the scope
        /// object null is taken as if the object had been disposed: both edges then agree after the finally region.
        /// </summary>
        protected override ModeState TransferBranch(BasicBlock source, ControlFlowBranch branch, ModeState state)
        {
            if (source.ConditionKind == ControlFlowConditionKind.None)
            {
                return state;
            }

            // On the edge where a module reference is null (model?.eval(), if (model != null)), there is no module whose
            // mode could matter: its value has no mode there, the identity of the join.
            foreach (var held in state.Modules.Values)
            {
                if (NullTests.IsNullOnEdge(source, branch, operand => Step.StorageOf(operand.SkipConversions()) is Storage tested && tested.Equals(held.Key)) == true)
                {
                    return state.With(modules: state.Modules.WithMode(held.Value, ModeFact.Absent));
                }
            }

            if (state.Grad.Scopes.IsEmpty)
            {
                return state;
            }

            foreach (var scope in state.Grad.Scopes)
            {
                if (NullTests.IsNullOnEdge(source, branch, operand => Step.StorageOf(operand.SkipConversions()) is Storage tested && tested.Equals(scope.Key)) == true)
                {
                    return state.With(grad: state.Grad.Disposed(scope.Key, scope.Value));
                }
            }

            return state;
        }

        /// <summary>One top-level operation, evaluated children first, as the runtime would.</summary>
        private sealed class Step
        {
            private readonly ModeFlow _flow;
            private readonly Dictionary<IOperation, int> _values = new Dictionary<IOperation, int>();

            public Step(ModeFlow flow, ModeState state)
            {
                _flow = flow;
                State = state;
            }

            public ModeState State { get; private set; }

            private TorchSymbols Symbols => _flow._symbols;

            public void Visit(IOperation operation)
            {
                // Lambdas run later (or never): their bodies have graphs of their own, which start where this one says (LambdaEntries).
                if (operation is IFlowAnonymousFunctionOperation lambda)
                {
                    OnLambda(lambda);
                    return;
                }

                foreach (var child in operation.ChildOperations)
                {
                    Visit(child);
                }

                switch (operation)
                {
                    case IInvocationOperation invocation:
                        OnInvocation(invocation);
                        break;
                    case IObjectCreationOperation creation:
                        OnObjectCreation(creation);
                        break;
                    case ISimpleAssignmentOperation assignment:
                        if (_flow._freezeSites.TryGetValue(assignment.Syntax, out var freezeSite))
                        {
                            ApplyFreeze(freezeSite, assignment.Syntax);
                        }

                        OnAssignment(assignment.Target, assignment.Value);
                        break;
                    case IFlowCaptureOperation capture:
                        OnStore(Storage.Of(capture.Id), capture.Value);
                        break;
                    case IConversionOperation conversion when TryValue(conversion.Operand, out var converted):
                        _values[conversion] = converted;
                        break;
                    case IParenthesizedOperation parenthesized when TryValue(parenthesized.Operand, out var inner):
                        _values[parenthesized] = inner;
                        break;
                    case IMethodReferenceOperation reference:
                        OnMethodGroup(reference);
                        break;
                    case IAwaitOperation awaited:
                        // The method may suspend here, after its operand ran, with these scopes open (TORCH009).
                        _flow._awaits?.Add(new AwaitPoint(awaited, State.Grad.Current, State.Grad.Scopes));
                        break;
                }
            }

            private bool TryValue(IOperation operation, out int id)
            {
                if (_values.TryGetValue(operation, out id))
                {
                    return true;
                }

                if (StorageOf(operation) is Storage storage && operation.Type != null && Symbols.IsModule(operation.Type))
                {
                    id = _flow._ids.ValueIn(State.Modules, storage);
                    if (id != NoValue && !State.Modules.Modes.ContainsKey(id))
                    {
                        State = State.With(modules: State.Modules.WithMode(id, _flow._ids.ModeIn(State.Modules, id)));
                    }

                    return id != NoValue;
                }

                id = NoValue;
                return false;
            }

            public static Storage? StorageOf(IOperation operation) => Storage.Referenced(operation);

            private void OnAssignment(IOperation target, IOperation value)
            {
                if (StorageOf(target) is Storage storage)
                {
                    OnStore(storage, value);
                }
            }

            private void OnStore(Storage storage, IOperation value)
            {
                if (_pendingOptimizer is { } pending && value.SkipConversions() == pending.Creation)
                {
                    var name = storage.Symbol?.Name ?? pending.Fact.Name;
                    State = State.With(optimizers: State.Optimizers.Holding(storage, new OptimizerFact(pending.Fact.ModuleValue, pending.Fact.Materialized, pending.Fact.Creation, name)));
                    _pendingOptimizer = null;
                    return;
                }

                if (value.Type is null || !Symbols.IsModule(value.Type))
                {
                    // A grad-mode scope object stored here restores the mode it saved when disposed.
                    if (_pendingScope is GradFact saved && value.SkipConversions() is IInvocationOperation scopeCall && scopeCall == _pendingScopeCall)
                    {
                        State = State.With(grad: State.Grad.Holding(storage, saved));
                        _pendingScope = null;
                    }

                    return;
                }

                if (TryValue(value, out var id))
                {
                    State = State.With(modules: State.Modules.Holding(storage, id));
                    return;
                }

                // A module from somewhere the flow cannot see (a user factory, a property chain): its mode is unknown.
                var unknown = _flow._ids.SiteIdOf(value.Syntax);
                State = State.With(modules: State.Modules.Holding(storage, unknown).WithMode(unknown, ModeFact.Unknown));
            }

            private (IOperation Creation, OptimizerFact Fact)? _pendingOptimizer;

            private void OnOptimizerCreation(IOperation creation, string name, ImmutableArray<IArgumentOperation> arguments)
            {
                if (arguments.IsEmpty)
                {
                    return;
                }

                foreach (var (module, input) in OptimizerInputs.Of(arguments[0].Value, Symbols))
                {
                    if (!TryValue(module, out var id))
                    {
                        continue;
                    }

                    _flow._optimizerCreations?.Add(new OptimizerCreation(creation.Syntax, name, module.Syntax, id, State.Freezes.Of(id, _flow._ids), input));
                    if (input != OptimizerInput.Unfiltered)
                    {
                        // Remembered once stored: a later unfreeze of the module leaves this optimizer behind (TORCH004).
                        _pendingOptimizer = (creation, new OptimizerFact(id, input == OptimizerInput.FilteredMaterialized, creation.Syntax, name));
                    }
                }
            }

            private void ApplyFreeze(FreezeSite site, SyntaxNode syntax)
            {
                if (site.Module is null || !(StorageOf(site.Module.SkipConversions()) is Storage storage))
                {
                    return;
                }

                var id = _flow._ids.ValueIn(State.Modules, storage);
                if (id == NoValue)
                {
                    return;
                }

                var origin = site.Origin ?? syntax;
                SetFreeze(id, State.Freezes.Of(id, _flow._ids).After(site.Frozen, site.All, origin), unfreezing: !site.Frozen, origin);
            }

            private void SetFreeze(int id, FreezeFact fact, bool unfreezing, SyntaxNode syntax)
            {
                if (unfreezing && _flow._unfreezes != null)
                {
                    var stale = State.Optimizers.Over(id);
                    _flow._unfreezes.Add(new UnfreezeEvent(syntax, id, stale));
                }

                State = State.With(freezes: State.Freezes.With(id, fact));
            }

            private GradFact? _pendingScope;
            private IInvocationOperation? _pendingScopeCall;

            private void OnObjectCreation(IObjectCreationOperation creation)
            {
                if (Symbols.IsOptimizer(creation.Type))
                {
                    OnOptimizerCreation(creation, creation.Type!.Name, creation.Arguments);
                    return;
                }

                if (creation.Constructor != null)
                {
                    ApplyCall(creation.Constructor, creation.Syntax, null, creation.Arguments);
                }

                if (creation.Type != null && Symbols.IsModule(creation.Type))
                {
                    Create(creation);
                }
            }

            private void Create(IOperation creation)
            {
                var id = _flow._ids.CreatedAt(creation);
                _values[creation] = id;
                State = State.With(
                    modules: State.Modules.WithMode(id, ModeFact.Train(new TrainOrigin(creation.Syntax, TrainOriginKind.Created, underDisabledGrad: false))),
                    freezes: State.Freezes.With(id, FreezeFact.Trainable));
            }

            private void OnInvocation(IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                // The graph's implicit GetEnumerator/MoveNext/Dispose calls of a foreach share the collection's syntax.
                if (!invocation.IsImplicit && _flow._freezeSites.TryGetValue(invocation.Syntax, out var freezeSite))
                {
                    ApplyFreeze(freezeSite, invocation.Syntax);
                    return;
                }

                if (method.IsStatic && method.ContainingType?.Name == "optim" && Symbols.IsTorchSharp(method) && Symbols.IsOptimizer(method.ReturnType))
                {
                    OnOptimizerCreation(invocation, method.Name, invocation.Arguments);
                    return;
                }

                if (method.Name == "add_param_group" && invocation.Instance != null && StorageOf(invocation.Instance.SkipConversions()) is Storage grown)
                {
                    State = State.With(optimizers: State.Optimizers.Forgetting(grown));
                    return;
                }

                if (Symbols.AsGradScopeFactory(method) is GradScopeFactory factory)
                {
                    OnGradScope(invocation, factory);
                    return;
                }

                if (invocation.Instance != null && method.Name == nameof(System.IDisposable.Dispose) && method.Parameters.IsEmpty
                    && StorageOf(invocation.Instance.SkipConversions()) is Storage disposed && State.Grad.Scopes.TryGetValue(disposed, out var restored))
                {
                    State = State.With(grad: State.Grad.Disposed(disposed, restored));
                    return;
                }

                switch (Symbols.Classify(method))
                {
                    case TorchCallKind.Eval:
                        SetMode(invocation.Instance, ModeFact.Eval(invocation.Syntax));
                        return;
                    case TorchCallKind.Train:
                        SetMode(invocation.Instance, _flow.BoolArgument(invocation) switch
                        {
                            true => ModeFact.Train(new TrainOrigin(invocation.Syntax, TrainOriginKind.TrainCall, State.Grad.Current.IsOff)),
                            false => ModeFact.Eval(invocation.Syntax),
                            _ => ModeFact.Unknown,
                        });
                        return;
                    case TorchCallKind.Forward:
                        OnForward(invocation);
                        return;
                    case TorchCallKind.Backward:
                    case TorchCallKind.OptimizerStep:
                        _flow._trainingSteps?.Add(new TrainingStep(invocation, Symbols.Classify(method), State.Grad.Current));
                        MarkTrainCallsUsed(null);
                        return;
                    case TorchCallKind.ModuleFactory:
                        if (method.ContainingType?.Name == "jit" || method.Name == "Create" || method.Name == "load")
                        {
                            return;
                        }

                        Create(invocation);
                        return;
                    case TorchCallKind.FluentModuleMethod:
                        if (invocation.Instance != null && TryValue(invocation.Instance, out var receiver))
                        {
                            _values[invocation] = receiver;
                        }

                        return;
                }

                if (!Symbols.IsTorchSharp(method))
                {
                    // A helper of this compilation that returns a grad-mode scope (IDisposable NoGrad() => torch.no_grad()).
                    if (method.IsInSource(Symbols.Compilation))
                    {
                        if (!Symbols.IsModule(method.ReturnType) && _flow._summaries.GradScopeReturnedBy(method.OriginalDefinition) is GradFlags returned)
                        {
                            OpenScope(invocation, returned);
                        }
                    }
                    else if (Symbols.MayReturnGradScopeUnseen(method))
                    {
                        // A library method whose body we cannot read may hand back a grad scope (Scopes.NoGrad() of a
                        // referenced project): under it, grad mode is unknown rather than what it was.
                        OpenScope(invocation, GradFlags.Unknown);
                    }

                    ApplyCall(method, invocation.Syntax, invocation.Instance, invocation.Arguments);
                }
            }

            /// <summary>
            /// A method of this compilation handed on as a delegate (<c>batches.Select(Predict).ToList()</c>): a call site in
            /// the grad mode where it runs (<see cref="DelegateRuns"/>), with no argument known; none when that is not known.
            /// </summary>
            private void OnMethodGroup(IMethodReferenceOperation reference)
            {
                if (_flow._callSites is null || !reference.Method.IsInSource(Symbols.Compilation))
                {
                    return;
                }

                var grad = DelegateRuns.Of(reference, Symbols) switch
                {
                    DelegateRun.InPlace => State.Grad.Current,
                    DelegateRun.OnAnotherThread => new GradFact(GradFlags.Enabled, null),
                    _ => (GradFact?)null,
                };
                if (grad is { } known)
                {
                    _flow._callSites.Add(new CallSite(reference.Method, reference.Syntax, known, ImmutableDictionary<int, ModeFact>.Empty));
                }
            }

            private void OnLambda(IFlowAnonymousFunctionOperation lambda)
            {
                if (_flow._lambdaCreations is null || !(_flow.Graph.GetAnonymousFunctionControlFlowGraph(lambda).OriginalOperation is IAnonymousFunctionOperation function))
                {
                    return;
                }

                var run = DelegateRuns.Of(lambda, Symbols);
                var captured = run == DelegateRun.Unknown
                    ? ImmutableDictionary<ISymbol, ModeFact>.Empty
                    : _flow.ModesOf(State, CapturedModules.Of(function, Symbols));
                _flow._lambdaCreations[lambda.Syntax] = new LambdaCreation(lambda.Syntax, run, State.Grad.Current, captured);
            }

            private void OnForward(IInvocationOperation invocation)
            {
                if (_flow._forwardPasses is null)
                {
                    return;
                }

                ModeFact? mode = null;
                IOperation? creation = null;
                if (invocation.Instance != null && TryValue(invocation.Instance, out var id))
                {
                    mode = _flow._ids.ModeIn(State.Modules, id);
                    _flow._ids.TryGetCreation(id, out creation);
                }

                _flow._forwardPasses.Add(new ForwardPass(invocation, mode, State.Grad.Current, creation));
            }

            private void OnGradScope(IInvocationOperation invocation, GradScopeFactory factory)
                => OpenScope(invocation, GradSwitches.FlagsOf(factory, _flow.BoolArgument(invocation)));

            private void OpenScope(IInvocationOperation invocation, GradFlags flags)
            {
                // The scope object goes into a capture (using statement) or a local (using declaration, or by hand);
                // its Dispose restores the mode saved here.
                _pendingScope = State.Grad.Current;
                _pendingScopeCall = invocation;
                State = State.With(grad: State.Grad.Switched(new GradFact(flags, invocation.Syntax)));
            }


            private void SetMode(IOperation? receiver, ModeFact mode)
            {
                if (receiver != null && TryValue(receiver, out var id))
                {
                    State = State.With(modules: State.Modules.WithMode(id, mode));
                }
            }

            /// <summary>
            /// Records that a <c>train()</c> was followed by training work — a backward or step, or handing the module
            /// (<paramref name="only"/>; null: every module) to a method that may train it. A <c>train()</c> with no such work
            /// before a grad-disabled region was called for that region on purpose (a GAN's generator, Monte-Carlo dropout).
            /// </summary>
            private void MarkTrainCallsUsed(int? only)
            {
                foreach (var pair in State.Modules.Modes)
                {
                    if ((only is null || pair.Key == only) && pair.Value.TrainOrigin is { Kind: TrainOriginKind.TrainCall, FollowedByWork: false } origin)
                    {
                        var used = new TrainOrigin(origin.Node, origin.Kind, origin.UnderDisabledGrad, followedByWork: true);
                        State = State.With(modules: State.Modules.WithMode(pair.Key, new ModeFact(pair.Value.Flags, used, pair.Value.EntrySymbol, pair.Value.EvalOrigin)));
                    }
                }
            }

            /// <summary>A call that may receive modules: summarised when it is ours, otherwise the modules become Unknown.</summary>
            private void ApplyCall(IMethodSymbol callee, SyntaxNode syntax, IOperation? instance, ImmutableArray<IArgumentOperation> arguments)
            {
                var received = new List<(int Ordinal, int Id)>();
                if (instance != null && instance.Type != null && Symbols.IsModule(instance.Type) && TryValue(instance, out var receiverId))
                {
                    received.Add((-1, receiverId));
                }

                foreach (var argument in arguments)
                {
                    if (argument.Parameter != null && argument.Value.Type != null && Symbols.IsModule(argument.Value.Type) && TryValue(argument.Value, out var argumentId))
                    {
                        received.Add((argument.Parameter.Ordinal, argumentId));
                    }
                }

                var isOurs = callee.IsInSource(Symbols.Compilation);
                if (isOurs && _flow._callSites != null)
                {
                    var facts = ImmutableDictionary.CreateRange(received.Select(r => new KeyValuePair<int, ModeFact>(r.Ordinal, _flow._ids.ModeIn(State.Modules, r.Id))));
                    _flow._callSites.Add(new CallSite(callee.OriginalDefinition, syntax, State.Grad.Current, facts));
                }

                foreach (var (ordinal, id) in received)
                {
                    MarkTrainCallsUsed(id);
                    if (!isOurs)
                    {
                        State = State.With(freezes: State.Freezes.With(id, FreezeFact.Unknown));
                    }
                    else if (_flow._summaries.FreezeEffectOn(callee.OriginalDefinition, ordinal, _flow._depth + 1) is FreezeFact frozen)
                    {
                        var before = State.Freezes.Of(id, _flow._ids);
                        var after = frozen.Flags == FreezeFlags.Unknown ? FreezeFact.Unknown : new FreezeFact(frozen.Flags, frozen.MayBeFrozen ? syntax : null);
                        SetFreeze(id, after, unfreezing: (after.Flags & FreezeFlags.NoneFrozen) != 0 && before.MayBeFrozen, syntax);
                    }

                    var effect = isOurs ? _flow._summaries.EffectOn(callee.OriginalDefinition, ordinal, _flow._depth + 1) : ModeEffect.Unknown;
                    switch (effect)
                    {
                        case ModeEffect.Eval:
                            State = State.With(modules: State.Modules.WithMode(id, ModeFact.Eval(syntax)));
                            break;
                        case ModeEffect.Train:
                            State = State.With(modules: State.Modules.WithMode(id, ModeFact.Train(new TrainOrigin(syntax, TrainOriginKind.Helper, State.Grad.Current.IsOff))));
                            break;
                        case ModeEffect.Unknown:
                            State = State.With(modules: State.Modules.WithMode(id, ModeFact.Unknown));
                            break;
                    }
                }

                if (isOurs)
                {
                    ApplyFieldEffects(callee, syntax, instance);
                }
            }

            /// <summary>
            /// A helper of this compilation that leaves module fields in Eval or Train mode: its own fields when it runs on
            /// <c>this</c>, static fields whatever its receiver, and the fields of a helper object held in a field of
            /// <c>this</c> when they are proved to hold a module field of <c>this</c> (<c>_sampler.Sample()</c>).
            /// </summary>
            private void ApplyFieldEffects(IMethodSymbol callee, SyntaxNode syntax, IOperation? instance)
            {
                var effects = _flow._summaries.FieldEffectsOf(callee.OriginalDefinition, _flow._depth + 1);
                if (effects.IsEmpty)
                {
                    return;
                }

                var receiver = instance?.SkipConversions();
                var onThis = receiver is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
                var holder = !onThis && receiver != null && StorageOf(receiver) is { Symbol: { } held } && (held is IFieldSymbol || held is IPropertySymbol) && !held.IsStatic
                    ? held
                    : null;
                foreach (var effect in effects)
                {
                    var target = effect.Field.IsStatic || onThis ? effect.Field
                        : holder != null ? _flow._summaries.ModuleFieldHeldBy(holder, effect.Field)
                        : null;
                    if (target is null)
                    {
                        continue;
                    }

                    var id = _flow._ids.ValueIn(State.Modules, Storage.Of(target));
                    if (id != NoValue)
                    {
                        State = State.With(modules: State.Modules.WithMode(id, effect.After(_flow._ids.ModeIn(State.Modules, id), syntax, State.Grad.Current.IsOff)));
                    }
                }
            }
        }
    }
}
