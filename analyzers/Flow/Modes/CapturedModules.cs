using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The module locals and parameters a lambda captures from the code around it, and whether the lambda only runs
    /// them (<c>model.call(x)</c>, <c>model.forward(x)</c>, a property read): a lambda that does anything else with a
    /// captured module (eval(), train(), passing it on) may leave it in another mode for its next run.
    /// </summary>
    internal static class CapturedModules
    {
        private static readonly ConditionalWeakTable<IOperation, Box> Cache = new ConditionalWeakTable<IOperation, Box>();

        /// <summary>The module locals and parameters declared outside <paramref name="function"/> that it reads.</summary>
        public static ImmutableArray<ISymbol> Of(IAnonymousFunctionOperation function, TorchSymbols symbols)
            => Cache.GetValue(function, f => new Box(Find((IAnonymousFunctionOperation)f, symbols))).Symbols;

        /// <summary>
        /// Whether every reference to <paramref name="symbol"/> under <paramref name="root"/> only runs the module or reads
        /// one of its properties.
        /// </summary>
        public static bool OnlyRuns(IOperation root, ISymbol symbol)
            => !root.AnyInTree(operation => IsReference(operation, symbol) && !RunsOrReads(operation));

        private static ImmutableArray<ISymbol> Find(IAnonymousFunctionOperation function, TorchSymbols symbols)
        {
            var span = function.Syntax.Span;
            var found = ImmutableArray.CreateBuilder<ISymbol>();
            foreach (var operation in function.Body.DescendantsAndSelf())
            {
                var (symbol, type) = operation switch
                {
                    ILocalReferenceOperation local => ((ISymbol)local.Local, local.Local.Type),
                    IParameterReferenceOperation parameter => (parameter.Parameter, parameter.Parameter.Type),
                    _ => (null, null),
                };
                if (symbol is null || !symbols.IsModule(type) || found.Contains(symbol, SymbolEqualityComparer.Default))
                {
                    continue;
                }

                // Declared outside the lambda: captured. (A lambda's own parameters and locals are declared inside it.)
                foreach (var reference in symbol.DeclaringSyntaxReferences)
                {
                    if (reference.SyntaxTree == function.Syntax.SyntaxTree && !span.Contains(reference.Span))
                    {
                        found.Add(symbol);
                        break;
                    }
                }
            }

            return found.ToImmutable();
        }

        private static bool IsReference(IOperation operation, ISymbol symbol) => operation switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
            _ => false,
        };

        private static bool RunsOrReads(IOperation reference)
        {
            var consumer = reference.ConsumerOf(out var consumed);
            return consumer switch
            {
                IInvocationOperation call => call.Instance == consumed && call.TargetMethod.Name is TorchNames.Call or TorchNames.Forward,
                IPropertyReferenceOperation property => property.Instance == consumed && !IsWritten(property),
                _ => false,
            };
        }

        private static bool IsWritten(IOperation target)
            => target.Parent is IAssignmentOperation assignment && assignment.Target == target;

        private sealed class Box
        {
            public Box(ImmutableArray<ISymbol> symbols) => Symbols = symbols;

            public ImmutableArray<ISymbol> Symbols { get; }
        }
    }
}
