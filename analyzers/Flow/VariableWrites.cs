using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// How a body (lambdas and local functions included) writes a local or a parameter: the one question behind a
    /// steering flag (<c>SteeringFlag</c>) and an optimizer created in the body (<c>GradientReach</c>).
    /// </summary>
    internal static class VariableWrites
    {
        /// <summary>
        /// The value of the only write of <paramref name="variable"/> in <paramref name="body"/> — its declaration's
        /// initializer or one simple assignment — or null when it has none, several, or a write of another kind (compound,
        /// <c>++</c>, a ref/out argument, a deconstruction).
        /// </summary>
        public static IOperation? OnlyValue(IOperation body, ISymbol variable)
            => Scan(body, variable, out var value) == 1 ? value : null;

        /// <summary>Whether <paramref name="body"/> never writes <paramref name="variable"/> (a parameter left as passed).</summary>
        public static bool NeverWritten(IOperation body, ISymbol variable) => Scan(body, variable, out _) == 0;

        /// <summary>The number of plain writes and the last value written; -1 for a write of another kind.</summary>
        private static int Scan(IOperation body, ISymbol variable, out IOperation? value)
        {
            value = null;
            var writes = 0;
            foreach (var operation in body.Descendants())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, variable):
                        if (declarator.GetVariableInitializer() is { } initializer)
                        {
                            value = initializer.Value;
                            writes++;
                        }

                        break;
                    case ISimpleAssignmentOperation assignment when Refers(assignment.Target, variable):
                        value = assignment.Value;
                        writes++;
                        break;
                    case IDeconstructionAssignmentOperation deconstruction when deconstruction.Target.DescendantsAndSelf().Any(t => Refers(t, variable)):
                    case IAssignmentOperation other when Refers(other.Target, variable):
                    case IIncrementOrDecrementOperation increment when Refers(increment.Target, variable):
                    case IArgumentOperation { Parameter: { RefKind: not RefKind.None and not RefKind.In } } argument when Refers(argument.Value, variable):
                        return -1;
                }
            }

            return writes;
        }

        private static bool Refers(IOperation operation, ISymbol variable) => operation switch
        {
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
            _ => false,
        };
    }
}
