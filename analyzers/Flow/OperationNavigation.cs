using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>Small questions about the shape of an operation tree that several analyses ask.</summary>
    internal static class OperationNavigation
    {
        /// <summary>The operation without the conversions and parentheses that wrap it.</summary>
        public static IOperation SkipConversions(this IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        continue;
                    case IParenthesizedOperation parenthesized:
                        operation = parenthesized.Operand;
                        continue;
                    default:
                        return operation;
                }
            }
        }

        /// <summary>
        /// The operation that consumes <paramref name="operation"/>'s value, looking through conversions and
        /// parentheses; <paramref name="consumed"/> is the child of the consumer that holds the value.
        /// </summary>
        public static IOperation? ConsumerOf(this IOperation operation, out IOperation consumed)
        {
            consumed = operation;
            var parent = operation.Parent;
            while (parent is IConversionOperation || parent is IParenthesizedOperation)
            {
                consumed = parent;
                parent = parent.Parent;
            }

            return parent;
        }

        /// <summary>
        /// The value of the only argument of a one-parameter call when it is a constant bool (an omitted default counts:
        /// <c>train()</c> is <c>train(true)</c>); null otherwise.
        /// </summary>
        public static bool? ConstantBoolArgument(this IInvocationOperation invocation)
            => invocation.Arguments.Length == 1 && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: bool value }
                ? value
                : (bool?)null;

        /// <summary>
        /// Whether <paramref name="operation"/> or any operation under it satisfies <paramref name="predicate"/>: a
        /// recursion over ChildOperations (a struct enumerator) that stops at the first match and allocates nothing,
        /// for the walks that run on every body.
        /// </summary>
        public static bool AnyInTree(this IOperation operation, System.Func<IOperation, bool> predicate)
        {
            if (predicate(operation))
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                if (child.AnyInTree(predicate))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The innermost lambda or local function that contains <paramref name="operation"/>, or null for the member body itself.</summary>
        public static IOperation? EnclosingFunction(this IOperation operation)
        {
            for (var current = operation.Parent; current != null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation || current is ILocalFunctionOperation)
                {
                    return current;
                }
            }

            return null;
        }

        /// <summary>The root of the operation tree that holds <paramref name="operation"/> (the member body).</summary>
        public static IOperation Root(this IOperation operation)
        {
            var current = operation;
            while (current.Parent != null)
            {
                current = current.Parent;
            }

            return current;
        }
    }
}
