using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What the syntax of a compilation tells without binding anything: the calls and creations written with a name, and
    /// which members might switch autograd off. Built lazily, per name, from each file's index of the words that could
    /// name a call (<see cref="WordIndex"/>): only the places where the name occurs become nodes, so a question costs a
    /// lookup per file, not a walk of every tree. The engine binds a call only when the name matches, and asks the callers' flows only when a caller might
    /// disable grad, so the common answer ("no caller does") costs no binding at all.
    /// </summary>
    internal sealed class CallSyntaxIndex
    {
        /// <summary>The key of implicit object creations (<c>new()</c>), which name no type.</summary>
        public const string ImplicitCreation = SourceWords.ImplicitCreation;


        private readonly Lazy<ImmutableArray<SourceWords>> _texts;
        private readonly Lazy<(ImmutableArray<ImmutableHashSet<string>> Levels, bool Constructors)> _requiresGradWriters;
        private readonly ModeSetterNames _modeSetters;
        private readonly ConcurrentDictionary<string, ImmutableArray<SyntaxNode>> _callsByName = new ConcurrentDictionary<string, ImmutableArray<SyntaxNode>>();
        private readonly Lazy<(ImmutableHashSet<SyntaxNode> Members, ImmutableHashSet<SyntaxNode> Helpers)> _gradSwitching;
        private readonly ConcurrentDictionary<(string, int), bool> _mayRunWithGradOff = new ConcurrentDictionary<(string, int), bool>();

        public CallSyntaxIndex(Compilation compilation)
        {
            _texts = new Lazy<ImmutableArray<SourceWords>>(
                () => compilation.SyntaxTrees.Select(SourceWords.Of).ToImmutableArray(),
                LazyThreadSafetyMode.ExecutionAndPublication);
            _gradSwitching = new Lazy<(ImmutableHashSet<SyntaxNode>, ImmutableHashSet<SyntaxNode>)>(FindGradSwitchingMembers, LazyThreadSafetyMode.ExecutionAndPublication);
            _requiresGradWriters = new Lazy<(ImmutableArray<ImmutableHashSet<string>>, bool)>(FindRequiresGradWriters, LazyThreadSafetyMode.ExecutionAndPublication);
            _modeSetters = new ModeSetterNames(compilation);
            _aliases = new Lazy<TypeAliases>(() => TypeAliases.Of(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>
        /// Whether a method called <paramref name="name"/> (a constructor: its type's name) might write <c>requires_grad</c>
        /// itself or through at most <paramref name="calls"/> calls down, read from the syntax: some member so named
        /// assigns requires_grad or calls requires_grad_, or calls a member so named that might. False proves that no method of that name does.
        /// </summary>
        public bool MayWriteRequiresGrad(string name, int calls) => calls >= 0 && RequiresGradWriters(calls).Names.Contains(name);

        /// <summary>
        /// The names of the methods and constructors (by their type's name) that might write <c>requires_grad</c> within
        /// <paramref name="calls"/> calls down (see <see cref="MayWriteRequiresGrad"/>), and whether a constructor is among
        /// the writers at any depth (then a <c>new()</c> or a <c>: base(..)</c>, which name no type, might run one).
        /// </summary>
        public (ImmutableHashSet<string> Names, bool Constructors) RequiresGradWriters(int calls)
        {
            var (levels, constructors) = _requiresGradWriters.Value;
            return (levels[Math.Max(0, Math.Min(calls, levels.Length - 1))], constructors);
        }

        // Level 0: the members that assign requires_grad or call requires_grad_ (the only places the flow freezes or
        // unfreezes); level k adds the members that call, by name, a member of level k - 1.
        private (ImmutableArray<ImmutableHashSet<string>>, bool) FindRequiresGradWriters()
        {
            var seeds = new List<SyntaxNode>();
            foreach (var source in _texts.Value)
            {
                foreach (var mention in EscapedNames.Mentions(source, TorchNames.RequiresGrad, followedBy: "=/#"))
                {
                    if (IsAssigned(mention))
                    {
                        seeds.Add(mention);
                    }
                }

                // Called: the flow counts requires_grad_(..) as a write only as an invocation.
                seeds.AddRange(EscapedNames.Mentions(source, TorchNames.RequiresGradSetter, followedBy: "(/#"));
            }

            return CallersByLevel(seeds);
        }

        /// <summary>
        /// Whether a method called <paramref name="name"/> (a constructor: its type's name) might call <c>eval()</c> or
        /// <c>train(..)</c> on some module itself or through at most <paramref name="calls"/> calls down, read from the
        /// syntax. False proves that no method of that name leaves any module, or field holding one, in another mode.
        /// </summary>
        public bool MaySetMode(string name, int calls) => _modeSetters.MaySetMode(name, calls);

        /// <summary>
        /// The names of the members that hold one of <paramref name="seeds"/> (level 0), then, level by level up to
        /// <see cref="ModeFlowEngine.MaxDepth"/>, of the members that call one of them by name; and whether a constructor is
        /// among them at any level (then a <c>new()</c> or a <c>: base(..)</c>, which name no type, might run one).
        /// </summary>
        private (ImmutableArray<ImmutableHashSet<string>>, bool) CallersByLevel(IEnumerable<SyntaxNode> seeds)
        {
            var levels = ImmutableArray.CreateBuilder<ImmutableHashSet<string>>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            var frontier = new List<string>();
            var constructors = false;
            void Add(SyntaxNode node)
            {
                var member = EnclosingMember(node);
                if (CallableName(member) is { } name && names.Add(name))
                {
                    frontier.Add(name);
                    constructors |= member is ConstructorDeclarationSyntax;
                }
            }

            foreach (var seed in seeds)
            {
                Add(seed);
            }

            levels.Add(names.ToImmutableHashSet(StringComparer.Ordinal));
            for (var level = 1; level <= ModeFlowEngine.MaxDepth && frontier.Count > 0; level++)
            {
                var callees = frontier.ToArray();
                var calledConstructors = constructors;
                frontier.Clear();
                foreach (var callee in callees)
                {
                    foreach (var call in CallsNamed(callee))
                    {
                        Add(call);
                    }
                }

                if (calledConstructors)
                {
                    // A constructor is also run by new() and by the ': base(..)' / ': this(..)' of another constructor.
                    foreach (var call in CallsNamed(ImplicitCreation).AddRange(ChainedConstructorCalls()))
                    {
                        Add(call);
                    }
                }

                levels.Add(names.ToImmutableHashSet(StringComparer.Ordinal));
            }

            return (levels.ToImmutable(), constructors);
        }

        // The ': base(..)' and ': this(..)' initializers that pass arguments (only these could hand a constructor a module).
        private IEnumerable<SyntaxNode> ChainedConstructorCalls()
        {
            foreach (var word in new[] { "base", "this" })
            {
                foreach (var source in _texts.Value)
                {
                    foreach (var mention in source.Mentions(word, followedBy: "(/#"))
                    {
                        if (mention is ConstructorInitializerSyntax { ArgumentList.Arguments.Count: > 0 })
                        {
                            yield return mention;
                        }
                    }
                }
            }
        }

        /// <summary>Whether <paramref name="name"/> is what an assignment writes: <c>p.requires_grad = …</c>, <c>{ requires_grad = … }</c>.</summary>
        private static bool IsAssigned(SyntaxNode name)
        {
            var target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access
                : name.Parent is MemberBindingExpressionSyntax binding && binding.Name == name ? binding
                : name;
            // Only '=': the flow freezes where requires_grad is assigned a constant, never through a compound assignment.
            return target.Parent is AssignmentExpressionSyntax assignment && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Left == target;
        }

        /// <summary>The name a call of <paramref name="member"/> is written with: a method's, or a constructor's type's; null for other members.</summary>
        private static string? CallableName(SyntaxNode? member)
            => member switch
            {
                MethodDeclarationSyntax method => method.Identifier.ValueText,
                ConstructorDeclarationSyntax constructor => constructor.Identifier.ValueText,
                _ => null,
            };

        /// <summary>The invocations and object creations written with <paramref name="name"/> (empty when none).</summary>
        public ImmutableArray<SyntaxNode> CallsNamed(string name) => _callsByName.GetOrAdd(name, FindCalls);

        /// <summary>
        /// The names written <paramref name="name"/> that may denote a method without calling it, each as its outermost
        /// name expression (<see cref="BoundCallSites.MethodGroupExpression"/>): an argument (<c>Select(Predict)</c>,
        /// <c>new Func&lt;..&gt;(this.Predict)</c>), but also an initializer, an assignment, a returned value, a branch of a
        /// conditional (<c>Func&lt;Tensor, Tensor&gt; f = Predict;</c>, <c>return Predict;</c>) — every place where a method
        /// group converts to a delegate that may run the method anywhere. Found by a scan of every file's text (the word
        /// index holds only names followed by a call's characters): asked only on the way to a report, for the few methods
        /// a rule is about to report. In text order, as <see cref="BoundCallSites.MethodGroupsOf"/> yields them.
        /// </summary>
        public ImmutableArray<SyntaxNode> MethodReferencesNamed(string name)
        {
            var groups = ImmutableArray.CreateBuilder<SyntaxNode>();
            foreach (var source in _texts.Value)
            {
                // Whole-word tokens of the name, escaped ones (Pr\u0065dict) included, in text order.
                foreach (var token in EscapedNames.TokensIn(source, name, new Microsoft.CodeAnalysis.Text.TextSpan(0, source.Text.Length)))
                {
                    if (token.Parent is SimpleNameSyntax simple && simple.Identifier == token && BoundCallSites.MethodGroupExpression(simple) is { } group)
                    {
                        groups.Add(group);
                    }
                }
            }

            return groups.ToImmutable();
        }

        /// <summary>
        /// What may be a call of a constructor of a type named <paramref name="typeName"/>, in this order: the calls and
        /// creations written with that name; those written with an alias of it (<c>using Net = MyNet;</c>); every
        /// <c>new()</c>; the <c>: base(..)</c>/<c>: this(..)</c> initializers of constructors whose base type (or own type)
        /// is written with one of those names; and the primary-constructor bases so written (<c>class B(int n) : A(n)</c>).
        /// Binding decides which ones are.
        /// </summary>
        public ImmutableArray<SyntaxNode> ConstructorCallsOf(string typeName) => _constructorCalls.GetOrAdd(typeName, FindConstructorCalls);

        private readonly ConcurrentDictionary<string, ImmutableArray<SyntaxNode>> _constructorCalls = new ConcurrentDictionary<string, ImmutableArray<SyntaxNode>>();

        private ImmutableArray<SyntaxNode> FindConstructorCalls(string typeName)
        {
            var names = TypeNamesOf(typeName);
            var calls = ImmutableArray.CreateBuilder<SyntaxNode>();
            calls.AddRange(CallsNamed(typeName));
            var inTree = new List<SyntaxNode>();
            void AddInTextOrder()
            {
                inTree.Sort((x, y) => BoundCallSites.NamePosition(x).CompareTo(BoundCallSites.NamePosition(y)));
                calls.AddRange(inTree);
                inTree.Clear();
            }

            foreach (var source in _texts.Value)
            {
                foreach (var alias in names)
                {
                    if (alias != typeName)
                    {
                        inTree.AddRange(EscapedNames.CallsWritten(source, alias));
                    }
                }

                AddInTextOrder();
            }

            calls.AddRange(CallsNamed(ImplicitCreation));
            foreach (var source in _texts.Value)
            {
                foreach (var word in new[] { "base", "this" })
                {
                    foreach (var mention in source.Mentions(word, followedBy: "(/#"))
                    {
                        if (mention is ConstructorInitializerSyntax initializer && BoundCallSites.InitializedTypeName(initializer) is { } initialized && names.Contains(initialized))
                        {
                            inTree.Add(initializer);
                        }
                    }
                }

                AddInTextOrder();
            }

            foreach (var source in _texts.Value)
            {
                foreach (var name in names)
                {
                    foreach (var mention in EscapedNames.Mentions(source, name, followedBy: "(</#"))
                    {
                        if (PrimaryConstructorBaseOf(mention) is { } primary)
                        {
                            inTree.Add(primary);
                        }
                    }
                }

                AddInTextOrder();
            }

            return calls.ToImmutable();
        }

        /// <summary>The primary-constructor base (<c>: A(n)</c>) whose type <paramref name="name"/> is the rightmost name of, or null.</summary>
        private static SyntaxNode? PrimaryConstructorBaseOf(SyntaxNode name)
        {
            var type = name;
            while (type.Parent is QualifiedNameSyntax qualified && qualified.Right == type || type.Parent is AliasQualifiedNameSyntax alias && alias.Name == type)
            {
                type = type.Parent;
            }

            return type.Parent is PrimaryConstructorBaseTypeSyntax primary && primary.Type == type ? primary : null;
        }

        /// <summary>
        /// The order <see cref="ConstructorCallsOf"/> yields a node in: 0 written with the type's name, 1 with another (an
        /// alias), 2 <c>new()</c>, 3 an initializer, 4 a primary-constructor base.
        /// </summary>
        public static int ConstructorCallGroup(SyntaxNode node, string typeName)
            => node switch
            {
                ConstructorInitializerSyntax _ => 3,
                PrimaryConstructorBaseTypeSyntax _ => 4,
                ImplicitObjectCreationExpressionSyntax _ => 2,
                InvocationExpressionSyntax invocation => InvokedNames.Of(invocation) == typeName ? 0 : 1,
                ObjectCreationExpressionSyntax creation => InvokedNames.RightmostName(creation.Type) == typeName ? 0 : 1,
                _ => 1,
            };

        /// <summary><paramref name="typeName"/> and the names of the using aliases that may denote it (<see cref="TypeAliases"/>).</summary>
        public ImmutableArray<string> TypeNamesOf(string typeName) => _aliases.Value.NamesOf(typeName);

        private readonly Lazy<TypeAliases> _aliases;

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
        /// grad switch, or it is a method that might itself be called with grad off, or a constructor.
        /// </summary>
        public bool CallerMayRunWithGradOff(SyntaxNode call, int depth, int maxDepth)
        {
            // A constructor may be run with grad off by any creation or initializer: the engine never rules it out
            // (ModeFlowEngine.MayRunWithGradOff), so a call written in one may run with grad off too.
            var member = EnclosingMember(call);
            return member is null || member is ConstructorDeclarationSyntax || _gradSwitching.Value.Members.Contains(member)
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
            foreach (var name in GradSwitches.Names)
            {
                foreach (var call in CallsNamed(name))
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
                foreach (var call in CallsNamed(helper))
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

        /// <summary>Whether a method of this compilation written <paramref name="name"/> may return what a grad switch returns (by name: the helpers are few).</summary>
        public bool MayReturnGradScope(string name)
        {
            foreach (var helper in _gradSwitching.Value.Helpers)
            {
                if (helper is MethodDeclarationSyntax method && method.Identifier.ValueText == name)
                {
                    return true;
                }
            }

            return false;
        }

        private ImmutableArray<SyntaxNode> FindCalls(string name)
        {
            var calls = ImmutableArray.CreateBuilder<SyntaxNode>();
            foreach (var source in _texts.Value)
            {
                calls.AddRange(EscapedNames.CallsWritten(source, name));
            }

            return calls.ToImmutable();
        }

        /// <summary>
        /// Whether <paramref name="call"/> is what its method returns (<c>return torch.no_grad();</c>, <c>=> torch.no_grad()</c>),
        /// also as a branch of a conditional (<c>=> training ? torch.enable_grad() : torch.no_grad()</c>).
        /// </summary>
        private static bool IsReturned(SyntaxNode call)
        {
            var parent = call.Parent;
            while (parent is ParenthesizedExpressionSyntax || parent is CastExpressionSyntax || parent is ConditionalExpressionSyntax)
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
