using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's questions about iterator methods, whose body runs where the result is enumerated, not where they are
    /// called (<see cref="IteratorEnumeration"/>): only a call enumerated in place tells the grad mode of the body.
    /// </summary>
    internal sealed partial class ModeFlowEngine
    {
        /// <summary>Whether <paramref name="method"/> is an iterator of this compilation's source (read once per method).</summary>
        public bool IsIterator(IMethodSymbol method)
            => _iterators.GetOrAdd(method.OriginalDefinition, ComputeIsIterator);

        private readonly ConcurrentDictionary<IMethodSymbol, bool> _iterators = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

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

        /// <summary>Whether the result of the call <paramref name="call"/> is enumerated where it is called.</summary>
        public bool IsEnumeratedInPlace(SyntaxNode call) => IteratorEnumeration.IsEnumeratedInPlace(call, ModelOf(call.SyntaxTree));

        /// <summary>
        /// Whether the body of the iterator <paramref name="iterator"/> runs with autograd recording: some call of this
        /// compilation enumerates it in place with autograd on there (through its callers, up to <see cref="MaxDepth"/>);
        /// or nothing here calls it (an entry point: the default grad mode, as for any other method). A call whose result
        /// escapes says nothing: enumerated elsewhere, in a grad mode nobody can read here.
        /// </summary>
        private bool IteratorEnumeratedWithGradOn(IMethodSymbol iterator, int depth)
            => depth < MaxDepth && _iteratorsWithGradOn.GetOrAdd((iterator, depth), key => ComputeIteratorEnumeratedWithGradOn(key.Item1, key.Item2));

        private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> _iteratorsWithGradOn
            = new ConcurrentDictionary<(IMethodSymbol, int), bool>(new MethodDepthComparer());

        private bool ComputeIteratorEnumeratedWithGradOn(IMethodSymbol iterator, int depth)
        {
            var called = false;
            foreach (var syntax in CandidatesOf(iterator))
            {
                if (!Calls(syntax, iterator))
                {
                    called |= MayCallUnbound(syntax, iterator);
                    continue;
                }

                called = true;
                if (IsEnumeratedInPlace(syntax) && SiteAt(syntax, depth) is { } site && GradIsOnAtCall(site.Site.Grad, site.Caller, depth + 1))
                {
                    return true;
                }
            }

            return !called;
        }

        /// <summary>Whether autograd records on every path at a call in <paramref name="caller"/>'s body with <paramref name="grad"/>.</summary>
        private bool GradIsOnAtCall(GradFact grad, IMethodSymbol caller, int depth)
        {
            var flags = grad.Flags;
            if (flags == GradFlags.None || (flags & ~(GradFlags.Enabled | GradFlags.Entry)) != 0)
            {
                return false;
            }

            return (flags & GradFlags.Entry) == 0
                   || (IsIterator(caller) ? IteratorEnumeratedWithGradOn(caller, depth) : !EveryCallerDisablesGrad(caller, depth));
        }
    }
}
