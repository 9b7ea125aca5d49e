using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// A bool parameter or local that steers a shared train/eval loop — <c>if (isTrain) model.train(); else model.eval();</c>,
    /// <c>using (torch.set_grad_enabled(isTrain))</c>, <c>if (isTrain) { loss.backward(); optimizer.step(); }</c> — and that
    /// the body never changes. Its tests are correlated: on every path through one run of the body it has one value, so
    /// the flow runs once with it true and once false, and the eval branch of one test never meets the training branch
    /// of another (issue 13, item 4; docs/rules/TORCH005.md).
    /// </summary>
    internal readonly struct SteeringFlag
    {
        private SteeringFlag(ISymbol symbol, bool value)
        {
            Symbol = symbol;
            Value = value;
        }

        /// <summary>The parameter or local.</summary>
        public ISymbol Symbol { get; }

        /// <summary>The value assumed for this run of the flow.</summary>
        public bool Value { get; }

        /// <summary>The same flag with <paramref name="value"/> assumed.</summary>
        public SteeringFlag Assuming(bool value) => new SteeringFlag(Symbol, value);

        /// <summary>The value of <paramref name="operation"/> under this assumption when it is a test of the flag (<c>f</c>, <c>!f</c>, <c>f == true</c> …); null otherwise.</summary>
        public bool? ValueOf(IOperation? operation)
        {
            switch (operation?.SkipConversions())
            {
                case IParameterReferenceOperation parameter when SymbolEqualityComparer.Default.Equals(parameter.Parameter, Symbol):
                    return Value;
                case ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, Symbol):
                    return Value;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return !ValueOf(not.Operand);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    var left = ValueOf(comparison.LeftOperand) ?? ConstantOf(comparison.LeftOperand);
                    var right = ValueOf(comparison.RightOperand) ?? ConstantOf(comparison.RightOperand);
                    if (left is null || right is null || (ValueOf(comparison.LeftOperand) is null && ValueOf(comparison.RightOperand) is null))
                    {
                        return null;
                    }

                    return (left == right) == (comparison.OperatorKind == BinaryOperatorKind.Equals);
                default:
                    return null;
            }
        }

        /// <summary>Whether the branch can be taken under this assumption.</summary>
        public bool Allows(BasicBlock source, ControlFlowBranch branch)
        {
            if (source.ConditionKind == ControlFlowConditionKind.None || !(ValueOf(source.BranchValue) is bool value))
            {
                return true;
            }

            var takenWhen = source.ConditionKind == ControlFlowConditionKind.WhenTrue;
            return branch == source.ConditionalSuccessor ? value == takenWhen : value != takenWhen;
        }

        /// <summary>
        /// The flag of a body, if it has one: a bool parameter (not ref/out) or a local initialised once and never written
        /// again, tested by at least two branches, or by one branch and given to <c>train(..)</c> or a grad switch. Of several,
        /// the most used; one flag only, so a body runs its flow at most twice.
        /// </summary>
        public static SteeringFlag? Find(ControlFlowGraph graph, TorchSymbols symbols)
        {
            var uses = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            foreach (var block in graph.Blocks)
            {
                if (block.ConditionKind != ControlFlowConditionKind.None && TestedFlag(block.BranchValue) is { } tested)
                {
                    Count(uses, tested, 2);
                }
            }

            if (uses.Count == 0)
            {
                return null;
            }

            // Arguments of train(flag) and grad switches count once; a flag needs a branch (counted 2) and one more use.
            foreach (var operation in graph.OriginalOperation.Descendants())
            {
                if (operation is IInvocationOperation { Arguments: { Length: 1 } arguments } invocation
                    && (symbols.Classify(invocation.TargetMethod) == TorchCallKind.Train || symbols.AsGradScopeFactory(invocation.TargetMethod) != null)
                    && TestedFlag(arguments[0].Value) is { } given && uses.ContainsKey(given))
                {
                    Count(uses, given, 1);
                }
            }

            ISymbol? best = null;
            var bestUses = 2;
            foreach (var pair in uses)
            {
                if (pair.Value > bestUses && (pair.Key is IParameterSymbol ? VariableWrites.NeverWritten(graph.OriginalOperation, pair.Key) : VariableWrites.OnlyValue(graph.OriginalOperation, pair.Key) != null))
                {
                    best = pair.Key;
                    bestUses = pair.Value;
                }
            }

            return best is null ? (SteeringFlag?)null : new SteeringFlag(best, true);
        }

        private static void Count(Dictionary<ISymbol, int> uses, ISymbol flag, int weight)
        {
            uses[flag] = uses.TryGetValue(flag, out var count) ? count + weight : weight;
        }

        /// <summary>The bool parameter or local a condition tests (through <c>!</c> and comparisons with a constant).</summary>
        private static ISymbol? TestedFlag(IOperation? condition)
        {
            switch (condition?.SkipConversions())
            {
                case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type: { SpecialType: SpecialType.System_Boolean } } parameter }:
                    return parameter;
                case ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type: { SpecialType: SpecialType.System_Boolean } } local }:
                    return local;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return TestedFlag(not.Operand);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                    return ConstantOf(comparison.RightOperand) != null ? TestedFlag(comparison.LeftOperand)
                        : ConstantOf(comparison.LeftOperand) != null ? TestedFlag(comparison.RightOperand)
                        : null;
                default:
                    return null;
            }
        }

        private static bool? ConstantOf(IOperation operation)
            => operation.SkipConversions().ConstantValue is { HasValue: true, Value: bool value } ? value : (bool?)null;
    }
}
