using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>The engine's questions about callers: the call sites of a method, the grad mode they run in, and the modes they pass.</summary>
    internal sealed partial class ModeFlowEngine
    {
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
                   || (IsIterator(method) ? EntryIsProvablyOn(method.OriginalDefinition, 0) : !EveryCallerDisablesGrad(method.OriginalDefinition));
        }

        /// <summary>
        /// Whether every call site of <paramref name="method"/> in this compilation runs with autograd off; false when it
        /// has none, or any of them might record. A call of an iterator counts only where it is enumerated in place
        /// (<see cref="IteratorEnumeration"/>): one whose result escapes is enumerated in a grad mode unknown here.
        /// </summary>
        public bool EveryCallerDisablesGrad(IMethodSymbol method, int depth = 0)
            => depth < MaxDepth && _everyCallerDisablesGrad.GetOrAdd((method, depth), key => ComputeEveryCallerDisablesGrad(key.Item1, key.Item2));

        private bool ComputeEveryCallerDisablesGrad(IMethodSymbol method, int depth)
        {
            if (depth >= MaxDepth || !MayRunWithGradOff(method, depth))
            {
                return false;
            }

            // A call from a member whose syntax cannot switch grad off settles the answer: look for one first, binding
            // the candidates of the method's own file before the others (callers are usually beside their callee).
            var candidates = CandidatesOf(method);
            var tree = method.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
            foreach (var sameTree in new[] { true, false })
            {
                foreach (var syntax in candidates)
                {
                    if ((syntax.SyntaxTree == tree) == sameTree && !CallerMayRunWithGradOff(syntax, depth) && Calls(syntax, method))
                    {
                        return false;
                    }
                }
            }

            var iterator = IsIterator(method);
            var any = false;
            foreach (var syntax in candidates)
            {
                if (!CallerMayRunWithGradOff(syntax, depth) || !Calls(syntax, method))
                {
                    continue;
                }

                any = true;
                if ((iterator && !IsEnumeratedInPlace(syntax)) || !(SiteAt(syntax, depth) is { } site))
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
            if (depth >= MaxDepth || !MayRunWithGradOff(method, depth))
            {
                return null;
            }

            var iterator = IsIterator(method);
            foreach (var syntax in CandidatesOf(method))
            {
                if (!CallerMayRunWithGradOff(syntax, depth) || !Calls(syntax, method)
                    || (iterator && !IsEnumeratedInPlace(syntax)) || !(SiteAt(syntax, depth) is { } site))
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

        // The syntax says which methods no caller could run with grad off; only the others bind their call sites.
        private bool MayRunWithGradOff(IMethodSymbol method, int depth)
            => Exhaustive || method.MethodKind == MethodKind.Constructor || _callSyntax.MayRunWithGradOff(method.Name, depth, MaxDepth);

        private bool CallerMayRunWithGradOff(SyntaxNode call, int depth)
            => Exhaustive || _callSyntax.CallerMayRunWithGradOff(call, depth, MaxDepth);

        private ModeFact ParameterEntry(IParameterSymbol parameter, int depth)
        {
            if (!(parameter.ContainingSymbol is IMethodSymbol method) || method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction)
            {
                return ModeFact.Unknown;
            }

            var sites = CallSitesOf(method.OriginalDefinition, depth);
            if (sites.IsEmpty)
            {
                return ModeFact.Entry(parameter);
            }

            ModeFact? joined = null;
            foreach (var site in sites)
            {
                if (site is null || !site.Value.Site.Arguments.TryGetValue(parameter.Ordinal, out var passed))
                {
                    return ModeFact.Unknown;
                }

                var resolved = ResolveEntry(passed, depth + 1);
                joined = joined is null ? resolved : joined.Value.Join(resolved);
            }

            return joined ?? ModeFact.Unknown;
        }

        /// <summary>
        /// The call sites of <paramref name="method"/>, each with the flow facts at the call; an element is null when
        /// the facts cannot be known (a call inside a lambda, a body the engine cannot read).
        /// </summary>
        private ImmutableArray<(CallSite Site, IMethodSymbol Caller)?> CallSitesOf(IMethodSymbol method, int depth)
            => _callSites.GetOrAdd((method, depth), key => ComputeCallSites(key.Item1, key.Item2));

        // Every rule and every forward pass asks about the same few methods: answers and bindings are kept per compilation.
        private readonly ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>> _callSites
            = new ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>>(new MethodDepthComparer());

        private readonly ConcurrentDictionary<SyntaxNode, IMethodSymbol?> _boundCalls = new ConcurrentDictionary<SyntaxNode, IMethodSymbol?>();

        private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> _everyCallerDisablesGrad
            = new ConcurrentDictionary<(IMethodSymbol, int), bool>(new MethodDepthComparer());

        private IMethodSymbol? BoundTarget(SyntaxNode call)
            => _boundCalls.GetOrAdd(call, node => (ModelOf(node.SyntaxTree)?.GetSymbolInfo(node).Symbol as IMethodSymbol)?.OriginalDefinition);

        private ImmutableArray<(CallSite Site, IMethodSymbol Caller)?> ComputeCallSites(IMethodSymbol method, int depth)
        {
            var sites = ImmutableArray.CreateBuilder<(CallSite, IMethodSymbol)?>();
            foreach (var syntax in CandidatesOf(method))
            {
                if (Calls(syntax, method))
                {
                    sites.Add(SiteAt(syntax, depth));
                }
                else if (MayCallUnbound(syntax, method))
                {
                    // A call that does not bind (an argument of an unresolved type) may be a call of the method: a caller
                    // whose facts cannot be known, not the absence of one.
                    sites.Add(null);
                }
            }

            return sites.ToImmutable();
        }

        /// <summary>The calls and creations written with the name of <paramref name="method"/>, bound or not.</summary>
        private ImmutableArray<SyntaxNode> CandidatesOf(IMethodSymbol method)
            => method.MethodKind == MethodKind.Constructor
                ? _callSyntax.CallsNamed(method.ContainingType.Name).AddRange(_callSyntax.CallsNamed(CallSyntaxIndex.ImplicitCreation))
                : _callSyntax.CallsNamed(method.Name);

        /// <summary>Whether the call <paramref name="syntax"/> binds to <paramref name="method"/>; the argument count is checked before binding.</summary>
        private bool Calls(SyntaxNode syntax, IMethodSymbol method)
            => (Exhaustive || ArgumentCounts.Fit(syntax, method)) && SymbolEqualityComparer.Default.Equals(BoundTarget(syntax), method);

        /// <summary>
        /// Whether <paramref name="syntax"/>, written with the method's name, binds to nothing and may be a call of it:
        /// the compiler's candidates include it, or it has none (its receiver's type is unresolved).
        /// </summary>
        private bool MayCallUnbound(SyntaxNode syntax, IMethodSymbol method)
        {
            if (BoundTarget(syntax) is not null || !(ModelOf(syntax.SyntaxTree) is { } model))
            {
                return false;
            }

            var candidates = model.GetSymbolInfo(syntax).CandidateSymbols;
            return candidates.IsEmpty || candidates.Any(c => SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, method));
        }

        /// <summary>The flow facts at a call of this compilation, with its caller; null when they cannot be known.</summary>
        private (CallSite Site, IMethodSymbol Caller)? SiteAt(SyntaxNode syntax, int depth)
        {
            var caller = ModelOf(syntax.SyntaxTree)?.GetEnclosingSymbol(syntax.SpanStart) as IMethodSymbol;
            if (caller is null || caller.MethodKind == MethodKind.AnonymousFunction || caller.MethodKind == MethodKind.LocalFunction
                || !(BodyOf(caller.OriginalDefinition, depth + 1) is { } callerFlow))
            {
                return null;
            }

            var site = callerFlow.CallSites.FirstOrDefault(s => s.Syntax == syntax);
            return site is null ? ((CallSite, IMethodSymbol)?)null : (site, caller.OriginalDefinition);
        }
    }
}
