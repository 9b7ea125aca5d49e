using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>The paths through one entry constructor of a concrete module class.</summary>
    internal sealed class ConstructorPaths
    {
        public ConstructorPaths(IMethodSymbol constructor, ImmutableArray<PathState> paths)
        {
            Constructor = constructor;
            Paths = paths;
        }

        public IMethodSymbol Constructor { get; }

        public ImmutableArray<PathState> Paths { get; }
    }

    /// <summary>How the objects of one concrete module class come out of their constructors.</summary>
    internal sealed class ConstructionResult
    {
        public ConstructionResult(
            INamedTypeSymbol type,
            ImmutableDictionary<IFieldSymbol, SubmoduleFieldKind> kinds,
            ImmutableArray<ConstructorPaths> constructors,
            ImmutableHashSet<IFieldSymbol> handedToContainers)
        {
            Type = type;
            Kinds = kinds;
            Constructors = constructors;
            HandedToContainers = handedToContainers;
        }

        /// <summary>Collection fields whose elements go into a TorchSharp module container (<see cref="ContainerHandOffs"/>).</summary>
        public ImmutableHashSet<IFieldSymbol> HandedToContainers { get; }

        public INamedTypeSymbol Type { get; }

        /// <summary>Every tracked field of the class and its source base classes (original definitions).</summary>
        public ImmutableDictionary<IFieldSymbol, SubmoduleFieldKind> Kinds { get; }

        /// <summary>The constructors a caller can start from, in source order.</summary>
        public ImmutableArray<ConstructorPaths> Constructors { get; }
    }

    /// <summary><see cref="SymbolEqualityComparer.Default"/> typed for named types.</summary>
    internal sealed class NamedTypeComparer : IEqualityComparer<INamedTypeSymbol>
    {
        public static readonly NamedTypeComparer Instance = new NamedTypeComparer();

        public bool Equals(INamedTypeSymbol? x, INamedTypeSymbol? y) => SymbolEqualityComparer.Default.Equals(x, y);

        public int GetHashCode(INamedTypeSymbol obj) => SymbolEqualityComparer.Default.GetHashCode(obj);
    }

    /// <summary>
    /// TORCH008's per-compilation state: semantic models, the concrete module classes derived from each class of the
    /// compilation, and the construction of each concrete class, computed once and shared by every field of it and of
    /// its base classes.
    /// </summary>
    internal sealed class RegistrationAnalysis
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<INamedTypeSymbol, ConstructionResult?> _results = new ConcurrentDictionary<INamedTypeSymbol, ConstructionResult?>(SymbolEqualityComparer.Default);
        private readonly object _derivedGate = new object();
        private ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>? _derived;

        public RegistrationAnalysis(Compilation compilation, TorchSymbols symbols, bool exhaustive = false)
        {
            _compilation = compilation;
            Symbols = symbols;
            _rootUses = new RootUses(this, compilation, exhaustive);
        }

        private readonly RootUses _rootUses;
        private readonly object _holdersGate = new object();
        private Dictionary<INamedTypeSymbol, List<IFieldSymbol>>? _holders;

        /// <summary>
        /// Why objects of <paramref name="concrete"/> must register themselves: a proven root use (the member call), or
        /// a field of a module class that holds one and is itself left unregistered (its declaration); null when every
        /// use this compilation shows is as a registered child, or none is proven. <c>register_module(name, child)</c>
        /// calls <c>child.RegisterComponents()</c>, so a class that registers nothing is complete as a registered child.
        /// </summary>
        public SyntaxNode? SelfRegistrationNeeded(INamedTypeSymbol concrete, CancellationToken cancellationToken)
            => _selfRegistration.GetOrAdd(
                concrete.OriginalDefinition,
                type => SelfRegistrationNeeded(type, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default), cancellationToken));

        // Only answers computed from an empty visiting set are kept: inside a cycle of holders the answer is cut short.
        private readonly ConcurrentDictionary<INamedTypeSymbol, SyntaxNode?> _selfRegistration = new ConcurrentDictionary<INamedTypeSymbol, SyntaxNode?>(SymbolEqualityComparer.Default);

        private SyntaxNode? SelfRegistrationNeeded(INamedTypeSymbol concrete, HashSet<INamedTypeSymbol> visiting, CancellationToken cancellationToken)
        {
            if (!visiting.Add(concrete))
            {
                return null;
            }

            if (_rootUses.Of(concrete, cancellationToken) is { } root)
            {
                return root;
            }

            if (!Holders().TryGetValue(concrete, out var fields))
            {
                return null;
            }

            foreach (var field in fields)
            {
                var location = ((ISymbol?)field.AssociatedSymbol ?? field).Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree != null);
                if (location is null)
                {
                    continue;
                }

                foreach (var holder in ConstructionsOf(field.ContainingType))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (ResultFor(holder, cancellationToken) is { } result
                        && SubmoduleFindings.For(field, result, location.SourceTree!) is { } finding
                        && (!finding.RootDependent || SelfRegistrationNeeded(holder.OriginalDefinition, visiting, cancellationToken) != null))
                    {
                        return location.SourceTree!.GetRoot(cancellationToken).FindNode(location.SourceSpan);
                    }
                }
            }

            return null;
        }

        /// <summary>The module-typed fields (and collections of modules) of the module classes of this compilation, by the class they hold.</summary>
        private Dictionary<INamedTypeSymbol, List<IFieldSymbol>> Holders()
        {
            lock (_holdersGate)
            {
                if (_holders is null)
                {
                    var map = new Dictionary<INamedTypeSymbol, List<IFieldSymbol>>(SymbolEqualityComparer.Default);
                    CollectHolders(map);
                    _holders = map;
                }

                return _holders;
            }
        }

        private void CollectHolders(Dictionary<INamedTypeSymbol, List<IFieldSymbol>> map)
        {
            foreach (var type in ModuleClasses.Of(_compilation, Symbols))
            {
                foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
                {
                    if (!field.IsConst
                        && SubmoduleFieldKinds.Classify(Symbols, field.Type, out var element) != SubmoduleFieldKind.None
                        && element is INamedTypeSymbol held && IsSource(held))
                    {
                        if (!map.TryGetValue(held.OriginalDefinition, out var list))
                        {
                            map[held.OriginalDefinition] = list = new List<IFieldSymbol>();
                        }

                        list.Add(field);
                    }
                }
            }
        }

        public TorchSymbols Symbols { get; }

        /// <summary>Whether <paramref name="type"/> is declared in the compilation being analysed.</summary>
        public bool IsSource(INamedTypeSymbol? type)
            => type != null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly);

        /// <summary><c>torch.nn.Module</c> or a generic <c>Module&lt;…&gt;</c>: the bases whose constructors register nothing.</summary>
        public bool IsModuleRoot(INamedTypeSymbol type)
        {
            var definition = type.OriginalDefinition;
            return SymbolEqualityComparer.Default.Equals(definition, Symbols.Module)
                   || Symbols.GenericModules.Contains(definition, SymbolEqualityComparer.Default);
        }

        // The construction of a class runs through base constructors and helpers in other files.
        public SemanticModel? ModelOf(SyntaxTree tree) => _compilation.ModelIfInSource(tree);

        /// <summary>
        /// The operation of a member body or initializer: the one the driver already built for this analysis when the
        /// class's symbol-start scope collected it, bound through a semantic model otherwise (a base class or helper of
        /// another type).
        /// </summary>
        public IOperation? OperationOf(SyntaxNode syntax, CancellationToken cancellationToken)
            => _provided.TryGetValue(syntax, out var provided) ? provided : ModelOf(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken);

        /// <summary>Keeps an operation block the driver handed to the class's scope, for <see cref="OperationOf"/>.</summary>
        public void Provide(IOperation block) => _provided[block.Syntax] = block;

        /// <summary>Forgets the operation blocks of a class once its fields are analysed, so they do not stay alive.</summary>
        public void Forget(IEnumerable<IOperation> blocks)
        {
            foreach (var block in blocks)
            {
                _provided.TryRemove(block.Syntax, out _);
            }
        }

        private readonly ConcurrentDictionary<SyntaxNode, IOperation> _provided = new ConcurrentDictionary<SyntaxNode, IOperation>();

        /// <summary>Whether <paramref name="property"/> is an auto-property (its accessors only read and write a backing field).</summary>
        public bool IsAutoProperty(IPropertySymbol property)
        {
            var definition = property.OriginalDefinition;
            return definition.ContainingType.GetMembers().OfType<IFieldSymbol>()
                .Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, definition));
        }

        /// <summary>
        /// The concrete classes whose objects hold the fields of <paramref name="declaring"/>: the class itself unless it
        /// is abstract, then the concrete classes of this compilation derived from it, in a stable order.
        /// </summary>
        public ImmutableArray<INamedTypeSymbol> ConstructionsOf(INamedTypeSymbol declaring)
        {
            var definition = declaring.OriginalDefinition;
            var result = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            if (!definition.IsAbstract)
            {
                result.Add(definition);
            }

            if (Derived().TryGetValue(definition, out var derived))
            {
                result.AddRange(derived);
            }

            return result.ToImmutable();
        }

        /// <summary>The construction of <paramref name="concrete"/>, or null when it cannot be analysed.</summary>
        public ConstructionResult? ResultFor(INamedTypeSymbol concrete, CancellationToken cancellationToken)
        {
            var definition = concrete.OriginalDefinition;
            if (_results.TryGetValue(definition, out var known))
            {
                return known;
            }

            var result = Compute(definition, cancellationToken);
            return _results.GetOrAdd(definition, result);
        }

        private ConstructionResult? Compute(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            if (type.IsAbstract || type.TypeKind != TypeKind.Class || !IsSource(type))
            {
                return null;
            }

            // The class and its base classes of this compilation, down to torch.nn.Module or Module<…>; a class built on
            // another TorchSharp layer, or on a class of another assembly, has constructors we cannot see.
            var chain = new List<INamedTypeSymbol>();
            var current = (INamedTypeSymbol?)type;
            while (current != null && IsSource(current))
            {
                chain.Add(current.OriginalDefinition);
                current = current.BaseType;
            }

            if (current is null || !IsModuleRoot(current) || chain.Count > 32)
            {
                return null;
            }

            var kinds = ImmutableDictionary.CreateBuilder<IFieldSymbol, SubmoduleFieldKind>(SymbolEqualityComparer.Default);
            var initial = ImmutableDictionary.CreateBuilder<IFieldSymbol, FieldState>(SymbolEqualityComparer.Default);
            foreach (var declaring in chain)
            {
                foreach (var field in declaring.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.IsConst)
                    {
                        continue;
                    }

                    var kind = SubmoduleFieldKinds.Classify(Symbols, field.Type, out _);
                    if (kind == SubmoduleFieldKind.None)
                    {
                        continue;
                    }

                    kinds[field] = kind;
                    var staticValue = field.IsStatic && StaticFieldIsSet(field, cancellationToken);
                    initial[field] = new FieldState(staticValue, registered: false, registeredEver: false, unknown: false, assignedAfter: null);
                }
            }

            var kindMap = kinds.ToImmutable();
            var start = PathState.Initial(initial.ToImmutable());
            var interpreter = new ConstructionInterpreter(this, type, kindMap, cancellationToken);
            var constructors = ImmutableArray.CreateBuilder<ConstructorPaths>();
            foreach (var constructor in EntryConstructors(type, cancellationToken))
            {
                constructors.Add(new ConstructorPaths(constructor, interpreter.Construct(constructor, start)));
            }

            return new ConstructionResult(type, kindMap, constructors.ToImmutable(), ContainerHandOffs.Of(this, chain, kindMap, cancellationToken));
        }

        /// <summary>
        /// The constructors construction can start from: all of them, except private ones that only serve as the target
        /// of another constructor's <c>this(...)</c>. In source order.
        /// </summary>
        private IEnumerable<IMethodSymbol> EntryConstructors(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var chainedTo = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var constructor in type.InstanceConstructors)
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax { Initializer: { } initializer } declaration
                        && initializer.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword)
                        && ModelOf(declaration.SyntaxTree)?.GetSymbolInfo(initializer, cancellationToken).Symbol is IMethodSymbol target)
                    {
                        chainedTo.Add(target.OriginalDefinition);
                    }
                }
            }

            return type.InstanceConstructors
                .Where(c => !(c.DeclaredAccessibility == Accessibility.Private && chainedTo.Contains(c)))
                .OrderBy(c => c.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, System.StringComparer.Ordinal)
                .ThenBy(c => c.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0);
        }

        /// <summary>A static field holds a module when it has an initializer that is not null, or the static constructor assigns it.</summary>
        private static bool StaticFieldIsSet(IFieldSymbol field, CancellationToken cancellationToken)
        {
            var declared = (ISymbol?)field.AssociatedSymbol ?? field;
            foreach (var reference in declared.DeclaringSyntaxReferences)
            {
                var initializer = reference.GetSyntax(cancellationToken) switch
                {
                    VariableDeclaratorSyntax variable => variable.Initializer,
                    PropertyDeclarationSyntax property => property.Initializer,
                    _ => null,
                };
                if (initializer != null && !IsNullLiteral(initializer.Value))
                {
                    return true;
                }
            }

            foreach (var constructor in field.ContainingType.StaticConstructors)
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    var assigned = reference.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>()
                        .Any(a => !IsNullLiteral(a.Right) && NameOf(a.Left) == declared.Name);
                    if (assigned)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsNullLiteral(ExpressionSyntax expression)
            => expression.IsKind(SyntaxKind.NullLiteralExpression) || expression.IsKind(SyntaxKind.DefaultLiteralExpression);

        private static string? NameOf(ExpressionSyntax expression)
            => expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                _ => null,
            };

        private ImmutableDictionary<INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>> Derived()
        {
            lock (_derivedGate)
            {
                if (_derived is null)
                {
                    var map = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
                    CollectDerived(map);
                    _derived = map.ToImmutableDictionary<KeyValuePair<INamedTypeSymbol, List<INamedTypeSymbol>>, INamedTypeSymbol, ImmutableArray<INamedTypeSymbol>>(
                        pair => pair.Key,
                        pair => pair.Value
                            .OrderBy(t => t.ToDisplayString(), System.StringComparer.Ordinal)
                            .ThenBy(t => t.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, System.StringComparer.Ordinal)
                            .ThenBy(t => t.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
                            .ToImmutableArray(),
                        NamedTypeComparer.Instance);
                }

                return _derived;
            }
        }

        private void CollectDerived(Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>> map)
        {
            foreach (var type in ModuleClasses.Of(_compilation, Symbols))
            {
                if (type.IsAbstract)
                {
                    continue;
                }

                var depth = 0;
                for (var baseType = type.BaseType; baseType != null && IsSource(baseType) && depth < 32; baseType = baseType.BaseType, depth++)
                {
                    if (!map.TryGetValue(baseType.OriginalDefinition, out var list))
                    {
                        map[baseType.OriginalDefinition] = list = new List<INamedTypeSymbol>();
                    }

                    list.Add(type);
                }
            }
        }
    }
}
