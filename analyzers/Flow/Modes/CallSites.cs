using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The call sites of a method in this compilation, each with the flow facts at the call and its caller: candidates
    /// from the text index (or, with <see cref="ModeFlowEngine.Exhaustive"/>, from binding every tree), the argument
    /// count, then binding. One per engine, shared by the parts that ask about callers; thread-safe.
    /// </summary>
    internal sealed class CallSites
    {
        private readonly bool _exhaustive;
        private readonly CallSyntaxIndex _callSyntax;
        private readonly CalleeBodies _bodies;
        private readonly Func<ControlFlowGraph, ImmutableArray<ModeFlowResult>> _nestedFlowsOf;

        /// <param name="nestedFlowsOf">The flows of a lambda's graph, shared with the rules (<see cref="ModeFlowEngine.Analyze"/>).</param>
        public CallSites(Compilation compilation, bool exhaustive, CallSyntaxIndex callSyntax, CalleeBodies bodies, Func<ControlFlowGraph, ImmutableArray<ModeFlowResult>> nestedFlowsOf)
        {
            _exhaustive = exhaustive;
            _callSyntax = callSyntax;
            _bodies = bodies;
            _nestedFlowsOf = nestedFlowsOf;
            _boundSites = new Lazy<BoundCallSites>(() => BoundCallSites.Of(compilation, bodies.ModelOf), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>
        /// The invocations and creations written with <paramref name="name"/> in this compilation: from the text index, or
        /// with <see cref="ModeFlowEngine.Exhaustive"/> from every tree's syntax (<see cref="BoundCallSites"/>).
        /// </summary>
        public ImmutableArray<SyntaxNode> CallsWritten(string name) => _exhaustive ? BoundSites.CallsWritten(name) : _callSyntax.CallsNamed(name);

        // The syntax says which methods no caller could run with grad off; only the others bind their call sites.
        public bool MayRunWithGradOff(IMethodSymbol method, int depth)
            => method.MethodKind == MethodKind.Constructor || MayRunWithGradOff(CallName(method), depth);

        /// <summary>The same question of the methods whose calls are written <paramref name="callName"/>, before any symbol is asked for.</summary>
        public bool MayRunWithGradOff(string callName, int depth)
            => _exhaustive || _callSyntax.MayRunWithGradOff(callName, depth, ModeFlowEngine.MaxDepth);

        /// <summary>
        /// The name the calls of <paramref name="method"/> are written with: its own, or for an explicit interface
        /// implementation (whose name is <c>IPredictor.Predict</c>) the name of the interface method it implements.
        /// </summary>
        public static string CallName(IMethodSymbol method)
            => method.ExplicitInterfaceImplementations.IsEmpty ? method.Name : method.ExplicitInterfaceImplementations[0].Name;

        public bool CallerMayRunWithGradOff(SyntaxNode call, int depth)
            => _exhaustive || _callSyntax.CallerMayRunWithGradOff(call, depth, ModeFlowEngine.MaxDepth);

        /// <summary>
        /// The call sites of <paramref name="method"/>, each with the flow facts at the call; an element is null when
        /// the facts cannot be known (a call inside a lambda, a body the engine cannot read).
        /// </summary>
        public ImmutableArray<(CallSite Site, IMethodSymbol Caller)?> Of(IMethodSymbol method, int depth)
            => _callSites.GetOrAdd((method, depth), key => ComputeCallSites(key.Item1, key.Item2));

        // Every rule and every forward pass asks about the same few methods: answers and bindings are kept per compilation.
        private readonly ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>> _callSites
            = new ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>>(new MethodDepthComparer());

        private readonly ConcurrentDictionary<SyntaxNode, IMethodSymbol?> _boundCalls = new ConcurrentDictionary<SyntaxNode, IMethodSymbol?>();

        // The unreduced definition: `model.Apply(x)` of an extension method binds to its reduced form, which is neither the
        // method declared nor what the flow records at the call.
        public IMethodSymbol? BoundTarget(SyntaxNode call)
            => _boundCalls.GetOrAdd(call, node => _bodies.ModelOf(node.SyntaxTree)?.GetSymbolInfo(node).Symbol is IMethodSymbol target ? BoundCallSites.Definition(target) : null);

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
        /// text index; with <see cref="ModeFlowEngine.Exhaustive"/>, from the bound call sites of every tree, in the same order.
        /// </summary>
        public ImmutableArray<SyntaxNode> CandidatesOf(IMethodSymbol method)
            => _exhaustive ? _boundCandidates.GetOrAdd(method, BoundCandidatesOf)
               : method.MethodKind == MethodKind.Constructor ? _callSyntax.ConstructorCallsOf(method.ContainingType.Name)
               : _callSyntax.CallsNamed(CallName(method));

        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<SyntaxNode>> _boundCandidates
            = new ConcurrentDictionary<IMethodSymbol, ImmutableArray<SyntaxNode>>(SymbolEqualityComparer.Default);

        /// <summary>
        /// The call sites of the compilation found by binding every tree (<see cref="BoundCallSites"/>), built once, on the
        /// first question, and only with <see cref="ModeFlowEngine.Exhaustive"/>.
        /// </summary>
        public BoundCallSites BoundSites => _boundSites.Value;

        private readonly Lazy<BoundCallSites> _boundSites;

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
        public bool Calls(SyntaxNode syntax, IMethodSymbol method)
            => (_exhaustive || ArgumentCounts.Fit(syntax, method)) && MayDispatchTo(BoundTarget(syntax), method);

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
        public bool MayCallUnbound(SyntaxNode syntax, IMethodSymbol method)
        {
            if (BoundTarget(syntax) is not null || !(_bodies.ModelOf(syntax.SyntaxTree) is { } model))
            {
                return false;
            }

            var candidates = model.GetSymbolInfo(syntax).CandidateSymbols;
            return candidates.IsEmpty || candidates.Any(c => c is IMethodSymbol candidate && SymbolEqualityComparer.Default.Equals(BoundCallSites.Definition(candidate), method));
        }

        /// <summary>The flow facts at a call of this compilation, with its caller; null when they cannot be known.</summary>
        public (CallSite Site, IMethodSymbol Caller)? SiteAt(SyntaxNode syntax, int depth)
        {
            var caller = _bodies.ModelOf(syntax.SyntaxTree)?.GetEnclosingSymbol(syntax.SpanStart) as IMethodSymbol;
            if (caller?.MethodKind == MethodKind.AnonymousFunction)
            {
                return SiteInLambda(syntax, caller);
            }

            if (caller is null || caller.MethodKind == MethodKind.LocalFunction
                || !(_bodies.BodyOf(caller.OriginalDefinition, depth + 1) is { } callerFlow))
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
                || !(_bodies.GraphOf(owner.OriginalDefinition) is { } root)
                || !(_bodies.ModelOf(syntax.SyntaxTree)?.GetOperation(syntax) is { } operation)
                || !(ControlFlowGraphs.GraphContaining(root, operation) is { } graph) || graph == root)
            {
                return null;
            }

            foreach (var result in _nestedFlowsOf(graph))
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
