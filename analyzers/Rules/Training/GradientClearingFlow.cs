using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// TORCH011's dataflow: along one control-flow graph, what the gradients held by the parameters of each stepped
    /// optimizer contain when its <c>step()</c> runs. Per optimizer (at most <see cref="MaxOptimizers"/> per graph) the
    /// state is the set of tuples that some path can reach, four bits each:
    /// <list type="bullet">
    /// <item><c>G</c>: a <c>backward()</c> ran since the last clear, so the parameters hold gradients;</item>
    /// <item><c>U</c>: a step of the optimizer already used gradients accumulated since the last clear;</item>
    /// <item><c>N</c>: a <c>backward()</c> ran since the last step (new gradients for the next step);</item>
    /// <item><c>C</c>: a clear threw away gradients of a <c>backward()</c> that no step had used, and none came since.</item>
    /// </list>
    /// A step that some path reaches with <c>U</c> and <c>N</c> uses the gradients of its previous step again (measured:
    /// step N's gradient is N times the true one); a step that every path reaches with <c>C</c> runs on cleared gradients.
    /// Sets of tuples, not one tuple of may-bits, so that "U and N" holds on one path, not on two joined ones. Every call
    /// that might clear gradients and is not known to clear this optimizer's (a module's <c>zero_grad()</c> of unknown
    /// relation, a helper that mentions <c>zero_grad</c>, unknown code handed the optimizer) forgets everything: precision
    /// first, it can only silence.
    /// </summary>
    internal sealed class GradientClearingFlow : ForwardDataflow<ulong>
    {
        /// <summary>The optimizers followed per graph: four tuples-sets of 16 bits fill the 64-bit state.</summary>
        public const int MaxOptimizers = 4;

        private const int G = 1;
        private const int U = 2;
        private const int N = 4;
        private const int C = 8;
        private const ulong Clean = 1UL; // the set { (no bit) }

        private readonly TorchSymbols _symbols;
        private readonly GradientClearingCalls _calls;
        private readonly List<ISymbol> _optimizers;
        private readonly ISymbol?[] _builtOver;
        private readonly Dictionary<IOperation, IOperation[]> _effects = new Dictionary<IOperation, IOperation[]>();

        private GradientClearingFlow(ControlFlowGraph graph, TorchSymbols symbols, GradientClearingCalls calls, List<ISymbol> optimizers)
            : base(graph, EqualityComparer<ulong>.Default)
        {
            _symbols = symbols;
            _calls = calls;
            _optimizers = optimizers;
            _builtOver = optimizers.Select(o => ModuleBuiltOver(o, graph)).ToArray();
        }

        /// <summary>What the flow proves at the steps of <paramref name="graph"/>: each step with gradients left over or thrown away.</summary>
        public static IReadOnlyList<GradientFinding> FindingsIn(ControlFlowGraph graph, TorchSymbols symbols, GradientClearingCalls calls)
        {
            var optimizers = new List<ISymbol>();
            var backward = false;
            foreach (var operation in graph.Blocks.SelectMany(Operations).SelectMany(o => o.DescendantsAndSelf()))
            {
                if (!(operation is IInvocationOperation invocation))
                {
                    continue;
                }

                switch (symbols.Classify(invocation.TargetMethod))
                {
                    case TorchCallKind.Backward:
                        backward = true;
                        break;
                    case TorchCallKind.OptimizerStep when !HasClosure(invocation) && OptimizerKey(invocation.Instance, graph) is { } key
                                                         && !optimizers.Contains(key, SymbolEqualityComparer.Default)
                                                         && optimizers.Count < MaxOptimizers:
                        optimizers.Add(key);
                        break;
                }
            }

            if (!backward || optimizers.Count == 0)
            {
                return System.Array.Empty<GradientFinding>();
            }

            var flow = new GradientClearingFlow(graph, symbols, calls, optimizers);
            var initial = 0UL;
            for (var i = 0; i < optimizers.Count; i++)
            {
                initial |= Clean << (16 * i);
            }

            flow.Run(initial);
            var atSteps = new Dictionary<IInvocationOperation, (int Index, ulong Tuples)>();
            foreach (var block in graph.Blocks)
            {
                flow.Replay(block, (operation, state) => flow.Apply(operation, state, (step, index, before) =>
                {
                    var tuples = (before >> (16 * index)) & 0xFFFF;
                    atSteps[step] = atSteps.TryGetValue(step, out var seen) ? (index, seen.Tuples | tuples) : (index, tuples);
                }));
            }

            var findings = new List<GradientFinding>();
            foreach (var pair in atSteps)
            {
                var (index, tuples) = pair.Value;
                if (Any(tuples, t => (t & U) != 0 && (t & N) != 0))
                {
                    findings.Add(new GradientFinding(pair.Key, optimizers[index], GradientFindingKind.NeverCleared));
                }
                else if (tuples != 0 && !Any(tuples, t => (t & C) == 0))
                {
                    findings.Add(new GradientFinding(pair.Key, optimizers[index], GradientFindingKind.ClearedBeforeStep));
                }
            }

            return findings;
        }

        protected override ulong Join(ulong left, ulong right) => left | right;

        protected override ulong Transfer(IOperation operation, ulong state) => Apply(operation, state, null);

        /// <summary>The effect of one top-level operation, calling <paramref name="atStep"/> with the state just before each tracked step.</summary>
        private ulong Apply(IOperation operation, ulong state, System.Action<IInvocationOperation, int, ulong>? atStep)
        {
            foreach (var current in EffectsOf(operation))
            {
                switch (current)
                {
                    case IInvocationOperation invocation:
                        state = ApplyCall(invocation, state, atStep);
                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "grad" } }:
                        // p.grad = null: gradients set by hand.
                        state = ForgetAll(state);
                        break;
                }
            }

            return state;
        }

        /// <summary>
        /// The operations of <paramref name="operation"/> that may change the state — calls other than TorchSharp's
        /// bookkeeping, and writes of <c>grad</c> — children before parents (the order in which the calls of one statement
        /// run). Found once per operation: the fixpoint and the replay visit each operation several times.
        /// </summary>
        private IOperation[] EffectsOf(IOperation operation)
        {
            if (!_effects.TryGetValue(operation, out var effects))
            {
                effects = operation.DescendantsAndSelf().Reverse().Where(MayChangeState).ToArray();
                _effects.Add(operation, effects);
            }

            return effects;
        }

        private bool MayChangeState(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "grad" } }:
                    return true;
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    return _symbols.Classify(method) is TorchCallKind.Backward or TorchCallKind.OptimizerStep
                           || !_symbols.IsTorchSharp(method)
                           || (!method.IsStatic && method.Name is TorchNames.ZeroGrad or TorchNames.Parameters or TorchNames.NamedParameters or "zero_");
                default:
                    return false;
            }
        }

        private ulong ApplyCall(IInvocationOperation invocation, ulong state, System.Action<IInvocationOperation, int, ulong>? atStep)
        {
            var method = invocation.TargetMethod;
            switch (_symbols.Classify(method))
            {
                case TorchCallKind.Backward:
                    return MapAll(state, t => (t | G | N) & ~C);
                case TorchCallKind.OptimizerStep:
                    if (HasClosure(invocation))
                    {
                        // LBFGS: the closure computes (and usually clears) the gradients itself.
                        return ForgetAll(state);
                    }

                    var stepped = IndexOf(OptimizerKey(invocation.Instance, Graph));
                    if (stepped < 0)
                    {
                        return state;
                    }

                    atStep?.Invoke(invocation, stepped, state);
                    return MapOne(state, stepped, t => ((t & G) != 0 ? t | U : t) & ~N & ~C);
            }

            if (!_symbols.IsTorchSharp(method))
            {
                return _calls.MayClear(invocation) ? ForgetAll(state) : state;
            }

            if (method.IsStatic)
            {
                return state;
            }

            if (method.Name == TorchNames.ZeroGrad)
            {
                return ZeroGrad(invocation, state);
            }

            // foreach (var p in model.parameters()) p.grad?.zero_(); — the graph has a path through no element, the model has none.
            if ((method.Name == TorchNames.Parameters || method.Name == TorchNames.NamedParameters)
                && invocation.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax loop && loop.Expression == invocation.Syntax
                && GradientClearingCalls.ClearsText(loop.Statement))
            {
                return ForgetAll(state);
            }

            // p.grad.zero_(), p.grad?.zero_(): gradients cleared by hand.
            var receiver = invocation.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax conditional
                ? conditional.Expression
                : invocation.Instance?.Syntax;
            return method.Name == "zero_" && receiver != null && receiver.ToString().Contains("grad")
                ? ForgetAll(state)
                : state;
        }

        private ulong ZeroGrad(IInvocationOperation invocation, ulong state)
        {
            var key = OptimizerKey(invocation.Instance, Graph);
            if (_symbols.IsOptimizer(invocation.Instance?.Type ?? invocation.TargetMethod.ContainingType))
            {
                var index = IndexOf(key);

                // Another optimizer this graph never steps may share parameters with a stepped one: unknown, forget.
                return index >= 0 ? MapOne(state, index, Clear) : ForgetAll(state);
            }

            // A module's zero_grad(): clears an optimizer built here over that module; for the others the relation is unknown.
            for (var i = 0; i < _optimizers.Count; i++)
            {
                state = key != null && SymbolEqualityComparer.Default.Equals(_builtOver[i], key)
                    ? MapOne(state, i, Clear)
                    : MapOne(state, i, _ => 0);
            }

            return state;
        }

        /// <summary>A clear: gradients of a backward() no step used yet are thrown away (C), everything else is gone.</summary>
        private static int Clear(int t) => (t & (N | C)) != 0 ? C : 0;

        private ulong ForgetAll(ulong state)
        {
            for (var i = 0; i < _optimizers.Count; i++)
            {
                state = MapOne(state, i, _ => 0);
            }

            return state;
        }

        private ulong MapAll(ulong state, System.Func<int, int> map)
        {
            for (var i = 0; i < _optimizers.Count; i++)
            {
                state = MapOne(state, i, map);
            }

            return state;
        }

        private static ulong MapOne(ulong state, int index, System.Func<int, int> map)
        {
            var shift = 16 * index;
            var tuples = (state >> shift) & 0xFFFF;
            var mapped = 0UL;
            for (var t = 0; t < 16; t++)
            {
                if ((tuples & (1UL << t)) != 0)
                {
                    mapped |= 1UL << map(t);
                }
            }

            return (state & ~(0xFFFFUL << shift)) | (mapped << shift);
        }

        private static bool Any(ulong tuples, System.Func<int, bool> holds)
        {
            for (var t = 0; t < 16; t++)
            {
                if ((tuples & (1UL << t)) != 0 && holds(t))
                {
                    return true;
                }
            }

            return false;
        }

        private int IndexOf(ISymbol? key)
        {
            if (key is null)
            {
                return -1;
            }

            for (var i = 0; i < _optimizers.Count; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(_optimizers[i], key))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary><c>step(closure)</c>: the closure runs forward, backward (and zero_grad) itself.</summary>
        private static bool HasClosure(IInvocationOperation step)
            => step.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && !(a.Value.SkipConversions() is ILiteralOperation { ConstantValue.Value: null }));

        /// <summary>
        /// The variable that names an optimizer or a module: a local (through one alias <c>var o = this.opt;</c>), a
        /// parameter, or a field or property of <c>this</c> or static; null for anything else (an element of a list, a
        /// member of another object), which the flow does not follow.
        /// </summary>
        public static ISymbol? OptimizerKey(IOperation? instance, ControlFlowGraph graph)
        {
            switch (instance?.SkipConversions())
            {
                case ILocalReferenceOperation local:
                    return VariableWrites.OnlyValue(graph.OriginalOperation, local.Local) is { } value && Plain(value.SkipConversions()) is { } aliased
                        ? aliased
                        : local.Local;
                case { } other:
                    return Plain(other);
                default:
                    return null;
            }
        }

        private static ISymbol? Plain(IOperation operation) => operation switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Arguments.IsEmpty: true } property => property.Property,
            _ => null,
        };

        /// <summary>The module whose parameters() a local optimizer was built over in this body; null when not seen.</summary>
        private static ISymbol? ModuleBuiltOver(ISymbol optimizer, ControlFlowGraph graph)
        {
            if (!(optimizer is ILocalSymbol local) || !(VariableWrites.OnlyValue(graph.OriginalOperation, local)?.SkipConversions() is { } created))
            {
                return null;
            }

            var arguments = created switch
            {
                IInvocationOperation call => call.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => default,
            };
            if (arguments.IsDefaultOrEmpty)
            {
                return null;
            }

            var modules = arguments[0].Value.DescendantsAndSelf()
                .OfType<IInvocationOperation>()
                .Where(i => i.TargetMethod.Name == TorchNames.Parameters || i.TargetMethod.Name == TorchNames.NamedParameters)
                .Select(i => OptimizerKey(i.Instance, graph))
                .Distinct(SymbolEqualityComparer.Default)
                .ToList();
            return modules.Count == 1 ? modules[0] : null;
        }

        private static IEnumerable<IOperation> Operations(BasicBlock block)
            => block.BranchValue is { } branch ? block.Operations.Append(branch) : block.Operations;
    }

    /// <summary>What TORCH011 found at a step.</summary>
    internal enum GradientFindingKind
    {
        /// <summary>Some path reaches the step with gradients a previous step of the same optimizer already used.</summary>
        NeverCleared,

        /// <summary>Every path reaches the step with gradients cleared after the backward() that computed them.</summary>
        ClearedBeforeStep,
    }

    /// <summary>A step and what the flow proves about the gradients it uses.</summary>
    internal readonly struct GradientFinding
    {
        public GradientFinding(IInvocationOperation step, ISymbol optimizer, GradientFindingKind kind)
        {
            Step = step;
            Optimizer = optimizer;
            Kind = kind;
        }

        public IInvocationOperation Step { get; }

        public ISymbol Optimizer { get; }

        public GradientFindingKind Kind { get; }
    }
}
