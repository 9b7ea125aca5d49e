using System.Collections.Concurrent;
using System.Collections.Generic;
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
                   || (IsIterator(method)
                       ? EntryIsProvablyOn(method.OriginalDefinition, 0)
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
            var references = Exhaustive ? BoundSites.MethodGroupsOf(method) : _callSyntax.MethodReferencesNamed(CallName(method));
            var groups = references.Where(syntax => SymbolEqualityComparer.Default.Equals(BoundTarget(syntax), method)).ToList();
            if (groups.Count == 0)
            {
                return false;
            }

            foreach (var syntax in CandidatesOf(method).Concat(groups))
            {
                if (!groups.Contains(syntax) && !Calls(syntax, method))
                {
                    if (MayCallUnbound(syntax, method))
                    {
                        return false;
                    }

                    continue;
                }

                if (!(SiteAt(syntax, 0) is { } site)
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

        /// <summary>
        /// The calls of <paramref name="method"/> in this compilation that provably run it with autograd on: recording at
        /// the call, or on entry of a caller that not every caller of its own protects. Calls whose grad mode cannot be
        /// known (in a lambda whose schedule is not known, in a local function) are not among them.
        /// </summary>
        public ImmutableArray<SyntaxNode> CallsWithGradOn(IMethodSymbol method)
        {
            var calls = ImmutableArray.CreateBuilder<SyntaxNode>();
            var iterator = IsIterator(method);
            foreach (var site in CallSitesOf(method, 0))
            {
                // An iterator's call records only where it is enumerated in place (IteratorMethods).
                if (site is { } known && (!iterator || IsEnumeratedInPlace(known.Site.Syntax)) && IsGradOn(known.Site.Grad, known.Caller))
                {
                    calls.Add(known.Site.Syntax);
                }
            }

            return calls.ToImmutable();
        }

        /// <summary>
        /// The invocations and creations written with <paramref name="name"/> in this compilation: from the text index, or
        /// with <see cref="Exhaustive"/> from every tree's syntax (<see cref="BoundCallSites"/>).
        /// </summary>
        public ImmutableArray<SyntaxNode> CallsWritten(string name) => Exhaustive ? BoundSites.CallsWritten(name) : _callSyntax.CallsNamed(name);

        // The syntax says which methods no caller could run with grad off; only the others bind their call sites.
        private bool MayRunWithGradOff(IMethodSymbol method, int depth)
            => Exhaustive || method.MethodKind == MethodKind.Constructor || _callSyntax.MayRunWithGradOff(CallName(method), depth, MaxDepth);

        /// <summary>
        /// The name the calls of <paramref name="method"/> are written with: its own, or for an explicit interface
        /// implementation (whose name is <c>IPredictor.Predict</c>) the name of the interface method it implements.
        /// </summary>
        private static string CallName(IMethodSymbol method)
            => method.ExplicitInterfaceImplementations.IsEmpty ? method.Name : method.ExplicitInterfaceImplementations[0].Name;

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

        // The unreduced definition: `model.Apply(x)` of an extension method binds to its reduced form, which is neither the
        // method declared nor what the flow records at the call.
        private IMethodSymbol? BoundTarget(SyntaxNode call)
            => _boundCalls.GetOrAdd(call, node => ModelOf(node.SyntaxTree)?.GetSymbolInfo(node).Symbol is IMethodSymbol target ? BoundCallSites.Definition(target) : null);

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

        /// <summary>
        /// What may be a call of <paramref name="method"/>, bound or not, for <see cref="Calls"/> and <see cref="MayCallUnbound"/>
        /// to decide: the calls written with its name (a constructor: its type's name or an alias of it, <c>new()</c>, and
        /// the <c>: base(..)</c>/<c>: this(..)</c> initializers and primary-constructor bases naming its type), from the
        /// text index; with <see cref="Exhaustive"/>, from the bound call sites of every tree, in the same order.
        /// </summary>
        private ImmutableArray<SyntaxNode> CandidatesOf(IMethodSymbol method)
            => Exhaustive ? _boundCandidates.GetOrAdd(method, BoundCandidatesOf)
               : method.MethodKind == MethodKind.Constructor ? _callSyntax.ConstructorCallsOf(method.ContainingType.Name)
               : _callSyntax.CallsNamed(CallName(method));

        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<SyntaxNode>> _boundCandidates
            = new ConcurrentDictionary<IMethodSymbol, ImmutableArray<SyntaxNode>>(SymbolEqualityComparer.Default);

        /// <summary>
        /// The call sites of the compilation found by binding every tree (<see cref="BoundCallSites"/>), built once, on the
        /// first question, and only with <see cref="Exhaustive"/>.
        /// </summary>
        private BoundCallSites BoundSites => _boundSites.Value;

        private readonly System.Lazy<BoundCallSites> _boundSites;

        // Every node Calls or MayCallUnbound could accept: the calls bound to the method or to a method a call of which may
        // run it (MayDispatchTo), the unbound calls naming it among their candidates, and those with no candidate written
        // with its name — ordered as CallSyntaxIndex yields them, so that "the first call that …" is the same call.
        private ImmutableArray<SyntaxNode> BoundCandidatesOf(IMethodSymbol method)
        {
            var sites = BoundSites;
            var nodes = sites.CallsTo(DispatchTargets(method)).Concat(sites.UnboundCallsOf(method));
            if (method.MethodKind != MethodKind.Constructor)
            {
                return sites.InTextOrder(nodes.Concat(sites.UnboundCallsNamed(CallName(method))));
            }

            var typeName = method.ContainingType.Name;
            foreach (var name in _callSyntax.TypeNamesOf(typeName))
            {
                nodes = nodes.Concat(sites.UnboundCallsNamed(name));
            }

            nodes = nodes.Concat(sites.UnboundCallsNamed(CallSyntaxIndex.ImplicitCreation));
            return sites.InTextOrder(nodes, node => CallSyntaxIndex.ConstructorCallGroup(node, typeName));
        }

        /// <summary>The methods a call bound to which may run <paramref name="method"/> (see <see cref="MayDispatchTo"/>), as definitions.</summary>
        private static IEnumerable<IMethodSymbol> DispatchTargets(IMethodSymbol method)
        {
            yield return method;
            for (var overridden = method.OverriddenMethod; overridden != null; overridden = overridden.OverriddenMethod)
            {
                yield return overridden.OriginalDefinition;
            }

            if (method.IsStatic || method.ContainingType is null)
            {
                yield break;
            }

            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                foreach (var member in implemented.GetMembers(CallName(method)))
                {
                    if (member is IMethodSymbol interfaceMethod && IsOrOverrides(method, method.ContainingType.FindImplementationForInterfaceMember(interfaceMethod)))
                    {
                        yield return interfaceMethod.OriginalDefinition;
                    }
                }
            }
        }

        /// <summary>Whether the call <paramref name="syntax"/> binds to <paramref name="method"/>; the argument count is checked before binding.</summary>
        private bool Calls(SyntaxNode syntax, IMethodSymbol method)
            => (Exhaustive || ArgumentCounts.Fit(syntax, method)) && MayDispatchTo(BoundTarget(syntax), method);

        /// <summary>
        /// Whether a call bound to <paramref name="target"/> may run <paramref name="method"/>: the method itself, a method
        /// it overrides, or an interface method it implements (a template method of a base class calling its abstract step
        /// inside <c>no_grad</c>, the override running the model).
        /// </summary>
        private static bool MayDispatchTo(IMethodSymbol? target, IMethodSymbol method)
        {
            if (target is null)
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(target, method))
            {
                return true;
            }

            for (var overridden = method.OverriddenMethod; overridden != null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, target))
                {
                    return true;
                }
            }

            if (target.ContainingType?.TypeKind != TypeKind.Interface || method.IsStatic || method.ContainingType is null)
            {
                return false;
            }

            // The target is the interface's definition (IModel<T>.Apply); the class implements a construction of it
            // (IModel<Tensor>), whose member is the one an implementation is found for.
            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, target.ContainingType.OriginalDefinition))
                {
                    continue;
                }

                foreach (var member in implemented.GetMembers(target.Name))
                {
                    if (member is IMethodSymbol interfaceMethod && SymbolEqualityComparer.Default.Equals(interfaceMethod.OriginalDefinition, target)
                        && IsOrOverrides(method, method.ContainingType.FindImplementationForInterfaceMember(interfaceMethod)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Whether <paramref name="method"/> is <paramref name="implementation"/> or overrides it: an interface implemented by
        /// a base class's virtual method maps to that method (FindImplementationForInterfaceMember of the derived class says
        /// so), and a call through the interface runs the override.
        /// </summary>
        private static bool IsOrOverrides(IMethodSymbol method, ISymbol? implementation)
        {
            if (!(implementation is IMethodSymbol implementing))
            {
                return false;
            }

            for (var current = method; current != null; current = current.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, implementing.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

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
            return candidates.IsEmpty || candidates.Any(c => c is IMethodSymbol candidate && SymbolEqualityComparer.Default.Equals(BoundCallSites.Definition(candidate), method));
        }

        /// <summary>The flow facts at a call of this compilation, with its caller; null when they cannot be known.</summary>
        private (CallSite Site, IMethodSymbol Caller)? SiteAt(SyntaxNode syntax, int depth)
        {
            var caller = ModelOf(syntax.SyntaxTree)?.GetEnclosingSymbol(syntax.SpanStart) as IMethodSymbol;
            if (caller?.MethodKind == MethodKind.AnonymousFunction)
            {
                return SiteInLambda(syntax, caller);
            }

            if (caller is null || caller.MethodKind == MethodKind.LocalFunction
                || !(BodyOf(caller.OriginalDefinition, depth + 1) is { } callerFlow))
            {
                return null;
            }

            var site = callerFlow.CallSites.FirstOrDefault(s => s.Syntax == syntax);
            return site is null ? ((CallSite, IMethodSymbol)?)null : (site, caller.OriginalDefinition);
        }
            /// <summary>
        /// The flow facts at a call written in a lambda of a member body, read in the lambda's own flow, which starts where
        /// the code around it says (<see cref="LambdaEntries"/>: a lambda run in place inherits its creator's grad mode);
        /// with the member as the caller, whose entry a grad mode "as on entry" refers to. Null in a local function, or
        /// when the lambda's flow does not see the call.
        /// </summary>
        private (CallSite Site, IMethodSymbol Caller)? SiteInLambda(SyntaxNode syntax, IMethodSymbol lambda)
        {
            ISymbol member = lambda;
            while (member is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction })
            {
                member = member.ContainingSymbol;
            }

            if (!(member is IMethodSymbol owner) || owner.MethodKind == MethodKind.LocalFunction
                || !(GraphOf(owner.OriginalDefinition) is { } root)
                || !(ModelOf(syntax.SyntaxTree)?.GetOperation(syntax) is { } operation)
                || !(ControlFlowGraphs.GraphContaining(root, operation) is { } graph) || graph == root)
            {
                return null;
            }

            foreach (var result in Analyze(graph, isNestedFunction: true))
            {
                if (result.CallSites.FirstOrDefault(s => s.Syntax == syntax) is { } site)
                {
                    return (site, owner.OriginalDefinition);
                }
            }

            return null;
        }
    }
}
