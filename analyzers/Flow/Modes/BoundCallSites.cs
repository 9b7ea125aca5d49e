using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Every call site and method-group reference of a compilation, found by binding every tree: the source of the
    /// engine's caller questions when <c>exhaustive_flow</c> is on (<see cref="ModeFlowEngine.Exhaustive"/>), where no
    /// answer may come from the text index (<see cref="CallSyntaxIndex"/>). Built once per compilation, on the first
    /// question, by one walk of every tree that binds each invocation, object creation (<c>new T(..)</c> and
    /// <c>new()</c>), constructor initializer (<c>: base(..)</c>, <c>: this(..)</c>), primary-constructor base
    /// (<c>: Base(..)</c>) and each name that denotes a method without calling it (<c>Select(Predict)</c>,
    /// <c>Func&lt;Tensor, Tensor&gt; f = Predict;</c>, <c>new Func&lt;..&gt;(Predict)</c>). Never built in the default mode:
    /// binding every tree is what the text tier exists to avoid.
    /// <para>
    /// Each node is kept under what it binds to (the method's original, unreduced definition), or, when it binds to
    /// nothing, under each candidate the compiler names, or when there is none under the name it is written with
    /// (<see cref="ModeFlowEngine"/> counts such a node as a caller whose facts are unknown, as it does in the default
    /// mode for the nodes the text finds). Lists are returned in the order the text tier yields the same nodes: by tree,
    /// then by the position of the name they are written with.
    /// </para>
    /// </summary>
    internal sealed class BoundCallSites
    {
        private readonly Dictionary<SyntaxTree, int> _treeOrder = new Dictionary<SyntaxTree, int>();
        private readonly Dictionary<IMethodSymbol, List<SyntaxNode>> _calls = new Dictionary<IMethodSymbol, List<SyntaxNode>>(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, List<SyntaxNode>> _groups = new Dictionary<IMethodSymbol, List<SyntaxNode>>(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, List<SyntaxNode>> _unboundCandidates = new Dictionary<IMethodSymbol, List<SyntaxNode>>(SymbolEqualityComparer.Default);
        private readonly Dictionary<string, List<SyntaxNode>> _unboundNamed = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<SyntaxNode>> _written = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);

        private BoundCallSites()
        {
        }

        /// <summary>Binds every tree of <paramref name="compilation"/> that <paramref name="modelOf"/> gives a model for.</summary>
        public static BoundCallSites Of(Compilation compilation, Func<SyntaxTree, SemanticModel?> modelOf)
        {
            var sites = new BoundCallSites();
            foreach (var tree in compilation.SyntaxTrees)
            {
                sites._treeOrder[tree] = sites._treeOrder.Count;
                if (modelOf(tree) is { } model)
                {
                    sites.Add(tree.GetRoot(), model);
                }
            }

            return sites;
        }

        /// <summary>The method a call binds to, as the engine compares it: the original definition of the unreduced method (<c>x.Ext()</c> is <c>Ext(x)</c>).</summary>
        public static IMethodSymbol Definition(IMethodSymbol method) => (method.ReducedFrom ?? method).OriginalDefinition;

        /// <summary>The invocations, creations and initializers bound to one of <paramref name="targets"/> (definitions).</summary>
        public IEnumerable<SyntaxNode> CallsTo(IEnumerable<IMethodSymbol> targets)
        {
            foreach (var target in targets)
            {
                if (_calls.TryGetValue(target, out var calls))
                {
                    foreach (var call in calls)
                    {
                        yield return call;
                    }
                }
            }
        }

        /// <summary>The calls that bind to nothing and whose candidates include <paramref name="method"/> (a definition).</summary>
        public IReadOnlyList<SyntaxNode> UnboundCallsOf(IMethodSymbol method)
            => _unboundCandidates.TryGetValue(method, out var calls) ? calls : Array.Empty<SyntaxNode>();

        /// <summary>
        /// The calls that bind to nothing and have no candidate, written with <paramref name="name"/> (<see cref="CallSyntaxIndex.ImplicitCreation"/>
        /// for <c>new()</c>; a constructor initializer or primary-constructor base under the name of the type it calls).
        /// </summary>
        public IReadOnlyList<SyntaxNode> UnboundCallsNamed(string name)
            => _unboundNamed.TryGetValue(name, out var calls) ? calls : Array.Empty<SyntaxNode>();

        /// <summary>The references to <paramref name="method"/> (a definition) that do not call it, in text order.</summary>
        public ImmutableArray<SyntaxNode> MethodGroupsOf(IMethodSymbol method)
            => _groups.TryGetValue(method, out var groups) ? InTextOrder(groups) : ImmutableArray<SyntaxNode>.Empty;

        /// <summary>The invocations and object creations written with <paramref name="name"/>, bound or not, in text order (as <see cref="CallSyntaxIndex.CallsNamed"/>).</summary>
        public ImmutableArray<SyntaxNode> CallsWritten(string name)
            => _written.TryGetValue(name, out var calls) ? InTextOrder(calls) : ImmutableArray<SyntaxNode>.Empty;

        /// <summary>
        /// <paramref name="nodes"/> without repeats, ordered as the text tier yields them: first by <paramref name="group"/>,
        /// then by tree, then by the position of the name each is written with.
        /// </summary>
        public ImmutableArray<SyntaxNode> InTextOrder(IEnumerable<SyntaxNode> nodes, Func<SyntaxNode, int>? group = null)
        {
            var unique = new HashSet<SyntaxNode>();
            var keyed = new List<(int Group, int Tree, int Position, SyntaxNode Node)>();
            foreach (var node in nodes)
            {
                if (unique.Add(node))
                {
                    keyed.Add((group?.Invoke(node) ?? 0, _treeOrder.TryGetValue(node.SyntaxTree, out var tree) ? tree : int.MaxValue, NamePosition(node), node));
                }
            }

            keyed.Sort((x, y) => x.Group != y.Group ? x.Group.CompareTo(y.Group) : x.Tree != y.Tree ? x.Tree.CompareTo(y.Tree) : x.Position.CompareTo(y.Position));
            var ordered = ImmutableArray.CreateBuilder<SyntaxNode>(keyed.Count);
            foreach (var entry in keyed)
            {
                ordered.Add(entry.Node);
            }

            return ordered.MoveToImmutable();
        }

        /// <summary>
        /// Where the name a node is written with starts — the position the text tier finds it at: a call's rightmost name,
        /// a creation's type name, <c>new</c> of <c>new()</c>, <c>base</c>/<c>this</c> of an initializer, a method group's name.
        /// </summary>
        public static int NamePosition(SyntaxNode node)
        {
            var name = node switch
            {
                InvocationExpressionSyntax invocation => RightmostName(invocation.Expression),
                ObjectCreationExpressionSyntax creation => RightmostName(creation.Type),
                PrimaryConstructorBaseTypeSyntax primary => RightmostName(primary.Type),
                ExpressionSyntax expression => RightmostName(expression),
                _ => null,
            };
            return node switch
            {
                ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.NewKeyword.SpanStart,
                ConstructorInitializerSyntax initializer => initializer.ThisOrBaseKeyword.SpanStart,
                _ => name?.Identifier.SpanStart ?? node.SpanStart,
            };
        }

        /// <summary>
        /// The name of the type a constructor initializer calls, as written: the enclosing type's for <c>: this(..)</c>, the
        /// first base type's for <c>: base(..)</c>; null when it cannot be read.
        /// </summary>
        public static string? InitializedTypeName(ConstructorInitializerSyntax initializer)
        {
            if (!(initializer.Parent?.Parent is TypeDeclarationSyntax type))
            {
                return null;
            }

            if (initializer.ThisOrBaseKeyword.ValueText == "this")
            {
                return type.Identifier.ValueText;
            }

            return type.BaseList?.Types.Count > 0 ? RightmostName(type.BaseList.Types[0].Type)?.Identifier.ValueText : null;
        }

        private static SimpleNameSyntax? RightmostName(ExpressionSyntax expression)
            => expression switch
            {
                SimpleNameSyntax simple => simple,
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                QualifiedNameSyntax qualified => qualified.Right,
                AliasQualifiedNameSyntax alias => alias.Name,
                _ => null,
            };

        private ImmutableArray<SyntaxNode> InTextOrder(List<SyntaxNode> nodes) => InTextOrder((IEnumerable<SyntaxNode>)nodes);

        private void Add(SyntaxNode root, SemanticModel model)
        {
            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax invocation:
                        AddCall(invocation, model, RightmostName(invocation.Expression)?.Identifier.ValueText, written: true);
                        break;
                    case ObjectCreationExpressionSyntax creation:
                        AddCall(creation, model, RightmostName(creation.Type)?.Identifier.ValueText, written: true);
                        break;
                    case ImplicitObjectCreationExpressionSyntax implicitCreation:
                        AddCall(implicitCreation, model, CallSyntaxIndex.ImplicitCreation, written: true);
                        break;
                    case ConstructorInitializerSyntax initializer:
                        AddCall(initializer, model, InitializedTypeName(initializer), written: false);
                        break;
                    case PrimaryConstructorBaseTypeSyntax primary:
                        AddCall(primary, model, RightmostName(primary.Type)?.Identifier.ValueText, written: false);
                        break;
                    case SimpleNameSyntax name when MethodGroupExpression(name) is { } expression
                                                    && model.GetSymbolInfo(expression).Symbol is IMethodSymbol method:
                        AddTo(_groups, Definition(method), expression);
                        break;
                }
            }
        }

        private void AddCall(SyntaxNode node, SemanticModel model, string? name, bool written)
        {
            if (written && name != null)
            {
                AddTo(_written, name, node);
            }

            var info = model.GetSymbolInfo(node);
            if (info.Symbol is IMethodSymbol method)
            {
                AddTo(_calls, Definition(method), node);
            }
            else if (info.Symbol is null)
            {
                if (info.CandidateSymbols.IsEmpty)
                {
                    if (name != null)
                    {
                        AddTo(_unboundNamed, name, node);
                    }
                }
                else
                {
                    foreach (var candidate in info.CandidateSymbols)
                    {
                        if (candidate is IMethodSymbol candidateMethod)
                        {
                            AddTo(_unboundCandidates, Definition(candidateMethod), node);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The expression a name is the whole of when it may denote a method without calling it — the name, or the member
        /// access or binding it ends — or null when it is called there, or is the receiver of a member access.
        /// </summary>
        public static ExpressionSyntax? MethodGroupExpression(SimpleNameSyntax name)
        {
            ExpressionSyntax expression = name;
            switch (name.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Name == name:
                    expression = access;
                    break;
                case MemberAccessExpressionSyntax _:
                    return null;
                case MemberBindingExpressionSyntax binding when binding.Name == name:
                    expression = binding;
                    break;
                case QualifiedNameSyntax _:
                case AliasQualifiedNameSyntax _:
                case TypeArgumentListSyntax _:
                    return null;
            }

            return expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression ? null : expression;
        }

        private static void AddTo<TKey>(Dictionary<TKey, List<SyntaxNode>> index, TKey key, SyntaxNode node)
            where TKey : notnull
        {
            if (!index.TryGetValue(key, out var list))
            {
                list = new List<SyntaxNode>();
                index[key] = list;
            }

            list.Add(node);
        }
    }
}
