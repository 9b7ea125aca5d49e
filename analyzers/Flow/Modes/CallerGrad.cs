using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The grad mode callers run a method in: whether every caller of this compilation disables autograd (so that grad
    /// "as on entry" is off), which calls record, and one call that runs it with autograd off. One per engine; thread-safe.
    /// </summary>
    internal sealed class CallerGrad
    {
        private readonly bool _exhaustive;
        private readonly CallSyntaxIndex _callSyntax;
        private readonly CallSites _sites;
        private readonly IteratorMethods _iterators;
        private readonly ProvedGrad _provedGrad;

        public CallerGrad(bool exhaustive, CallSyntaxIndex callSyntax, CallSites sites, IteratorMethods iterators, ProvedGrad provedGrad)
        {
            _exhaustive = exhaustive;
            _callSyntax = callSyntax;
            _sites = sites;
            _iterators = iterators;
            _provedGrad = provedGrad;
        }

        /// <summary>
        /// Whether autograd is off on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// switched off in the body, or off at entry because every caller of this compilation holds a grad-disabled scope.
        /// </summary>
        public bool IsGradOff(GradFact grad, ISymbol owner)
            => grad.IsOff
               || (grad.Flags == GradFlags.Entry && owner is IMethodSymbol method && EveryCallerDisablesGrad(method.OriginalDefinition));

        /// <summary>
        /// Whether autograd records on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// enabled in the body, or enabled at entry and not every caller of this compilation holds a grad-disabled scope.
        /// Unknown grad modes answer false.
        /// </summary>
        public bool IsGradOn(GradFact grad, ISymbol owner)
        {
            var flags = grad.Flags;
            if (flags == GradFlags.None || (flags & ~(GradFlags.Enabled | GradFlags.Entry)) != 0)
            {
                return false;
            }

            // An iterator's body runs where it is enumerated: only a call enumerated in place with autograd on says it records.
            return (flags & GradFlags.Entry) == 0
                   || !(owner is IMethodSymbol method)
                   || (_iterators.IsIterator(method)
                       ? _provedGrad.EntryIsProvablyOn(method.OriginalDefinition, 0)
                       : !(EveryCallerDisablesGrad(method.OriginalDefinition) || EveryUseDisablesGrad(method.OriginalDefinition)));
        }

        /// <summary>
        /// Whether <paramref name="method"/> is handed on as a method group somewhere (<c>batches.Select(Predict)</c>), and
        /// every use of it — those and its calls — runs with autograd off. Asked only on the way to a report: it reads the
        /// text of every file for the name.
        /// </summary>
        private bool EveryUseDisablesGrad(IMethodSymbol method)
            => _everyUseDisablesGrad.GetOrAdd(method, ComputeEveryUseDisablesGrad);

        private readonly ConcurrentDictionary<IMethodSymbol, bool> _everyUseDisablesGrad = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

        private bool ComputeEveryUseDisablesGrad(IMethodSymbol method)
        {
            var references = _exhaustive ? _sites.BoundSites.MethodGroupsOf(method) : _callSyntax.MethodReferencesNamed(CallSites.CallName(method));
            var groups = references.Where(syntax => SymbolEqualityComparer.Default.Equals(_sites.BoundTarget(syntax), method)).ToList();
            if (groups.Count == 0)
            {
                return false;
            }

            foreach (var syntax in _sites.CandidatesOf(method).Concat(groups))
            {
                if (!groups.Contains(syntax) && !_sites.Calls(syntax, method))
                {
                    if (_sites.MayCallUnbound(syntax, method))
                    {
                        return false;
                    }

                    continue;
                }

                if (!(_sites.SiteAt(syntax, 0) is { } site)
                    || !(site.Site.Grad.IsOff || (site.Site.Grad.Flags == GradFlags.Entry && EveryCallerDisablesGrad(site.Caller, 1))))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether every call site of <paramref name="method"/> in this compilation runs with autograd off; false when it
        /// has none, or any of them might record. A call of an iterator counts only where it is enumerated in place
        /// (<see cref="IteratorEnumeration"/>): one whose result escapes is enumerated in a grad mode unknown here.
        /// </summary>
        public bool EveryCallerDisablesGrad(IMethodSymbol method, int depth = 0)
            => depth < ModeFlowEngine.MaxDepth && _everyCallerDisablesGrad.GetOrAdd((method, depth), key => ComputeEveryCallerDisablesGrad(key.Item1, key.Item2));

        private bool ComputeEveryCallerDisablesGrad(IMethodSymbol method, int depth)
        {
            if (depth >= ModeFlowEngine.MaxDepth || !_sites.MayRunWithGradOff(method, depth))
            {
                return false;
            }

            // A call from a member whose syntax cannot switch grad off settles the answer: look for one first, binding
            // the candidates of the method's own file before the others (callers are usually beside their callee).
            var candidates = _sites.CandidatesOf(method);
            var tree = method.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
            foreach (var sameTree in new[] { true, false })
            {
                foreach (var syntax in candidates)
                {
                    if ((syntax.SyntaxTree == tree) == sameTree && !_sites.CallerMayRunWithGradOff(syntax, depth) && _sites.Calls(syntax, method))
                    {
                        return false;
                    }
                }
            }

            var iterator = _iterators.IsIterator(method);
            var any = false;
            foreach (var syntax in candidates)
            {
                if (!_sites.CallerMayRunWithGradOff(syntax, depth) || !_sites.Calls(syntax, method))
                {
                    continue;
                }

                any = true;
                if ((iterator && !_iterators.IsEnumeratedInPlace(syntax)) || !(_sites.SiteAt(syntax, depth) is { } site))
                {
                    return false;
                }

                var grad = site.Site.Grad;
                if (!grad.IsOff && !(grad.Flags == GradFlags.Entry && EveryCallerDisablesGrad(site.Caller, depth + 1)))
                {
                    return false;
                }
            }

            return any;
        }

        /// <summary>
        /// A call site of <paramref name="method"/> that runs with autograd off — directly, or through callers that all
        /// run it so — or null when there is none. A call of an iterator counts only where it is enumerated in place.
        /// </summary>
        public CallSite? CallSiteWithGradOff(IMethodSymbol method, int depth = 0)
        {
            if (depth >= ModeFlowEngine.MaxDepth || !_sites.MayRunWithGradOff(method, depth))
            {
                return null;
            }

            var iterator = _iterators.IsIterator(method);
            foreach (var syntax in _sites.CandidatesOf(method))
            {
                if (!_sites.CallerMayRunWithGradOff(syntax, depth) || !_sites.Calls(syntax, method)
                    || (iterator && !_iterators.IsEnumeratedInPlace(syntax)) || !(_sites.SiteAt(syntax, depth) is { } site))
                {
                    continue;
                }

                if (site.Site.Grad.IsOff
                    || (site.Site.Grad.Flags == GradFlags.Entry && EveryCallerDisablesGrad(site.Caller, depth + 1)))
                {
                    return site.Site;
                }
            }

            return null;
        }

        /// <summary>
        /// The calls of <paramref name="method"/> in this compilation that provably run it with autograd on: recording at
        /// the call, or on entry of a caller that not every caller of its own protects. Calls whose grad mode cannot be
        /// known (in a lambda whose schedule is not known, in a local function) are not among them.
        /// </summary>
        public ImmutableArray<SyntaxNode> CallsWithGradOn(IMethodSymbol method)
        {
            var calls = ImmutableArray.CreateBuilder<SyntaxNode>();
            var iterator = _iterators.IsIterator(method);
            foreach (var site in _sites.Of(method, 0))
            {
                // An iterator's call records only where it is enumerated in place (IteratorMethods).
                if (site is { } known && (!iterator || _iterators.IsEnumeratedInPlace(known.Site.Syntax)) && IsGradOn(known.Site.Grad, known.Caller))
                {
                    calls.Add(known.Site.Syntax);
                }
            }

            return calls.ToImmutable();
        }

        private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> _everyCallerDisablesGrad
            = new ConcurrentDictionary<(IMethodSymbol, int), bool>(new MethodDepthComparer());
    }
}
