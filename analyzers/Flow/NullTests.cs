using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// Reads null tests in branch conditions (<c>x == null</c>, <c>x != null</c>, <c>x is null</c>, <c>x is not null</c>,
    /// and the <see cref="IIsNullOperation"/> the graph uses for <c>using</c> and <c>?.</c>), so flows can learn on
    /// which edge a value is null.
    /// </summary>
    internal static class NullTests
    {
        /// <summary>
        /// For a branch out of <paramref name="source"/>, whether the tested operand (accepted by <paramref name="isTracked"/>)
        /// is null on that edge: true, false, or null when the condition is no such test.
        /// </summary>
        public static bool? IsNullOnEdge(BasicBlock source, ControlFlowBranch branch, Func<IOperation, bool> isTracked)
        {
            if (source.BranchValue is null || source.ConditionKind == ControlFlowConditionKind.None)
            {
                return null;
            }

            if (!(NullWhen(source.BranchValue, isTracked) is bool nullWhen))
            {
                return null;
            }

            // The branch value is true on the conditional successor when ConditionKind is WhenTrue.
            var valueOnThisEdge = branch.IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
            return nullWhen == valueOnThisEdge;
        }

        /// <summary>For a null test of a tracked operand, the value of the test that means "null"; otherwise null.</summary>
        private static bool? NullWhen(IOperation condition, Func<IOperation, bool> isTracked)
        {
            switch (condition.SkipConversions())
            {
                case IIsNullOperation isNull when isTracked(isNull.Operand):
                    return true;
                case IBinaryOperation binary when IsNullComparison(binary, out var operand) && isTracked(operand):
                    return binary.OperatorKind == BinaryOperatorKind.Equals;
                case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern
                    when isTracked(pattern.Value) && IsNullLiteral(constant.Value):
                    return true;
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern
                    when isTracked(pattern.Value) && IsNullLiteral(constant.Value):
                    return false;
                default:
                    return null;
            }
        }

        private static bool IsNullComparison(IBinaryOperation binary, out IOperation operand)
        {
            operand = binary.LeftOperand;
            if (binary.OperatorKind != BinaryOperatorKind.Equals && binary.OperatorKind != BinaryOperatorKind.NotEquals)
            {
                return false;
            }

            if (IsNullLiteral(binary.RightOperand))
            {
                return true;
            }

            operand = binary.RightOperand;
            return IsNullLiteral(binary.LeftOperand);
        }

        private static bool IsNullLiteral(IOperation operation)
            => operation.SkipConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };
    }
}
