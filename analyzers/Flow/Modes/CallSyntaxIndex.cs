using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What one syntax pass over a compilation tells without binding anything: the calls and creations by the name they
    /// are written with, and which members might switch autograd off. The engine binds a call only when the name matches
    /// and asks the callers' flows only when a caller might disable grad, so the common answer ("no caller does") costs no
    /// binding at all.
    /// </summary>
    internal sealed class CallSyntaxIndex
    {
        /// <summary>The key of implicit object creations (<c>new()</c>), which name no type.</summary>
        public const string ImplicitCreation = "new()";

        // The torch functions that open a grad-mode scope; enable_grad(false) and set_grad_enabled(false) disable it too.
        private static readonly ImmutableHashSet<string> GradSwitchNames = ImmutableHashSet.Create("no_grad", "enable_grad", "set_grad_enabled", "inference_mode");

        private readonly ImmutableDictionary<string, ImmutableArray<SyntaxNode>> _callsByName;
        private readonly ImmutableHashSet<SyntaxNode> _gradSwitchingMembers;
        private readonly ConcurrentDictionary<(string, int), bool> _mayRunWithGradOff = new ConcurrentDictionary<(string, int), bool>();

        private CallSyntaxIndex(ImmutableDictionary<string, ImmutableArray<SyntaxNode>> callsByName, ImmutableHashSet<SyntaxNode> gradSwitchingMembers)
        {
            _callsByName = callsByName;
            _gradSwitchingMembers = gradSwitchingMembers;
        }

        /// <summary>The invocations and object creations written with <paramref name="name"/> (empty when none).</summary>
        public ImmutableArray<SyntaxNode> CallsNamed(string name)
            => _callsByName.TryGetValue(name, out var calls) ? calls : ImmutableArray<SyntaxNode>.Empty;

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
            return member is null || _gradSwitchingMembers.Contains(member)
                   || (member is MethodDeclarationSyntax method && MayRunWithGradOff(method.Identifier.ValueText, depth + 1, maxDepth));
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

        /// <summary>One pass over every tree of the compilation.</summary>
        public static CallSyntaxIndex Build(Compilation compilation)
        {
            var calls = new Dictionary<string, ImmutableArray<SyntaxNode>.Builder>();
            var switching = new HashSet<SyntaxNode>();
            var switchingMethodNames = new HashSet<string>();
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var node in tree.GetRoot().DescendantNodes())
                {
                    switch (node)
                    {
                        case InvocationExpressionSyntax invocation when RightmostName(invocation.Expression) is string name:
                            Add(calls, name, invocation);
                            if (GradSwitchNames.Contains(name) && EnclosingMember(invocation) is { } member)
                            {
                                switching.Add(member);
                                if (member is MethodDeclarationSyntax method)
                                {
                                    switchingMethodNames.Add(method.Identifier.ValueText);
                                }
                            }

                            break;
                        case ObjectCreationExpressionSyntax creation when RightmostName(creation.Type) is string typeName:
                            Add(calls, typeName, creation);
                            break;
                        case ImplicitObjectCreationExpressionSyntax implicitCreation:
                            Add(calls, ImplicitCreation, implicitCreation);
                            break;
                    }
                }
            }

            // A helper that returns a grad scope (IDisposable NoGrad() => torch.no_grad()) switches grad off in its callers.
            foreach (var helper in switchingMethodNames)
            {
                if (calls.TryGetValue(helper, out var helperCalls))
                {
                    foreach (var call in helperCalls)
                    {
                        if (EnclosingMember(call) is { } member)
                        {
                            switching.Add(member);
                        }
                    }
                }
            }

            var byName = ImmutableDictionary.CreateBuilder<string, ImmutableArray<SyntaxNode>>();
            foreach (var pair in calls)
            {
                byName.Add(pair.Key, pair.Value.ToImmutable());
            }

            return new CallSyntaxIndex(byName.ToImmutable(), switching.ToImmutableHashSet());
        }

        private static void Add(Dictionary<string, ImmutableArray<SyntaxNode>.Builder> index, string name, SyntaxNode node)
        {
            if (!index.TryGetValue(name, out var list))
            {
                index[name] = list = ImmutableArray.CreateBuilder<SyntaxNode>();
            }

            list.Add(node);
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

                if (current is MemberDeclarationSyntax && !(current is BaseTypeDeclarationSyntax) && !(current is BaseNamespaceDeclarationSyntax))
                {
                    return current;
                }
            }

            return null;
        }

        private static string? RightmostName(SyntaxNode expression) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            GenericNameSyntax generic => generic.Identifier.ValueText,
            MemberAccessExpressionSyntax member => RightmostName(member.Name),
            QualifiedNameSyntax qualified => RightmostName(qualified.Right),
            AliasQualifiedNameSyntax alias => RightmostName(alias.Name),
            MemberBindingExpressionSyntax binding => RightmostName(binding.Name),
            _ => null,
        };
    }
}
