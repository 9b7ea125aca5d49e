using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>
    /// Whether this compilation provably uses an object of a module class as a <em>root</em>: an object no other module
    /// registers, on which a member that only sees registered submodules runs (<c>eval()</c>, <c>train()</c>,
    /// <c>parameters()</c>, <c>state_dict()</c>, <c>to(..)</c>, <c>save</c>/<c>load</c> …). <c>register_module(name, child)</c>
    /// calls <c>child.RegisterComponents()</c> (docs/architecture.md, "Measured facts"), so a class whose constructor
    /// registers nothing is complete as a registered child; its missing registration costs something only under a root.
    /// <para>
    /// What counts, read from the syntax and bound only where the class's name, an alias of it or a <c>new()</c> occurs: an object creation of the class
    /// (or a <c>ModuleList</c>/<c>ModuleDict</c> built around one) that is the receiver of such a member,
    /// or that goes into a local, a private field or auto-property of a class that is not a module, and that variable
    /// is the receiver of such a member — directly, in a lambda, or as the argument of a method of this compilation
    /// whose parameter is (one call deep). The variable must never escape: any other use of it (returned, stored,
    /// passed elsewhere, given to <c>register_module</c> or a container) may make it a registered child, and the
    /// answer is then "not proven". Calls on <c>this</c>, on parameters, on fields of module classes and on public
    /// members do not count either: nothing proves that object is not a registered child.
    /// </para>
    /// <para>
    /// An object created as an element of a <c>Sequential</c> counts too, wherever the Sequential goes: a Sequential
    /// holds its elements as submodules but never calls their <c>RegisterComponents()</c>, even when it is registered
    /// itself (measured on 0.107.0), so nobody completes such an element.
    /// </para>
    /// </summary>
    internal sealed class RootUses
    {
        /// <summary>The members of <c>torch.nn.Module</c> that only reach registered submodules.</summary>
        private static readonly HashSet<string> RootMembers = new HashSet<string>
        {
            TorchNames.Eval, TorchNames.Train, TorchNames.Parameters, TorchNames.NamedParameters, "buffers", "named_buffers", "children", "named_children",
            "modules", "named_modules", "state_dict", "load_state_dict", "load", "save", "to", "cuda", "cpu", "half",
            "float", "double", "bfloat16", TorchNames.ZeroGrad, "apply", TorchNames.RequiresGradSetter, "to_empty",
        };

        private enum Use
        {
            Neutral,
            Root,
            Escape,
        }

        private readonly RegistrationAnalysis _analysis;
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<INamedTypeSymbol, SyntaxNode?> _cache = new ConcurrentDictionary<INamedTypeSymbol, SyntaxNode?>(SymbolEqualityComparer.Default);

        private readonly bool _exhaustive;

        /// <param name="analysis">The compilation's registration state.</param>
        /// <param name="compilation">The compilation.</param>
        /// <param name="exhaustive">
        /// <c>exhaustive_flow</c>: creations and mentions are found in every tree's syntax, not from the text index.
        /// </param>
        public RootUses(RegistrationAnalysis analysis, Compilation compilation, bool exhaustive = false)
        {
            _analysis = analysis;
            _compilation = compilation;
            _exhaustive = exhaustive;
            _aliases = new Lazy<TypeAliases>(() => TypeAliases.Of(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
            _registerModuleIsDeclaredHere = new Lazy<bool>(() => compilation.ContainsSymbolsWithName(TorchNames.RegisterModule, SymbolFilter.Member), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        private readonly Lazy<TypeAliases> _aliases;

        // A method of this compilation named register_module could do anything with its argument: then RootUses binds
        // the creations handed to it (RootCreationShapes). Asked of the declaration table, which binds nothing.
        private readonly Lazy<bool> _registerModuleIsDeclaredHere;

        private bool IsModuleClass(Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
            => model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type && _analysis.Symbols.IsModule(type);

        /// <summary>The root use of an object of <paramref name="type"/> (the member call), or null when none is proven.</summary>
        public SyntaxNode? Of(INamedTypeSymbol type, CancellationToken cancellationToken)
            => _cache.GetOrAdd(type.OriginalDefinition, t => Find(t, cancellationToken));

        private SyntaxNode? Find(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            foreach (var tree in _compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Creations that name the class (from the tree's word index), and target-typed new() only in a tree that
                // mentions the class somewhere (a declared type).
                var creations = _exhaustive ? CreationsIn(tree, type.Name) : CreationsWritten(tree, type.Name);
                SemanticModel? model = null;
                foreach (var creation in creations)
                {
                    if (!(creation is BaseObjectCreationExpressionSyntax written))
                    {
                        continue;
                    }

                    model ??= _analysis.ModelOf(tree);
                    if (model is null)
                    {
                        break;
                    }

                    if (!_exhaustive && !RootCreationShapes.MayLeadToRoot(written, RootMembers.Contains, declaration => IsModuleClass(declaration, model, cancellationToken), _registerModuleIsDeclaredHere.Value))
                    {
                        continue;
                    }

                    if (model.GetTypeInfo(creation, cancellationToken).Type is INamedTypeSymbol created
                        && SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, type)
                        && RootDestination((ExpressionSyntax)creation, model, 0, cancellationToken) is { } use)
                    {
                        return use;
                    }
                }
            }

            return null;
        }

        // The creations that name the class, then those that name an alias of it (from the tree's word index), then every
        // target-typed new(): its type may be written in another file only (Trainer.Prepare(new()) with Prepare(Block b)).
        private ImmutableArray<SyntaxNode> CreationsWritten(SyntaxTree tree, string typeName)
        {
            var words = SourceWords.Of(tree);
            var creations = ImmutableArray.CreateBuilder<SyntaxNode>();
            creations.AddRange(EscapedNames.CallsWritten(words, typeName));
            var aliased = new List<SyntaxNode>();
            foreach (var alias in _aliases.Value.NamesOf(typeName))
            {
                if (alias != typeName)
                {
                    aliased.AddRange(EscapedNames.CallsWritten(words, alias));
                }
            }

            aliased.Sort((x, y) => Flow.Modes.BoundCallSites.NamePosition(x).CompareTo(Flow.Modes.BoundCallSites.NamePosition(y)));
            creations.AddRange(aliased);
            creations.AddRange(words.CallsWritten(SourceWords.ImplicitCreation));
            return creations.ToImmutable();
        }

        /// <summary>
        /// Every object creation of <paramref name="tree"/>, from its syntax, in the order <see cref="CreationsWritten"/>
        /// would yield them: those written with <paramref name="typeName"/>, then the others (an alias), then <c>new()</c>,
        /// each by the position of its name.
        /// </summary>
        private static ImmutableArray<SyntaxNode> CreationsIn(SyntaxTree tree, string typeName)
        {
            var creations = new List<SyntaxNode>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is BaseObjectCreationExpressionSyntax)
                {
                    creations.Add(node);
                }
            }

            return creations
                .OrderBy(node => Flow.Modes.CallSyntaxIndex.ConstructorCallGroup(node, typeName))
                .ThenBy(Flow.Modes.BoundCallSites.NamePosition)
                .ToImmutableArray();
        }

        /// <summary>
        /// The tokens that are <paramref name="name"/> in <paramref name="span"/> of <paramref name="tree"/>: from the text
        /// (<see cref="SourceWords.TokensIn"/>), or with <c>exhaustive_flow</c> from the syntax, in the same order.
        /// </summary>
        private IEnumerable<SyntaxToken> TokensIn(SyntaxTree tree, string name, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            if (!_exhaustive)
            {
                return EscapedNames.TokensIn(SourceWords.Of(tree), name, span);
            }

            var tokens = new List<SyntaxToken>();
            foreach (var token in tree.GetRoot().DescendantTokens(span))
            {
                if (span.Contains(token.Span) && token.ValueText == name)
                {
                    tokens.Add(token);
                }
            }

            return tokens;
        }

        /// <summary>Where the value of <paramref name="expression"/> (a fresh module) is used as a root, following it to one variable.</summary>
        private SyntaxNode? RootDestination(ExpressionSyntax expression, SemanticModel model, int depth, CancellationToken cancellationToken)
        {
            if (depth > 3)
            {
                return null;
            }

            var node = Outer(expression);
            switch (node.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == node:
                    return access.Parent is InvocationExpressionSyntax invocation && IsRootCall(invocation, model, cancellationToken) ? invocation : null;
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Initializer!.Value == node:
                    return VariableDestination(model.GetDeclaredSymbol(declarator, cancellationToken), model, cancellationToken);
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return VariableDestination(model.GetDeclaredSymbol(property, cancellationToken), model, cancellationToken);
                case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == node:
                    return VariableDestination(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, model, cancellationToken);
                case ArgumentSyntax { Parent: TupleExpressionSyntax { Parent: ArgumentSyntax tupleArgument } }:
                    // ("name", new Block()) given to Sequential or ModuleDict.
                    return ContainerDestination(tupleArgument, model, depth, cancellationToken);
                case ArgumentSyntax argument:
                    return ContainerDestination(argument, model, depth, cancellationToken);
                case LambdaExpressionSyntax { ExpressionBody: { } body } lambda when body == node:
                    // Enumerable.Range(0, n).Select(_ => new Block()) given to Sequential: every element is such a block.
                    return QueryDestination(lambda, model, depth, cancellationToken);
                default:
                    return null;
            }
        }

        /// <summary>Where the elements of <c>source.Select(lambda)</c> (optionally <c>.ToArray()</c>/<c>.ToList()</c>) go when the query is an argument.</summary>
        private SyntaxNode? QueryDestination(LambdaExpressionSyntax lambda, SemanticModel model, int depth, CancellationToken cancellationToken)
        {
            if (!(lambda.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax select } }
                  && select.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Select" }))
            {
                return null;
            }

            ExpressionSyntax query = select;
            while (query.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToArray" or "ToList" } materialized
                   && materialized.Expression == query && materialized.Parent is InvocationExpressionSyntax call)
            {
                query = call;
            }

            return query.Parent is ArgumentSyntax argument ? ContainerDestination(argument, model, depth, cancellationToken) : null;
        }

        /// <summary>A fresh module given to a <c>Sequential</c>/<c>ModuleList</c>/<c>ModuleDict</c> being built: where that container is a root.</summary>
        private SyntaxNode? ContainerDestination(ArgumentSyntax argument, SemanticModel model, int depth, CancellationToken cancellationToken)
        {
            if (!(argument.Parent?.Parent is ExpressionSyntax call) || !(call is InvocationExpressionSyntax || call is BaseObjectCreationExpressionSyntax))
            {
                return null;
            }

            // A Sequential never calls its elements' RegisterComponents(), registered or not (measured on 0.107.0: two
            // such blocks in a Sequential field of a registering parent, 0 parameters): an element of one is never
            // completed by anybody.
            if (IsSequential(model.GetTypeInfo(call, cancellationToken).Type)
                || (call is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax receiver }
                    && IsSequential(model.GetTypeInfo(receiver.Expression, cancellationToken).Type)))
            {
                return argument;
            }

            if (call is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: { } name } member }
                && (name.Identifier.ValueText == "Add" || name.Identifier.ValueText == "append" || name.Identifier.ValueText == "Append")
                && IsContainer(model.GetTypeInfo(member.Expression, cancellationToken).Type))
            {
                // container.Add(new Block()): the container variable decides.
                return member.Expression is IdentifierNameSyntax
                    ? VariableDestination(model.GetSymbolInfo(member.Expression, cancellationToken).Symbol, model, cancellationToken)
                    : null;
            }

            if (IsContainer(model.GetTypeInfo(call, cancellationToken).Type))
            {
                return RootDestination(call, model, depth + 1, cancellationToken);
            }

            // new Net() given straight to a method of this compilation: what it does with its parameter.
            return argument.RefKindKeyword.IsKind(SyntaxKind.None)
                   && ArgumentUse(argument, model, out var use, cancellationToken) == Use.Root ? use : null;
        }

        /// <summary>A TorchSharp <c>ModuleList&lt;T&gt;</c> or <c>ModuleDict&lt;T&gt;</c>: registers its elements (calls their <c>RegisterComponents()</c>) only when it is registered itself.</summary>
        private bool IsContainer(ITypeSymbol? type)
            => type is INamedTypeSymbol named && _analysis.Symbols.IsTorchSharp(named)
               && (named.Name == "ModuleList" || named.Name == "ModuleDict");

        /// <summary>TorchSharp's <c>Sequential</c>: holds its elements as submodules but never calls their <c>RegisterComponents()</c>.</summary>
        private bool IsSequential(ITypeSymbol? type)
            => type is INamedTypeSymbol named && named.Name == "Sequential" && _analysis.Symbols.IsTorchSharp(named);

        /// <summary>A local, or a private field or auto-property of a class that is not a module, that holds the fresh module.</summary>
        private SyntaxNode? VariableDestination(ISymbol? variable, SemanticModel model, CancellationToken cancellationToken)
        {
            IEnumerable<SyntaxNode> scopes;
            switch (variable)
            {
                case ILocalSymbol local when local.RefKind == RefKind.None && local.DeclaringSyntaxReferences.Length == 1:
                    var declaration = local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                    var scope = declaration.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax || a is AccessorDeclarationSyntax
                        || a is LocalFunctionStatementSyntax || a is CompilationUnitSyntax || a is AnonymousFunctionExpressionSyntax);
                    if (scope is null)
                    {
                        return null;
                    }

                    scopes = new[] { scope };
                    break;
                case IFieldSymbol field when IsPrivateOfNonModule(field) && (field.AssociatedSymbol is null || field.AssociatedSymbol is IPropertySymbol):
                    scopes = field.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken));
                    break;
                case IPropertySymbol property when IsPrivateOfNonModule(property) && _analysis.IsAutoProperty(property):
                    scopes = property.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken));
                    break;
                default:
                    return null;
            }

            SyntaxNode? root = null;
            foreach (var scope in scopes)
            {
                var scopeModel = scope.SyntaxTree == model.SyntaxTree ? model : _analysis.ModelOf(scope.SyntaxTree);
                if (scopeModel is null)
                {
                    return null;
                }

                foreach (var token in TokensIn(scope.SyntaxTree, variable.Name, scope.Span))
                {
                    if (!(token.Parent is IdentifierNameSyntax identifier)
                        || !SymbolEqualityComparer.Default.Equals(scopeModel.GetSymbolInfo(identifier, cancellationToken).Symbol?.OriginalDefinition, variable.OriginalDefinition))
                    {
                        continue;
                    }

                    switch (UseOf(identifier, scopeModel, followCalls: true, out var call, cancellationToken))
                    {
                        case Use.Escape:
                            return null;
                        case Use.Root:
                            root ??= call;
                            break;
                    }
                }
            }

            return root;
        }

        private bool IsPrivateOfNonModule(ISymbol member)
            => member.DeclaredAccessibility == Accessibility.Private && !member.IsStatic && !_analysis.Symbols.IsModule(member.ContainingType)
               && _analysis.IsSource(member.ContainingType);

        /// <summary>What one mention of the variable does with the module it holds.</summary>
        private Use UseOf(IdentifierNameSyntax identifier, SemanticModel model, bool followCalls, out SyntaxNode? call, CancellationToken cancellationToken)
        {
            call = null;
            ExpressionSyntax node = identifier;
            if (node.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == node && qualified.Expression is ThisExpressionSyntax)
            {
                node = qualified;
            }

            var outer = Outer(node);
            switch (outer.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == outer:
                    if (access.Parent is InvocationExpressionSyntax invocation && invocation.Expression == access && IsRootCall(invocation, model, cancellationToken))
                    {
                        call = invocation;
                        return Use.Root;
                    }

                    return Use.Neutral;
                case ConditionalAccessExpressionSyntax conditional when conditional.Expression == outer:
                    if (conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax } bound && IsRootCall(bound, model, cancellationToken))
                    {
                        call = bound;
                        return Use.Root;
                    }

                    return Use.Neutral;
                case AssignmentExpressionSyntax assignment when assignment.Left == outer:
                    return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && IsFreshOrNull(assignment.Right, model, cancellationToken) ? Use.Neutral : Use.Escape;
                case ArgumentSyntax argument when followCalls && argument.RefKindKeyword.IsKind(SyntaxKind.None):
                    return ArgumentUse(argument, model, out call, cancellationToken);
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                    return Use.Neutral;
                case IsPatternExpressionSyntax _:
                    return Use.Neutral;
                default:
                    return Use.Escape;
            }
        }

        /// <summary>The variable passed to a method of this compilation: what the method does with its parameter (one call deep).</summary>
        private Use ArgumentUse(ArgumentSyntax argument, SemanticModel model, out SyntaxNode? call, CancellationToken cancellationToken)
        {
            call = null;
            if (!(model.GetOperation(argument, cancellationToken) is IArgumentOperation { Parameter: { } parameter })
                || !(parameter.ContainingSymbol is IMethodSymbol method)
                || method.MethodKind == MethodKind.Constructor
                || !_analysis.IsSource(method.ContainingType)
                || parameter.RefKind != RefKind.None
                || parameter.IsParams
                || method.DeclaringSyntaxReferences.Length != 1)
            {
                return Use.Escape;
            }

            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            var declarationModel = declaration.SyntaxTree == model.SyntaxTree ? model : _analysis.ModelOf(declaration.SyntaxTree);
            if (declarationModel is null)
            {
                return Use.Escape;
            }

            var result = Use.Neutral;
            foreach (var token in TokensIn(declaration.SyntaxTree, parameter.Name, declaration.Span))
            {
                if (!(token.Parent is IdentifierNameSyntax identifier)
                    || !SymbolEqualityComparer.Default.Equals(declarationModel.GetSymbolInfo(identifier, cancellationToken).Symbol, parameter))
                {
                    continue;
                }

                switch (UseOf(identifier, declarationModel, followCalls: false, out var inner, cancellationToken))
                {
                    case Use.Escape:
                        call = null;
                        return Use.Escape;
                    case Use.Root:
                        if (result != Use.Root)
                        {
                            call = inner;
                        }

                        result = Use.Root;
                        break;
                }
            }

            return result;
        }

        private bool IsFreshOrNull(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
        {
            var inner = value;
            while (inner is ParenthesizedExpressionSyntax parenthesized)
            {
                inner = parenthesized.Expression;
            }

            return inner.IsKind(SyntaxKind.NullLiteralExpression) || inner.IsKind(SyntaxKind.DefaultLiteralExpression)
                   || (inner is BaseObjectCreationExpressionSyntax && _analysis.Symbols.IsModule(model.GetTypeInfo(inner, cancellationToken).Type));
        }

        /// <summary>A call of a member of <c>torch.nn.Module</c> (or a TorchSharp extension of it) that only reaches registered submodules.</summary>
        private bool IsRootCall(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
        {
            var name = invocation.Expression switch
            {
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                _ => null,
            };
            if (name is null || !RootMembers.Contains(name))
            {
                return false;
            }

            return model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method && _analysis.Symbols.IsTorchSharp(method)
                   && (_analysis.Symbols.IsModule(method.ContainingType) || method.IsExtensionMethod);
        }

        /// <summary>The expression around <paramref name="node"/> that carries its value: parentheses, casts, <c>!</c>, <c>as</c>.</summary>
        internal static ExpressionSyntax Outer(ExpressionSyntax node)
        {
            while (true)
            {
                switch (node.Parent)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        node = parenthesized;
                        continue;
                    case CastExpressionSyntax cast when cast.Expression == node:
                        node = cast;
                        continue;
                    case PostfixUnaryExpressionSyntax suppress when suppress.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                        node = suppress;
                        continue;
                    case BinaryExpressionSyntax asExpression when asExpression.IsKind(SyntaxKind.AsExpression) && asExpression.Left == node:
                        node = asExpression;
                        continue;
                    default:
                        return node;
                }
            }
        }
    }
}
