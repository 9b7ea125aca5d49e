using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>
    /// The collection fields of a module class whose elements go into a TorchSharp module container: the field itself (or
    /// its <c>ToArray()</c>/<c>ToList()</c>) is an argument of <c>nn.Sequential(..)</c>, <c>nn.ModuleList(..)</c>,
    /// <c>nn.ModuleDict(..)</c>, <c>new Sequential/ModuleList&lt;T&gt;/ModuleDict&lt;T&gt;(..)</c>, or of a container's
    /// <c>AddRange</c>/<c>extend</c>/<c>append</c>, anywhere in the class or its source base classes.
    /// </summary>
    /// <remarks>
    /// Such a list is a staging list: <c>RegisterComponents()</c> ignores it, but the container holds the same modules as
    /// submodules and is registered like any module field (measured in
    /// tests/TorchSharp.Analyzers.Runtime.Tests/StagingListRegistrationTests.cs: parameters() and eval() reach them). Where
    /// the container goes is not followed, so the collection reason is not given for these fields at all: precision
    /// first. Custom blocks among the elements are a separate question (RootUses: an element of a Sequential).
    /// </remarks>
    internal static class ContainerHandOffs
    {
        private static readonly HashSet<string> Copies = new HashSet<string> { "ToArray", "ToList" };

        /// <summary>The collection fields of <paramref name="chain"/> (original definitions) handed to a module container.</summary>
        public static ImmutableHashSet<IFieldSymbol> Of(
            RegistrationAnalysis analysis,
            IReadOnlyList<INamedTypeSymbol> chain,
            ImmutableDictionary<IFieldSymbol, SubmoduleFieldKind> kinds,
            CancellationToken cancellationToken)
        {
            // By the name code uses for them: the field's, or the auto-property's for a backing field.
            var byName = new Dictionary<string, List<IFieldSymbol>>();
            foreach (var pair in kinds)
            {
                if (pair.Value == SubmoduleFieldKind.Module || pair.Value == SubmoduleFieldKind.None)
                {
                    continue;
                }

                var name = pair.Key.AssociatedSymbol?.Name ?? pair.Key.Name;
                if (!byName.TryGetValue(name, out var fields))
                {
                    byName[name] = fields = new List<IFieldSymbol>();
                }

                fields.Add(pair.Key);
            }

            var handed = ImmutableHashSet.CreateBuilder<IFieldSymbol>(SymbolEqualityComparer.Default);
            if (byName.Count == 0)
            {
                return handed.ToImmutable();
            }

            foreach (var type in chain)
            {
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    var declaration = reference.GetSyntax(cancellationToken);
                    var model = analysis.ModelOf(declaration.SyntaxTree);
                    if (model is null)
                    {
                        continue;
                    }

                    foreach (var argument in declaration.DescendantNodes().OfType<ArgumentSyntax>())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var named = NamedCollection(argument.Expression);
                        if (named is null || !byName.TryGetValue(NameOf(named), out var candidates)
                            || !(TrackedField(model.GetSymbolInfo(named, cancellationToken).Symbol, candidates) is { } field)
                            || handed.Contains(field)
                            || !IsContainerCall(analysis, argument, model, cancellationToken))
                        {
                            continue;
                        }

                        handed.Add(field);
                    }
                }
            }

            return handed.ToImmutable();
        }

        /// <summary><c>layers</c>, <c>this.layers</c>, <c>(layers)</c>, <c>layers.ToArray()</c>: the name of the collection, or null.</summary>
        private static SimpleNameSyntax? NamedCollection(ExpressionSyntax expression)
        {
            while (true)
            {
                switch (expression)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        expression = parenthesized.Expression;
                        continue;
                    case CastExpressionSyntax cast:
                        expression = cast.Expression;
                        continue;
                    case InvocationExpressionSyntax { ArgumentList: { Arguments: { Count: 0 } }, Expression: MemberAccessExpressionSyntax copy }
                        when Copies.Contains(copy.Name.Identifier.ValueText):
                        expression = copy.Expression;
                        continue;
                    case IdentifierNameSyntax identifier:
                        return identifier;
                    case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } member:
                        return member.Name;
                    default:
                        return null;
                }
            }
        }

        private static string NameOf(SimpleNameSyntax name) => name.Identifier.ValueText;

        private static IFieldSymbol? TrackedField(ISymbol? symbol, List<IFieldSymbol> candidates)
        {
            var definition = symbol?.OriginalDefinition;
            foreach (var field in candidates)
            {
                if (SymbolEqualityComparer.Default.Equals(definition, field)
                    || (definition is IPropertySymbol && SymbolEqualityComparer.Default.Equals(definition, field.AssociatedSymbol)))
                {
                    return field;
                }
            }

            return null;
        }

        /// <summary>Whether the call that <paramref name="argument"/> belongs to builds or fills a TorchSharp module container.</summary>
        private static bool IsContainerCall(RegistrationAnalysis analysis, ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        {
            var call = argument.Parent?.Parent;
            if (!(call is InvocationExpressionSyntax || call is BaseObjectCreationExpressionSyntax)
                || !(model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol method)
                || !analysis.Symbols.IsTorchSharp(method))
            {
                return false;
            }

            if (method.MethodKind == MethodKind.Constructor)
            {
                return IsContainer(method.ContainingType);
            }

            return method.IsStatic
                ? TorchLayers.Containers.Contains(method.Name)
                : TorchLayers.ContainerFillers.Contains(method.Name) && IsContainer(method.ContainingType);
        }

        private static bool IsContainer(INamedTypeSymbol? type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (TorchLayers.Containers.Contains(current.Name))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
