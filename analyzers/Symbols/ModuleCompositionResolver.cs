using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>
    /// Decides, from types alone, two things about a module's composition: whether it contains a mode-dependent layer
    /// (and which kinds, for the messages), and whether it contains a layer with parameters. TorchSharp's own layers are
    /// classified by name; a class of this compilation by the module-typed fields it declares (and inherits),
    /// transitively, joined with the subclasses this compilation declares; an interface or abstract class of this
    /// compilation by the module classes of this compilation that implement it, when the world is closed (see
    /// <see cref="IsClosed"/>); containers (<c>Sequential</c>, <c>ModuleList</c>, <c>ModuleDict</c>) by the layers that the
    /// code puts into them where that is visible, otherwise Unknown. Cached per type; cycles count as Unknown.
    /// </summary>
    internal sealed class ModuleCompositionResolver
    {
        // How many module classes deep a composition is followed.
        private const int MaxDepth = 32;

        private readonly TorchSymbols _symbols;
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<ITypeSymbol, Answer> _modes = new ConcurrentDictionary<ITypeSymbol, Answer>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, Answer> _parameters = new ConcurrentDictionary<ITypeSymbol, Answer>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, Answer> _state = new ConcurrentDictionary<ITypeSymbol, Answer>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<SyntaxNode, Dictionary<string, List<SyntaxNode>>> _writes = new ConcurrentDictionary<SyntaxNode, Dictionary<string, List<SyntaxNode>>>();
        private Dictionary<ITypeSymbol, ImmutableArray<INamedTypeSymbol>>? _implementations;

        public ModuleCompositionResolver(TorchSymbols symbols)
        {
            _symbols = symbols;
            _compilation = symbols.Compilation;
        }

        /// <summary>The questions the resolver answers about a composition.</summary>
        private enum Question
        {
            ModeDependence,
            Parameters,

            /// <summary>Parameters or buffers (Tensor fields, <c>register_buffer</c>): what <c>to(..)</c> and <c>state_dict()</c> carry (TORCH008).</summary>
            State,
        }

        /// <summary>The composition of a module whose static type is <paramref name="type"/>.</summary>
        public ModuleComposition Of(ITypeSymbol? type) => AsMode(Ask(type, Question.ModeDependence, NewVisiting()));

        /// <summary>Which mode-dependent layers a module of static type <paramref name="type"/> is known to hold.</summary>
        public ModeDependentKinds KindsOf(ITypeSymbol? type) => Ask(type, Question.ModeDependence, NewVisiting()).Kinds;

        /// <summary>The composition of a module created by <paramref name="creation"/> (see <see cref="OfCreation(IOperation)"/>).</summary>
        public ModeDependentKinds KindsOfCreation(IOperation creation) => AskCreation(creation, Question.ModeDependence).Kinds;

        /// <summary>Whether a module of static type <paramref name="type"/> holds a layer with parameters.</summary>
        public ParameterComposition ParametersOf(ITypeSymbol? type) => AsParameters(Ask(type, Question.Parameters, NewVisiting()));

        /// <summary>Whether the module created by <paramref name="creation"/> holds a layer with parameters.</summary>
        public ParameterComposition ParametersOfCreation(IOperation creation) => AsParameters(AskCreation(creation, Question.Parameters));

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

        /// <summary>
        /// The composition of a module created by <paramref name="creation"/> (a TorchSharp factory such as
        /// <c>nn.Sequential(...)</c> or <c>nn.Dropout()</c>, or <c>new T(...)</c>), looking into Sequential's arguments.
        /// </summary>
        public ModuleComposition OfCreation(IOperation creation) => AsMode(AskCreation(creation, Question.ModeDependence));

        /// <summary>
        /// Whether an interface or abstract class of this compilation is closed: no type outside this compilation can
        /// implement it (it is not visible outside the assembly, or the compilation is an application), and some module
        /// class of this compilation does. Then what flows there is one of those classes.
        /// </summary>
        private bool IsClosed(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> implementations)
            => implementations.Length > 0
               && (_compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary && _compilation.Options.OutputKind != OutputKind.NetModule
                   || !IsVisibleOutside(type));

        private static bool IsVisibleOutside(ISymbol symbol)
        {
            for (var current = symbol; current != null && !(current is INamespaceSymbol); current = current.ContainingSymbol)
            {
                switch (current.DeclaredAccessibility)
                {
                    case Accessibility.Public:
                    case Accessibility.Protected:
                    case Accessibility.ProtectedOrInternal:
                        continue;
                    default:
                        return false;
                }
            }

            return true;
        }

        private static HashSet<ITypeSymbol> NewVisiting() => new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);

        private static ModuleComposition AsMode(Answer answer) => answer.Presence switch
        {
            Presence.Present => ModuleComposition.ModeDependent,
            Presence.Absent => ModuleComposition.ModeIndependent,
            _ => ModuleComposition.Unknown,
        };

        private static ParameterComposition AsParameters(Answer answer) => answer.Presence switch
        {
            Presence.Present => ParameterComposition.Some,
            Presence.Absent => ParameterComposition.None,
            _ => ParameterComposition.Unknown,
        };

        private Answer Ask(ITypeSymbol? type, Question question, HashSet<ITypeSymbol> visiting)
        {
            if (type is null || !(_symbols.IsModule(type) || type.TypeKind == TypeKind.Interface))
            {
                return Answer.Unknown;
            }

            var cache = question == Question.Parameters ? _parameters : question == Question.State ? _state : _modes;
            if (cache.TryGetValue(type, out var known))
            {
                return known;
            }

            // Cycles by definition: M<T> holding an M<M<T>> would construct new types for ever. A composition deeper than
            // MaxDepth classes is not followed either.
            var definition = type.OriginalDefinition;
            if (visiting.Count >= MaxDepth || !visiting.Add(definition))
            {
                return Answer.Unknown;
            }

            var result = Compute(type, question, visiting);
            visiting.Remove(definition);
            cache.TryAdd(type, result);
            return result;
        }

        private Answer Compute(ITypeSymbol type, Question question, HashSet<ITypeSymbol> visiting)
        {
            if (IsLoss(type))
            {
                return Answer.Absent;
            }

            if (IsTorchSharpModulesType(type))
            {
                if (question != Question.ModeDependence)
                {
                    return TorchLayers.Containers.Contains(type.Name) ? Answer.Unknown
                        : TorchLayers.ParameterFree.Contains(type.Name) ? Answer.Absent
                        : Answer.Present(ModeDependentKinds.None);
                }

                if (TorchLayers.ModeDependent.TryGetValue(type.Name, out var kinds))
                {
                    return Answer.Present(kinds);
                }

                // A container holds whatever the code put in it; from the type alone that is unknown.
                return TorchLayers.Containers.Contains(type.Name) ? Answer.Unknown : Answer.Absent;
            }

            // Base classes of TorchSharp itself (torch.nn.Module<T, TResult> …) say nothing about the contents; neither
            // does a class or interface of another assembly, whose fields we cannot trust to be registered.
            if (!(type is INamedTypeSymbol named) || !type.IsInSource(_compilation) || !(named.TypeKind == TypeKind.Class || named.TypeKind == TypeKind.Interface))
            {
                return Answer.Unknown;
            }

            // A type declared in source stands for the module classes that can flow there: itself when it is concrete,
            // and the concrete classes of this compilation that derive from it or implement it.
            var implementations = ImplementationsOf(named);
            var result = Answer.Absent;
            if (named.TypeKind == TypeKind.Interface || named.IsAbstract)
            {
                if (!SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, _compilation.Assembly) || !IsClosed(named, implementations))
                {
                    return Answer.Unknown;
                }
            }
            else
            {
                result = OwnFields(named, question, visiting);
            }

            foreach (var implementation in implementations)
            {
                if (!SymbolEqualityComparer.Default.Equals(implementation, named.OriginalDefinition))
                {
                    result = result.Join(Ask(implementation, question, visiting));
                }
            }

            return result;
        }

        /// <summary>What the fields of a concrete class of this compilation (and of its source base classes) hold.</summary>
        private Answer OwnFields(INamedTypeSymbol type, Question question, HashSet<ITypeSymbol> visiting)
        {
            var result = Answer.Absent;
            for (INamedTypeSymbol? current = type; current != null; current = current.BaseType)
            {
                if (!current.IsInSource(_compilation))
                {
                    break;
                }

                if (question != Question.ModeDependence && RegistersByName(current, buffers: question == Question.State))
                {
                    result = result.Join(Answer.Unknown);
                }

                foreach (var member in current.GetMembers())
                {
                    // Registration cares about instance fields; a graph is recorded by any parameter the forward pass reads.
                    if (member is IFieldSymbol field && (!field.IsStatic || question == Question.Parameters))
                    {
                        var part = ComposedOf(field.Type, question, visiting);
                        if (part.Presence == Presence.Unknown && Written(field) is { } writes)
                        {
                            // A container or a base type: what the class's own code stores there, when all of it is in sight.
                            part = IsContainer(field.Type)
                                ? ContainerContents(field, writes, question, visiting)
                                : writes.Aggregate(Answer.Absent, (joined, write) => joined.Join(AskValue(write, question, visiting)));
                        }

                        result = result.Join(part);
                    }
                }
            }

            return result;
        }

        /// <summary>
        /// The values stored in <paramref name="field"/> by its initializer and assignments, when they are all in sight: a
        /// private or readonly field (or get-only or private auto-property) of a class of this compilation, written only
        /// by the code of its class. Null when some write may be elsewhere or is not a plain assignment.
        /// </summary>
        private List<IOperation>? Written(IFieldSymbol field)
        {
            var symbol = (ISymbol?)(field.AssociatedSymbol as IPropertySymbol) ?? field;
            var writable = field.AssociatedSymbol is IPropertySymbol property
                ? property.SetMethod is null || property.SetMethod.IsInitOnly == false && property.SetMethod.DeclaredAccessibility == Accessibility.Private
                : field.IsReadOnly || field.DeclaredAccessibility == Accessibility.Private;
            if (!writable || !SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _compilation.Assembly))
            {
                return null;
            }

            var writes = new List<IOperation>();
            foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
            {
                if (!(_compilation.ModelIfInSource(reference.SyntaxTree) is { } model))
                {
                    return null;
                }

                foreach (var node in Writes(reference).TryGetValue(symbol.Name, out var named) ? named : Enumerable.Empty<SyntaxNode>())
                {
                    var value = node switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } init } declarator
                            when declarator.Identifier.ValueText == symbol.Name && declarator.Parent?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.FieldDeclarationSyntax => init.Value,
                        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: { } init } declaration
                            when declaration.Identifier.ValueText == symbol.Name => init.Value,
                        Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment when NameOf(assignment.Left) == symbol.Name => assignment.Right,
                        _ => null,
                    };
                    if (value is null)
                    {
                        continue;
                    }

                    // The same name may be another symbol (a nested type's field, a parameter assigned in a method).
                    var target = node is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax written
                        ? model.GetSymbolInfo(written.Left).Symbol
                        : model.GetDeclaredSymbol(node);
                    if (!(SymbolEqualityComparer.Default.Equals(target, symbol) || SymbolEqualityComparer.Default.Equals(target, field)))
                    {
                        continue;
                    }

                    if (!(model.GetOperation(value) is { } operation) || (node is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax compound && !compound.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression)))
                    {
                        return null;
                    }

                    writes.Add(operation);
                }
            }

            return writes.Count == 0 ? null : writes;
        }

        private bool IsContainer(ITypeSymbol type) => _symbols.IsTorchSharp(type) && TorchLayers.Containers.Contains(type.Name);

        /// <summary>
        /// What a private <c>ModuleList</c>/<c>ModuleDict</c>/<c>Sequential</c> field holds when its class's code is all that
        /// fills it: the containers stored there (empty, or a <c>Sequential</c> of known layers) and every module given to
        /// <c>Add</c>/<c>append</c>/<c>insert</c> on it (<c>layers.Add(new EncoderBlock(args))</c>). Unknown when the field is
        /// visible to other code, or when the class uses it any other way that could add to it (handed to a method,
        /// aliased, <c>extend</c>, an element assigned).
        /// </summary>
        private Answer ContainerContents(IFieldSymbol field, List<IOperation> stored, Question question, HashSet<ITypeSymbol> visiting)
        {
            var symbol = (ISymbol?)(field.AssociatedSymbol as IPropertySymbol) ?? field;
            if (symbol.DeclaredAccessibility != Accessibility.Private)
            {
                return Answer.Unknown;
            }

            var result = Answer.Absent;
            foreach (var value in stored)
            {
                // An empty container adds nothing itself; one created with modules holds them.
                var created = value.SkipConversions();
                var arguments = created switch
                {
                    IInvocationOperation call => call.Arguments,
                    IObjectCreationOperation { Initializer: null } creation => creation.Arguments,
                    _ => default,
                };
                var empty = !arguments.IsDefault && arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue
                    || (a.ArgumentKind == ArgumentKind.ParamArray && a.Value is IArrayCreationOperation { Initializer: null or { ElementValues: { Length: 0 } } }));
                result = result.Join(empty && IsContainer(created.Type!) ? Answer.Absent : AskValue(created, question, visiting));
            }

            foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
            {
                // The class's own declarations, already known to be in this compilation (Written checked).
                if (!(_compilation.ModelIfInSource(reference.SyntaxTree) is { } model))
                {
                    continue;
                }

                foreach (var mention in reference.GetSyntax().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>())
                {
                    if (mention.Identifier.ValueText != symbol.Name)
                    {
                        continue;
                    }

                    switch (ContainerUse(mention, out var add))
                    {
                        case ContainerUseKind.Reads:
                        case ContainerUseKind.Stores:
                            continue;
                        case ContainerUseKind.Adds when add != null && add.ArgumentList.Arguments.Count > 0
                                                       && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(mention).Symbol, symbol)
                                                       && model.GetOperation(add.ArgumentList.Arguments.Last().Expression) is { } added:
                            result = result.Join(AskValue(added, question, visiting));
                            continue;
                        default:
                            // The same name may be another symbol (a local, a parameter): only the field's own uses matter.
                            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(mention).Symbol, symbol))
                            {
                                return Answer.Unknown;
                            }

                            continue;
                    }
                }
            }

            return result;
        }

        private enum ContainerUseKind
        {
            Other,
            Reads,
            Stores,
            Adds,
        }

        private static readonly HashSet<string> ContainerGrowsOtherwise = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "extend", "AddRange", "Insert", TorchNames.RegisterModule, TorchNames.AddModule, "Set", "Append",
        };

        /// <summary>How one mention of a container field uses it, read from the syntax around it.</summary>
        private static ContainerUseKind ContainerUse(Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax mention, out Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax? add)
        {
            add = null;
            SyntaxNode node = mention;
            if (node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax } qualified
                && qualified.Name == mention)
            {
                node = qualified;
            }

            switch (node.Parent)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment when assignment.Left == node:
                    return ContainerUseKind.Stores;
                case Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access when access.Expression == node:
                    var name = access.Name.Identifier.ValueText;
                    add = access.Parent as Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax;
                    return TorchLayers.ContainerAddsOne.Contains(name) && add != null ? ContainerUseKind.Adds
                        : ContainerGrowsOtherwise.Contains(name) ? ContainerUseKind.Other
                        : ContainerUseKind.Reads;
                case Microsoft.CodeAnalysis.CSharp.Syntax.ElementAccessExpressionSyntax element when element.Expression == node:
                    return element.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax elementAssignment && elementAssignment.Left == element
                        ? ContainerUseKind.Other
                        : ContainerUseKind.Reads;
                case Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax loop when loop.Expression == node:
                    return ContainerUseKind.Reads;
                default:
                    return ContainerUseKind.Other;
            }
        }

        /// <summary>A type declaration's field and property declarations with initializers and its assignments, by the name written.</summary>
        private Dictionary<string, List<SyntaxNode>> Writes(SyntaxReference declaration)
            => _writes.GetOrAdd(declaration.GetSyntax(), node =>
            {
                var byName = new Dictionary<string, List<SyntaxNode>>(System.StringComparer.Ordinal);
                foreach (var descendant in node.DescendantNodes())
                {
                    var name = descendant switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } } declarator => declarator.Identifier.ValueText,
                        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: { } } property => property.Identifier.ValueText,
                        Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax assignment => NameOf(assignment.Left),
                        _ => null,
                    };
                    if (name != null)
                    {
                        if (!byName.TryGetValue(name, out var list))
                        {
                            byName[name] = list = new List<SyntaxNode>();
                        }

                        list.Add(descendant);
                    }
                }

                return byName;
            });

        private static string? NameOf(Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax target) => target switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax _ } access => access.Name.Identifier.ValueText,
            _ => null,
        };

        /// <summary>What a value stored in a field holds: a creation by what it creates, anything else by its type.</summary>
        private Answer AskValue(IOperation value, Question question, HashSet<ITypeSymbol> visiting, HashSet<IMethodSymbol>? factories = null)
        {
            var unwrapped = value;
            while (unwrapped is IConversionOperation conversion)
            {
                unwrapped = conversion.Operand;
            }

            switch (unwrapped)
            {
                // A throwing arm stores nothing; the other arms and branches are the values.
                case IThrowOperation _:
                    return Answer.Absent;
                case ISwitchExpressionOperation choice:
                    return choice.Arms.Aggregate(Answer.Absent, (joined, arm) => joined.Join(AskValue(arm.Value, question, visiting, factories)));
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return AskValue(conditional.WhenTrue, question, visiting, factories).Join(AskValue(whenFalse, question, visiting, factories));
                case IInvocationOperation call when ReturnedValues(call.TargetMethod.OriginalDefinition) is { } returned:
                    // A factory of this compilation (GetActivation(name) => name switch { "silu" => nn.SiLU(), … }).
                    factories ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
                    if (factories.Count >= MaxDepth || !factories.Add(call.TargetMethod.OriginalDefinition))
                    {
                        return Answer.Unknown;
                    }

                    var answer = returned.Aggregate(Answer.Absent, (joined, each) => joined.Join(AskValue(each, question, visiting, factories)));
                    factories.Remove(call.TargetMethod.OriginalDefinition);
                    return answer;
                case IInvocationOperation _:
                case IObjectCreationOperation _:
                    return AskCreation(unwrapped, question, visiting);
                default:
                    return Ask(unwrapped.Type, question, visiting);
            }
        }

        /// <summary>
        /// What a non-virtual method of this compilation returns (every <c>return</c> outside lambdas and local functions,
        /// or its expression body); null for a method whose body is not here or that may be overridden.
        /// </summary>
        private List<IOperation>? ReturnedValues(IMethodSymbol method)
        {
            if (method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern || method.ReturnsVoid
                || !_symbols.IsModule(method.ReturnType) || _symbols.IsTorchSharp(method)
                || method.DeclaringSyntaxReferences.Length != 1 || !(_compilation.ModelIfInSource(method.DeclaringSyntaxReferences[0].SyntaxTree) is { } model))
            {
                return null;
            }

            // Reads the body of a factory of this compilation, as the flow engine reads callees.
            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
            var body = model.GetOperation(declaration);
            if (body is null)
            {
                return null;
            }

            var values = new List<IOperation>();
            foreach (var returned in body.Descendants().OfType<IReturnOperation>())
            {
                if (returned.ReturnedValue is null || returned.EnclosingFunction() != null)
                {
                    return null;
                }

                values.Add(returned.ReturnedValue);
            }

            return values.Count == 0 ? null : values;
        }

        /// <summary>
        /// Whether what <paramref name="field"/> holds has no parameters, no buffers and no mode-dependent layer, by its type or by
        /// every value its class stores there (a factory of stateless activations): leaving it unregistered changes nothing.
        /// </summary>
        public bool HoldsOnlyStatelessLayers(IFieldSymbol field)
        {
            // A type parameter or a type that is not a module says nothing by itself.
            if (!(field.Type is INamedTypeSymbol) || !_symbols.IsModule(field.Type))
            {
                return false;
            }

            foreach (var question in new[] { Question.ModeDependence, Question.State })
            {
                var visiting = NewVisiting();
                var answer = ComposedOf(field.Type, question, visiting);
                if (answer.Presence == Presence.Unknown && Written(field) is { } writes)
                {
                    answer = writes.Aggregate(Answer.Absent, (joined, write) => joined.Join(AskValue(write, question, visiting)));
                }

                if (answer.Presence != Presence.Absent)
                {
                    return false;
                }
            }

            return true;
        }

        // register_parameter / register_module add what no field shows.
        private static bool RegistersByName(INamedTypeSymbol type, bool buffers)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var text = reference.SyntaxTree.GetText().ToString(reference.Span);
                if (text.Contains(TorchNames.RegisterParameter) || text.Contains(TorchNames.RegisterModule) || (buffers && text.Contains(TorchNames.RegisterBuffer)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What a field of type <paramref name="type"/> contributes: modules, and collections of modules.</summary>
        private Answer ComposedOf(ITypeSymbol type, Question question, HashSet<ITypeSymbol> visiting)
        {
            if (_symbols.IsModule(type) || (type.TypeKind == TypeKind.Interface && type.IsInSource(_compilation)))
            {
                return Ask(type, question, visiting);
            }

            if (question == Question.State && IsTensorType(type))
            {
                // Registered as a parameter or a buffer: state that to(..) moves and state_dict() saves.
                return Answer.Present(ModeDependentKinds.None);
            }

            if (question == Question.Parameters && IsTensorType(type))
            {
                // A Parameter field is a parameter; a Tensor field may require grad.
                return type.Name == "Parameter" ? Answer.Present(ModeDependentKinds.None) : Answer.Unknown;
            }

            // An array or generic collection of modules contributes its element type.
            var element = type switch
            {
                IArrayTypeSymbol array => array.ElementType,
                INamedTypeSymbol { IsGenericType: true } generic => generic.TypeArguments.FirstOrDefault(t => _symbols.IsModule(t) || (question != Question.ModeDependence && IsTensorType(t))),
                _ => null,
            };
            return element is null ? Answer.Absent : ComposedOf(element, question, visiting);
        }

        private bool IsTensorType(ITypeSymbol type)
        {
            for (var current = type; current != null; current = current.BaseType)
            {
                if (current.Name == "Tensor" && SymbolEqualityComparer.Default.Equals(current.ContainingType, _symbols.Torch))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The non-abstract module classes of this compilation that derive from or implement <paramref name="type"/>
        /// (itself included when it is one), from a map built once when first needed: each class under every base class
        /// and interface definition it has.
        /// </summary>
        private ImmutableArray<INamedTypeSymbol> ImplementationsOf(INamedTypeSymbol type)
        {
            var map = _implementations;
            if (map is null)
            {
                var built = new Dictionary<ITypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
                Collect(built);
                map = built.ToDictionary(p => p.Key, p => p.Value.ToImmutableArray(), (IEqualityComparer<ITypeSymbol>)SymbolEqualityComparer.Default);
                Interlocked.CompareExchange(ref _implementations, map, null);
            }

            return map.TryGetValue(type.OriginalDefinition, out var implementations) ? implementations : ImmutableArray<INamedTypeSymbol>.Empty;
        }

        private void Collect(Dictionary<ITypeSymbol, List<INamedTypeSymbol>> map)
        {
            foreach (var type in ModuleClasses.Of(_compilation, _symbols))
            {
                if (type.IsAbstract)
                {
                    continue;
                }

                for (INamedTypeSymbol? current = type; current != null; current = current.BaseType)
                {
                    Add(map, current.OriginalDefinition, type);
                }

                foreach (var implemented in type.AllInterfaces)
                {
                    Add(map, implemented.OriginalDefinition, type);
                }
            }
        }

        private static void Add(Dictionary<ITypeSymbol, List<INamedTypeSymbol>> map, ITypeSymbol key, INamedTypeSymbol type)
        {
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = new List<INamedTypeSymbol>();
            }

            list.Add(type);
        }

        private static bool IsTorchSharpModulesType(ITypeSymbol type)
            => type.ContainingAssembly?.Name == "TorchSharp"
               && type.ContainingNamespace?.ToDisplayString() == "TorchSharp.Modules";

        private Answer AskCreation(IOperation creation, Question question) => AskCreation(creation, question, NewVisiting());

        private Answer AskCreation(IOperation creation, Question question, HashSet<ITypeSymbol> visiting)
        {
            if (creation is IInvocationOperation invocation
                && invocation.TargetMethod.Name == "Sequential"
                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType?.ContainingType, _symbols.Torch))
            {
                return OfSequentialArguments(invocation, question, visiting);
            }

            // new T(..) names the class exactly: its own fields, not its subclasses.
            if (creation is IObjectCreationOperation { Type: INamedTypeSymbol created } && created.TypeKind == TypeKind.Class && !created.IsAbstract
                && created.IsInSource(_compilation) && _symbols.IsModule(created))
            {
                var definition = created.OriginalDefinition;
                if (visiting.Count >= MaxDepth || !visiting.Add(definition))
                {
                    return Answer.Unknown;
                }

                var own = OwnFields(created, question, visiting);
                visiting.Remove(definition);
                return own;
            }

            return Ask(creation.Type, question, visiting);
        }

        private Answer OfSequentialArguments(IInvocationOperation invocation, Question question, HashSet<ITypeSymbol> visiting)
        {
            var result = Answer.Absent;
            foreach (var argument in invocation.Arguments)
            {
                // params arrays and tuples ("name", module): look at every module-typed expression written there.
                var modules = argument.Value.DescendantsAndSelf()
                    .Where(o => o.Type != null && _symbols.IsModule(o.Type))
                    .Where(o => o is IInvocationOperation || o is IObjectCreationOperation || o is ILocalReferenceOperation || o is IFieldReferenceOperation || o is IParameterReferenceOperation || o is IPropertyReferenceOperation)
                    .ToList();
                if (!IsWrittenOut(argument.Value))
                {
                    // A list filled elsewhere (Sequential(modules) with a List<…> built by a helper), a LINQ query: not in sight.
                    return Answer.Unknown;
                }

                foreach (var module in modules)
                {
                    // Only the outermost module expressions count: the arguments of a nested factory are its own business.
                    if (modules.Any(other => other != module && other.Syntax.Span.Contains(module.Syntax.Span)))
                    {
                        continue;
                    }

                    result = result.Join(module is IInvocationOperation || module is IObjectCreationOperation
                        ? AskCreation(module, question, visiting)
                        : Ask(module.Type, question, visiting));
                }
            }

            return result;
        }

        /// <summary>
        /// Whether a Sequential argument shows every module it passes: a module expression, a name, or a params array (or
        /// collection expression) whose elements are module expressions or ("name", module) tuples.
        /// </summary>
        private bool IsWrittenOut(IOperation argument)
        {
            var value = argument.SkipConversions();
            if (value.Type is null || value.Type.SpecialType == SpecialType.System_String || _symbols.IsModule(value.Type) || value is ITupleOperation)
            {
                return !(value is ITupleOperation tuple) || tuple.Elements.All(IsWrittenOut);
            }

            return value is IArrayCreationOperation { Initializer: var initializer } && (initializer is null || initializer.ElementValues.All(IsWrittenOut));
        }

        private enum Presence
        {
            Absent,
            Unknown,
            Present,
        }

        /// <summary>Whether the asked-for layers are there, and which mode-dependent kinds are known to be.</summary>
        private readonly struct Answer
        {
            private Answer(Presence presence, ModeDependentKinds kinds)
            {
                Presence = presence;
                Kinds = kinds;
            }

            public static Answer Absent => new Answer(Presence.Absent, ModeDependentKinds.None);

            public static Answer Unknown => new Answer(Presence.Unknown, ModeDependentKinds.None);

            public Presence Presence { get; }

            public ModeDependentKinds Kinds { get; }

            public static Answer Present(ModeDependentKinds kinds) => new Answer(Presence.Present, kinds);

            /// <summary>Present wins over Unknown over Absent; the kinds add up.</summary>
            public Answer Join(Answer other) => new Answer((Presence)System.Math.Max((int)Presence, (int)other.Presence), Kinds | other.Kinds);
        }
    }
}
