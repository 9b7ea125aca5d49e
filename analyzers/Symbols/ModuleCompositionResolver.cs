using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>
    /// Decides, from types alone, whether a module's composition contains a mode-dependent layer. TorchSharp's own
    /// layers are classified by name; a class of this compilation by the module-typed fields it declares (and
    /// inherits), transitively; containers (<c>Sequential</c>, <c>ModuleList</c>, <c>ModuleDict</c>) by the layers that
    /// the code puts into them where that is visible, otherwise Unknown. Cached per type; cycles count as Unknown.
    /// </summary>
    internal sealed class ModuleCompositionResolver
    {
        // Layers that behave differently in train and eval mode (DESIGN §4). Recurrent layers and attention count
        // because their dropout argument is usually non-zero; TORCH001's page lists the heuristic.
        private static readonly HashSet<string> ModeDependentLayers = new HashSet<string>
        {
            "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
            "BatchNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "NormBase",
            "InstanceNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
            "RNN", "LSTM", "GRU",
            "MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerDecoder",
            "TransformerEncoderLayer", "TransformerDecoderLayer",
        };

        private static readonly HashSet<string> Containers = new HashSet<string> { "Sequential", "ModuleList", "ModuleDict" };

        private readonly TorchSymbols _symbols;
        private readonly ConcurrentDictionary<ITypeSymbol, ModuleComposition> _cache = new ConcurrentDictionary<ITypeSymbol, ModuleComposition>(SymbolEqualityComparer.Default);

        public ModuleCompositionResolver(TorchSymbols symbols) => _symbols = symbols;

        /// <summary>The composition of a module whose static type is <paramref name="type"/>.</summary>
        public ModuleComposition Of(ITypeSymbol? type) => Of(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

        /// <summary>Whether <paramref name="type"/> is a TorchSharp loss module (never tracked: it has no mode).</summary>
        public bool IsLoss(ITypeSymbol? type)
        {
            // Along the definitions, as IsModule: a constructed type's base is substituted at every request.
            for (var current = type?.OriginalDefinition; current != null; current = current.BaseType?.OriginalDefinition)
            {
                if ((current.Name == "Loss" || current.Name == "WeightedLoss") && current.ContainingAssembly?.Name == "TorchSharp")
                {
                    return true;
                }
            }

            return false;
        }

        private ModuleComposition Of(ITypeSymbol? type, HashSet<ITypeSymbol> visiting)
        {
            if (type is null || !_symbols.IsModule(type))
            {
                return ModuleComposition.Unknown;
            }

            if (_cache.TryGetValue(type, out var known))
            {
                return known;
            }

            if (!visiting.Add(type))
            {
                return ModuleComposition.Unknown;
            }

            var result = Compute(type, visiting);
            visiting.Remove(type);
            _cache.TryAdd(type, result);
            return result;
        }

        private ModuleComposition Compute(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
        {
            if (IsLoss(type))
            {
                return ModuleComposition.ModeIndependent;
            }

            if (IsTorchSharpModulesType(type))
            {
                if (ModeDependentLayers.Contains(type.Name))
                {
                    return ModuleComposition.ModeDependent;
                }

                // A container holds whatever the code put in it; from the type alone that is unknown.
                return Containers.Contains(type.Name) ? ModuleComposition.Unknown : ModuleComposition.ModeIndependent;
            }

            // Base classes of TorchSharp itself (torch.nn.Module<T, TResult> …) say nothing about the contents; neither
            // does a class of another assembly, whose fields we cannot trust to be registered.
            if (!type.IsInSource(_symbols.Compilation) || type.IsAbstract || type.TypeKind != TypeKind.Class)
            {
                return ModuleComposition.Unknown;
            }

            var result = ModuleComposition.ModeIndependent;
            for (var current = type; current != null && current.IsInSource(_symbols.Compilation); current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    var memberType = member switch
                    {
                        IFieldSymbol { IsStatic: false } field => field.Type,
                        _ => null,
                    };
                    if (memberType is null)
                    {
                        continue;
                    }

                    var part = ComposedOf(memberType, visiting);
                    if (part == ModuleComposition.ModeDependent)
                    {
                        return ModuleComposition.ModeDependent;
                    }

                    if (part == ModuleComposition.Unknown)
                    {
                        result = ModuleComposition.Unknown;
                    }
                }
            }

            return result;
        }

        /// <summary>What a field of type <paramref name="type"/> contributes: modules, and collections of modules.</summary>
        private ModuleComposition ComposedOf(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
        {
            if (_symbols.IsModule(type))
            {
                return Of(type, visiting);
            }

            // An array or generic collection of modules contributes its element type.
            var element = type switch
            {
                IArrayTypeSymbol array => array.ElementType,
                INamedTypeSymbol { IsGenericType: true } generic => generic.TypeArguments.FirstOrDefault(_symbols.IsModule),
                _ => null,
            };
            return element is null ? ModuleComposition.ModeIndependent : Of(element, visiting);
        }

        private static bool IsTorchSharpModulesType(ITypeSymbol type)
            => type.ContainingAssembly?.Name == "TorchSharp"
               && type.ContainingNamespace?.ToDisplayString() == "TorchSharp.Modules";

        /// <summary>
        /// The composition of a module created by <paramref name="creation"/> (a TorchSharp factory such as
        /// <c>nn.Sequential(...)</c> or <c>nn.Dropout()</c>, or <c>new T(...)</c>), looking into Sequential's arguments.
        /// </summary>
        public ModuleComposition OfCreation(IOperation creation)
        {
            if (creation is IInvocationOperation invocation
                && invocation.TargetMethod.Name == "Sequential"
                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType?.ContainingType, _symbols.Torch))
            {
                return OfSequentialArguments(invocation);
            }

            return Of(creation.Type);
        }

        private ModuleComposition OfSequentialArguments(IInvocationOperation invocation)
        {
            var result = ModuleComposition.ModeIndependent;
            foreach (var argument in invocation.Arguments)
            {
                // params arrays and tuples ("name", module): look at every module-typed expression written there.
                var modules = argument.Value.DescendantsAndSelf()
                    .Where(o => o.Type != null && _symbols.IsModule(o.Type))
                    .Where(o => o is IInvocationOperation || o is IObjectCreationOperation || o is ILocalReferenceOperation || o is IFieldReferenceOperation || o is IParameterReferenceOperation || o is IPropertyReferenceOperation)
                    .ToList();
                if (argument.Value.Type is IArrayTypeSymbol && modules.Count == 0 && !(argument.Value is IArrayCreationOperation))
                {
                    return ModuleComposition.Unknown;
                }

                foreach (var module in modules)
                {
                    // Only the outermost module expressions count: the arguments of a nested factory are its own business.
                    if (modules.Any(other => other != module && other.Syntax.Span.Contains(module.Syntax.Span)))
                    {
                        continue;
                    }

                    var part = module is IInvocationOperation || module is IObjectCreationOperation
                        ? OfCreation(module)
                        : Of(module.Type);
                    if (part == ModuleComposition.ModeDependent)
                    {
                        return part;
                    }

                    if (part == ModuleComposition.Unknown)
                    {
                        result = part;
                    }
                }
            }

            return result;
        }
    }
}
