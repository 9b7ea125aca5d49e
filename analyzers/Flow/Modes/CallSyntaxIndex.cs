using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What the syntax of a compilation tells without binding anything: the calls and creations written with a name, and
    /// which members might switch autograd off. Built lazily, per name, from a text search of the source: only the
    /// places where the name occurs are parsed into nodes, so a question costs a scan of the text, not a walk of every
    /// tree. The engine binds a call only when the name matches, and asks the callers' flows only when a caller might
    /// disable grad, so the common answer ("no caller does") costs no binding at all.
    /// </summary>
    internal sealed class CallSyntaxIndex
    {
        /// <summary>The key of implicit object creations (<c>new()</c>), which name no type.</summary>
        public const string ImplicitCreation = SourceWords.ImplicitCreation;

        // The torch functions that open a grad-mode scope; enable_grad(false) and set_grad_enabled(false) disable it too.
        private static readonly string[] GradSwitchNames = { "no_grad", "enable_grad", "set_grad_enabled", "inference_mode" };

        private readonly Lazy<ImmutableArray<SourceWords>> _texts;
        private readonly ConcurrentDictionary<string, ImmutableArray<SyntaxNode>> _callsByName = new ConcurrentDictionary<string, ImmutableArray<SyntaxNode>>();
        private readonly Lazy<(ImmutableHashSet<SyntaxNode> Members, ImmutableHashSet<SyntaxNode> Helpers)> _gradSwitching;
        private readonly ConcurrentDictionary<(string, int), bool> _mayRunWithGradOff = new ConcurrentDictionary<(string, int), bool>();

        public CallSyntaxIndex(Compilation compilation)
        {
            _texts = new Lazy<ImmutableArray<SourceWords>>(
                () => compilation.SyntaxTrees.Select(SourceWords.Of).ToImmutableArray(),
                LazyThreadSafetyMode.ExecutionAndPublication);
            _gradSwitching = new Lazy<(ImmutableHashSet<SyntaxNode>, ImmutableHashSet<SyntaxNode>)>(FindGradSwitchingMembers, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The invocations and object creations written with <paramref name="name"/> (empty when none).</summary>
        public ImmutableArray<SyntaxNode> CallsNamed(string name) => _callsByName.GetOrAdd(name, n => FindCalls(n, useWordSets: true));

        // The grad switches and the helpers that return them are looked up in every compilation, by a handful of names:
        // plain scans of the text, without building the files' word sets.
        private ImmutableArray<SyntaxNode> SwitchCallsNamed(string name) => _callsByName.GetOrAdd(name, n => FindCalls(n, useWordSets: false));

        /// <summary>
        /// Whether a method called <paramref name="name"/> might be called with autograd off, <paramref name="maxDepth"/>
        /// minus <paramref name="depth"/> callers up: some call written with the name sits in a member that calls a grad
        /// switch (or a helper of this compilation that calls one), or in a method that itself might be called so. False
        /// proves that no call site of such a method runs with grad off.
        /// </summary>
        public bool MayRunWithGradOff(string name, int depth, int maxDepth)
            => depth < maxDepth && _mayRunWithGradOff.GetOrAdd((name, depth), key => ComputeMayRunWithGradOff(key.Item1, key.Item2, maxDepth));

        /// <summary>
        /// Whether the member that contains <paramref name="call"/> might run it with autograd off: its syntax calls a
        /// grad switch, or it is a method that might itself be called with grad off.
        /// </summary>
        public bool CallerMayRunWithGradOff(SyntaxNode call, int depth, int maxDepth)
        {
            var member = EnclosingMember(call);
            return member is null || _gradSwitching.Value.Members.Contains(member)
                   || (member is MethodDeclarationSyntax method && MayRunWithGradOff(method.Identifier.ValueText, depth + 1, maxDepth));
        }

        /// <summary>Whether the member that holds <paramref name="syntax"/> (or is it) calls a grad switch, or a helper that does.</summary>
        public bool MaySwitchGrad(SyntaxNode syntax)
        {
            var member = syntax is CompilationUnitSyntax || (IsMember(syntax) && !(syntax is GlobalStatementSyntax)) ? syntax : EnclosingMember(syntax);
            return member is null || _gradSwitching.Value.Members.Contains(member);
        }

        private bool ComputeMayRunWithGradOff(string name, int depth, int maxDepth)
        {
            foreach (var call in CallsNamed(name))
            {
                if (CallerMayRunWithGradOff(call, depth, maxDepth))
                {
                    return true;
                }
            }

            return false;
        }

        private (ImmutableHashSet<SyntaxNode> Members, ImmutableHashSet<SyntaxNode> Helpers) FindGradSwitchingMembers()
        {
            var switching = new HashSet<SyntaxNode>();
            var helpers = new HashSet<string>();
            var helperDeclarations = new HashSet<SyntaxNode>();
            foreach (var name in GradSwitchNames)
            {
                foreach (var call in SwitchCallsNamed(name))
                {
                    if (EnclosingMember(call) is { } member)
                    {
                        switching.Add(member);
                        if (member is MethodDeclarationSyntax method && IsReturned(call))
                        {
                            helpers.Add(method.Identifier.ValueText);
                            helperDeclarations.Add(method);
                        }
                    }
                }
            }

            // A helper that returns a grad scope (IDisposable NoGrad() => torch.no_grad()) switches grad off in its callers.
            foreach (var helper in helpers)
            {
                foreach (var call in SwitchCallsNamed(helper))
                {
                    if (EnclosingMember(call) is { } member)
                    {
                        switching.Add(member);
                    }
                }
            }

            return (switching.ToImmutableHashSet(), helperDeclarations.ToImmutableHashSet());
        }

        /// <summary>Whether <paramref name="declaration"/> returns what a grad switch returns somewhere (a helper such as <c>NoGrad() => torch.no_grad()</c>).</summary>
        public bool MayReturnGradScope(SyntaxNode declaration) => _gradSwitching.Value.Helpers.Contains(declaration);

        private ImmutableArray<SyntaxNode> FindCalls(string name, bool useWordSets)
        {
            var word = name == ImplicitCreation ? "new" : name;
            var calls = ImmutableArray.CreateBuilder<SyntaxNode>();
            foreach (var source in _texts.Value)
            {
                if (!useWordSets || source.MayContain(word))
                {
                    calls.AddRange(source.CallsWritten(name));
                }
            }

            return calls.ToImmutable();
        }

        /// <summary>Whether <paramref name="call"/> is what its method returns (<c>return torch.no_grad();</c>, <c>=> torch.no_grad()</c>).</summary>
        private static bool IsReturned(SyntaxNode call)
        {
            var parent = call.Parent;
            while (parent is ParenthesizedExpressionSyntax || parent is CastExpressionSyntax)
            {
                parent = parent.Parent;
            }

            return parent is ReturnStatementSyntax || parent is ArrowExpressionClauseSyntax;
        }

        /// <summary>The member declaration (method, constructor, accessor's property, field …) that contains <paramref name="node"/>.</summary>
        private static SyntaxNode? EnclosingMember(SyntaxNode node)
        {
            for (var current = node.Parent; current != null; current = current.Parent)
            {
                if (current is GlobalStatementSyntax)
                {
                    // Top-level statements are one method: their compilation unit.
                    return current.Parent;
                }

                if (IsMember(current))
                {
                    return current;
                }
            }

            return null;
        }

        /// <summary>A method, constructor, property, field … declaration: a member, not a type or a namespace.</summary>
        private static bool IsMember(SyntaxNode node)
            => node is MemberDeclarationSyntax && !(node is BaseTypeDeclarationSyntax) && !(node is BaseNamespaceDeclarationSyntax);
    }
}
