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
    /// The transfer of <see cref="ModeFlow"/> for one top-level operation, evaluated children first, as the runtime would.
    /// It follows which operation yields which module value (aliasing, conversions, fluent calls), dispatches each
    /// operation to the transfers of the domains it concerns (<see cref="ModuleModeTransfer"/>, <see cref="GradTransfer"/>,
    /// <see cref="FreezeTransfer"/>, <see cref="OptimizerTransfer"/>), and, during the final replay, records what rules
    /// read (<see cref="ModeFlowRecords"/>).
    /// </summary>
    internal sealed class ModeStep
    {
        private readonly Dictionary<IOperation, int> _values = new Dictionary<IOperation, int>();

        // Each holds what one operation opened and a later part of it stores (a scope object, an optimizer).
        private GradTransfer _grad;
        private OptimizerTransfer _optimizers;

        public ModeStep(ModeFlow flow, ModeState state)
        {
            Flow = flow;
            State = state;
        }

        public ModeFlow Flow { get; }

        /// <summary>The state after the parts of the operation evaluated so far.</summary>
        public ModeState State { get; set; }

        private TorchSymbols Symbols => Flow.Symbols;

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
                    if (Flow.FreezeSites.TryGetValue(assignment.Syntax, out var freezeSite))
                    {
                        FreezeTransfer.OnFreezeSite(this, freezeSite, assignment.Syntax);
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
                    Flow.Records?.Awaits.Add(new AwaitPoint(awaited, State.Grad.Current, State.Grad.Scopes));
                    break;
            }
        }

        /// <summary>
        /// The module value <paramref name="operation"/> yields, if the flow tracks it: one an earlier part of this operation
        /// produced, or the one a storage holds (whose entry mode is then written into the state).
        /// </summary>
        public bool TryValue(IOperation operation, out int id)
        {
            if (_values.TryGetValue(operation, out id))
            {
                return true;
            }

            if (Storage.Referenced(operation) is Storage storage && operation.Type != null && Symbols.IsModule(operation.Type))
            {
                var ids = Flow.Ids;
                id = ids.ValueIn(State.Modules, storage);
                if (id != ModuleValueIds.NoValue && !State.Modules.Modes.ContainsKey(id))
                {
                    State = State.With(modules: State.Modules.WithMode(id, ids.ModeIn(State.Modules, id)));
                }

                return id != ModuleValueIds.NoValue;
            }

            id = ModuleValueIds.NoValue;
            return false;
        }

        private void OnAssignment(IOperation target, IOperation value)
        {
            if (Storage.Referenced(target) is Storage storage)
            {
                OnStore(storage, value);
            }
        }

        private void OnStore(Storage storage, IOperation value)
        {
            if (_optimizers.TryStore(this, storage, value))
            {
                return;
            }

            if (value.Type is null || !Symbols.IsModule(value.Type))
            {
                _grad.OnStore(this, storage, value);
                return;
            }

            if (TryValue(value, out var id))
            {
                State = State.With(modules: State.Modules.Holding(storage, id));
                return;
            }

            // A module from somewhere the flow cannot see (a user factory, a property chain): its mode is unknown.
            var unknown = Flow.Ids.SiteIdOf(value.Syntax);
            State = State.With(modules: State.Modules.Holding(storage, unknown).WithMode(unknown, ModeFact.Unknown));
        }

        private void OnObjectCreation(IObjectCreationOperation creation)
        {
            if (Symbols.IsOptimizer(creation.Type))
            {
                _optimizers.OnCreation(this, creation, creation.Type!.Name, creation.Arguments);
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
            var id = Flow.Ids.CreatedAt(creation);
            _values[creation] = id;
            ModuleModeTransfer.OnCreation(this, id, creation);
        }

        private void OnInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            // The graph's implicit GetEnumerator/MoveNext/Dispose calls of a foreach share the collection's syntax.
            if (!invocation.IsImplicit && Flow.FreezeSites.TryGetValue(invocation.Syntax, out var freezeSite))
            {
                FreezeTransfer.OnFreezeSite(this, freezeSite, invocation.Syntax);
                return;
            }

            if (method.IsStatic && method.ContainingType?.Name == "optim" && Symbols.IsTorchSharp(method) && Symbols.IsOptimizer(method.ReturnType))
            {
                _optimizers.OnCreation(this, invocation, method.Name, invocation.Arguments);
                return;
            }

            if (OptimizerTransfer.TryForget(this, invocation))
            {
                return;
            }

            if (Symbols.AsGradScopeFactory(method) is GradScopeFactory factory)
            {
                _grad.OpenScope(this, invocation, GradSwitches.FlagsOf(factory, Flow.BoolArgument(invocation)));
                return;
            }

            if (GradTransfer.TryDispose(this, invocation))
            {
                return;
            }

            switch (Symbols.Classify(method))
            {
                case TorchCallKind.Eval:
                    ModuleModeTransfer.SetMode(this, invocation.Instance, ModeFact.Eval(invocation.Syntax));
                    return;
                case TorchCallKind.Train:
                    ModuleModeTransfer.SetMode(this, invocation.Instance, Flow.BoolArgument(invocation) switch
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
                    Flow.Records?.TrainingSteps.Add(new TrainingStep(invocation, Symbols.Classify(method), State.Grad.Current));
                    ModuleModeTransfer.MarkTrainCallsUsed(this, null);
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
                    if (!Symbols.IsModule(method.ReturnType) && Flow.Summaries.GradScopeReturnedBy(method.OriginalDefinition) is GradFlags returned)
                    {
                        _grad.OpenScope(this, invocation, returned);
                    }
                }
                else if (Symbols.MayReturnGradScopeUnseen(method))
                {
                    // A library method whose body we cannot read may hand back a grad scope (Scopes.NoGrad() of a
                    // referenced project): under it, grad mode is unknown rather than what it was.
                    _grad.OpenScope(this, invocation, GradFlags.Unknown);
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
            if (!(Flow.Records is { } records) || !reference.Method.IsInSource(Symbols.Compilation))
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
                records.CallSites.Add(new CallSite(reference.Method, reference.Syntax, known, ImmutableDictionary<int, ModeFact>.Empty));
            }
        }

        private void OnLambda(IFlowAnonymousFunctionOperation lambda)
        {
            if (!(Flow.Records is { } records) || !(Flow.GraphOf(lambda).OriginalOperation is IAnonymousFunctionOperation function))
            {
                return;
            }

            var run = DelegateRuns.Of(lambda, Symbols);
            var captured = run == DelegateRun.Unknown
                ? ImmutableDictionary<ISymbol, ModeFact>.Empty
                : Flow.ModesOf(State, CapturedModules.Of(function, Symbols));
            records.LambdaCreations[lambda.Syntax] = new LambdaCreation(lambda.Syntax, run, State.Grad.Current, captured);
        }

        private void OnForward(IInvocationOperation invocation)
        {
            if (!(Flow.Records is { } records))
            {
                return;
            }

            ModeFact? mode = null;
            IOperation? creation = null;
            if (invocation.Instance != null && TryValue(invocation.Instance, out var id))
            {
                mode = Flow.Ids.ModeIn(State.Modules, id);
                Flow.Ids.TryGetCreation(id, out creation);
            }

            records.ForwardPasses.Add(new ForwardPass(invocation, mode, State.Grad.Current, creation));
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
            if (isOurs && Flow.Records is { } records)
            {
                var facts = ImmutableDictionary.CreateRange(received.Select(r => new KeyValuePair<int, ModeFact>(r.Ordinal, Flow.Ids.ModeIn(State.Modules, r.Id))));
                records.CallSites.Add(new CallSite(callee.OriginalDefinition, syntax, State.Grad.Current, facts));
            }

            foreach (var (ordinal, id) in received)
            {
                ModuleModeTransfer.MarkTrainCallsUsed(this, id);
                FreezeTransfer.OnCall(this, callee, isOurs, ordinal, id, syntax);
                ModuleModeTransfer.OnCall(this, callee, isOurs, ordinal, id, syntax);
            }

            if (isOurs)
            {
                ModuleModeTransfer.OnFieldEffects(this, callee, syntax, instance);
            }
        }
    }
}
