using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's questions about iterator methods, whose body runs where the result is enumerated, not where they are
    /// called (<see cref="IteratorEnumeration"/>): only a call enumerated in place tells the grad mode of the body.
    /// One per engine, shared by every rule.
    /// </summary>
    internal sealed class IteratorMethods
    {
        private readonly Func<SyntaxTree, SemanticModel?> _modelOf;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _iterators = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

        public IteratorMethods(Func<SyntaxTree, SemanticModel?> modelOf) => _modelOf = modelOf;

        /// <summary>Whether <paramref name="method"/> is an iterator of this compilation's source (read once per method).</summary>
        public bool IsIterator(IMethodSymbol method)
            => _iterators.GetOrAdd(method.OriginalDefinition, ComputeIsIterator);

        /// <summary>Whether the result of the call <paramref name="call"/> is enumerated where it is called.</summary>
        public bool IsEnumeratedInPlace(SyntaxNode call) => IteratorEnumeration.IsEnumeratedInPlace(call, _modelOf(call.SyntaxTree));

        private static bool ComputeIsIterator(IMethodSymbol method)
        {
            if (method.ReturnsVoid || method.IsAbstract || method.IsExtern)
            {
                return false;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (IteratorEnumeration.IsIteratorDeclaration(reference.GetSyntax()))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
