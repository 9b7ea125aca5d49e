using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>What a field of a custom module holds, as far as <c>RegisterComponents()</c> is concerned.</summary>
    internal enum SubmoduleFieldKind
    {
        /// <summary>Not a module, nor a collection of modules: not tracked.</summary>
        None,

        /// <summary>A module (<c>ModuleList</c>, <c>ModuleDict</c> and <c>Sequential</c> included): registered when non-null at the first call.</summary>
        Module,

        /// <summary><c>System.Collections.Generic.List&lt;T&gt;</c> of modules: never registered; <c>ModuleList&lt;T&gt;</c> is.</summary>
        List,

        /// <summary>An array of modules: never registered.</summary>
        Array,

        /// <summary>A dictionary whose values are modules: never registered; <c>ModuleDict&lt;T&gt;</c> is.</summary>
        Dictionary,

        /// <summary>Any other collection of modules (<c>IList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c> …): never registered.</summary>
        OtherCollection,
    }

    /// <summary>Classifies field types for TORCH008.</summary>
    internal static class SubmoduleFieldKinds
    {
        // TorchSharp layers without parameters whose mode does not matter: an unregistered one changes nothing that
        // eval(), train(), parameters() or to(device) would do. Dropout and RReLU have no parameters either but behave
        // differently in training mode, so they are not in this list.
        private static readonly HashSet<string> ModeDependentParameterless = new HashSet<string>
        {
            "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "RReLU",
        };

        /// <summary>The kind of a field whose type is <paramref name="type"/>; <paramref name="element"/> is the module type it holds.</summary>
        public static SubmoduleFieldKind Classify(TorchSymbols symbols, ITypeSymbol type, out ITypeSymbol? element)
        {
            element = null;
            if (IsModuleLike(symbols, type))
            {
                element = type;
                return SubmoduleFieldKind.Module;
            }

            switch (type)
            {
                case IArrayTypeSymbol array when IsModuleLike(symbols, array.ElementType):
                    element = array.ElementType;
                    return SubmoduleFieldKind.Array;
                case INamedTypeSymbol { IsGenericType: true } named when IsCollection(named):
                    var arguments = named.TypeArguments;
                    var definition = named.OriginalDefinition;
                    if (definition.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
                        && definition.Name == "List" && arguments.Length == 1 && IsModuleLike(symbols, arguments[0]))
                    {
                        element = arguments[0];
                        return SubmoduleFieldKind.List;
                    }

                    if (arguments.Length == 2 && IsModuleLike(symbols, arguments[1]) && ImplementsDictionary(named))
                    {
                        element = arguments[1];
                        return SubmoduleFieldKind.Dictionary;
                    }

                    element = arguments.FirstOrDefault(a => IsModuleLike(symbols, a));
                    return element is null ? SubmoduleFieldKind.None : SubmoduleFieldKind.OtherCollection;
                default:
                    return SubmoduleFieldKind.None;
            }
        }

        /// <summary>Whether values of <paramref name="type"/> are modules: module types, and type parameters constrained to one.</summary>
        public static bool IsModuleLike(TorchSymbols symbols, ITypeSymbol? type)
        {
            if (type is ITypeParameterSymbol parameter)
            {
                return parameter.ConstraintTypes.Any(c => IsModuleLike(symbols, c));
            }

            return symbols.IsModule(type);
        }

        /// <summary>
        /// Whether <paramref name="type"/> is a TorchSharp layer that has neither parameters nor a train/eval difference
        /// (activations, pooling, padding, Flatten, Identity …) or a loss: leaving one unregistered changes nothing.
        /// </summary>
        public static bool IsStateless(TorchSymbols symbols, ITypeSymbol? type)
        {
            if (!(type is INamedTypeSymbol named) || !symbols.IsTorchSharp(named) || ModeDependentParameterless.Contains(named.Name))
            {
                return false;
            }

            for (var current = named; current != null; current = current.BaseType)
            {
                if (!symbols.IsTorchSharp(current))
                {
                    return false;
                }

                if (current.Name == "ParameterLessModule" || current.Name == "Loss" || current.Name == "WeightedLoss")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsCollection(INamedTypeSymbol type)
            => type.SpecialType == SpecialType.System_Collections_IEnumerable
               || type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
               || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable
                                              || i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T);

        private static bool ImplementsDictionary(INamedTypeSymbol type)
        {
            bool IsDictionaryInterface(INamedTypeSymbol i)
                => (i.Name == "IDictionary" || i.Name == "IReadOnlyDictionary") && i.Arity == 2
                   && i.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic";

            return IsDictionaryInterface(type.OriginalDefinition) || type.AllInterfaces.Any(IsDictionaryInterface);
        }
    }
}
