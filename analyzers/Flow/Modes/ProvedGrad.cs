using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's strict question about grad mode at a method's entry: is autograd provably on there, read from the
    /// calls whose facts are known. Asked where a diagnostic needs proof the loose answer cannot give: iterators (whose
    /// body runs where they are enumerated) and the passes of a module's own inference methods (TORCH002).
    /// </summary>
    internal sealed class ProvedGrad
    {
        private readonly CallSites _sites;
        private readonly IteratorMethods _iterators;

        public ProvedGrad(CallSites sites, IteratorMethods iterators)
        {
            _sites = sites;
            _iterators = iterators;
        }

        /// <summary>
        /// Whether autograd provably records at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// enabled in the body, or enabled at entry because some call of this compilation whose facts are known runs it
        /// with autograd provably on (through its callers, up to <see cref="ModeFlowEngine.MaxDepth"/>; a call of an iterator only where
        /// it is enumerated in place), or because nothing here calls it (an entry point: the default grad mode). A caller
        /// whose facts cannot be known (a lambda, a local function, a call that does not bind) proves nothing, unlike
        /// <see cref="ModeFlowEngine.IsGradOn"/>, for which only every caller's grad-off scope silences.
        /// </summary>
        public bool IsGradProvablyOn(GradFact grad, ISymbol owner)
            => owner is IMethodSymbol method ? GradIsProvablyOnAtCall(grad, method.OriginalDefinition, 0)
               : grad.Flags == GradFlags.Enabled;

        /// <summary>Whether some call of <paramref name="method"/> runs its body with autograd provably on, or nothing here calls it.</summary>
        public bool EntryIsProvablyOn(IMethodSymbol method, int depth)
            => depth < ModeFlowEngine.MaxDepth && _entriesProvablyOn.GetOrAdd((method, depth), key => ComputeEntryIsProvablyOn(key.Item1, key.Item2));

        private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> _entriesProvablyOn
            = new ConcurrentDictionary<(IMethodSymbol, int), bool>(new MethodDepthComparer());

        private bool ComputeEntryIsProvablyOn(IMethodSymbol method, int depth)
        {
            var iterator = _iterators.IsIterator(method);
            var called = false;
            foreach (var syntax in _sites.CandidatesOf(method))
            {
                if (!_sites.Calls(syntax, method))
                {
                    called |= _sites.MayCallUnbound(syntax, method);
                    continue;
                }

                called = true;
                if ((!iterator || _iterators.IsEnumeratedInPlace(syntax))
                    && _sites.SiteAt(syntax, depth) is { } site && GradIsProvablyOnAtCall(site.Site.Grad, site.Caller, depth + 1))
                {
                    return true;
                }
            }

            return !called;
        }

        /// <summary>Whether autograd provably records at a call in <paramref name="caller"/>'s body with <paramref name="grad"/>.</summary>
        private bool GradIsProvablyOnAtCall(GradFact grad, IMethodSymbol caller, int depth)
        {
            var flags = grad.Flags;
            if (flags == GradFlags.None || (flags & ~(GradFlags.Enabled | GradFlags.Entry)) != 0)
            {
                return false;
            }

            return (flags & GradFlags.Entry) == 0 || EntryIsProvablyOn(caller, depth);
        }
    }
}
