using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using static TorchSharp.Analyzers.Rules.Registration.PathStateLists;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>
    /// Runs the construction of one concrete module class symbolically: field and property initializers, base and
    /// <c>this(...)</c> constructors of this compilation, constructor bodies statement by statement, branches as
    /// separate paths (loops: zero, one or two iterations), and calls into the class's own methods (virtual calls
    /// resolved for the concrete class), up to a small depth. What it cannot follow — calls that hand <c>this</c> to
    /// unknown code, <c>goto</c>, too many paths — makes the path opaque, and opaque paths never produce a finding.
    /// </summary>
    internal sealed partial class ConstructionInterpreter
    {
        private const int MaxDepth = 6;

        private readonly RegistrationAnalysis _analysis;
        private readonly INamedTypeSymbol _concrete;
        private readonly ImmutableDictionary<IFieldSymbol, SubmoduleFieldKind> _kinds;
        private readonly Dictionary<IPropertySymbol, IFieldSymbol> _autoProperties;
        private readonly HashSet<ISymbol> _active = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private readonly CancellationToken _cancellationToken;
        private int _depth;

        public ConstructionInterpreter(
            RegistrationAnalysis analysis,
            INamedTypeSymbol concrete,
            ImmutableDictionary<IFieldSymbol, SubmoduleFieldKind> kinds,
            CancellationToken cancellationToken)
        {
            _analysis = analysis;
            _concrete = concrete;
            _kinds = kinds;
            _cancellationToken = cancellationToken;
            _autoProperties = new Dictionary<IPropertySymbol, IFieldSymbol>(SymbolEqualityComparer.Default);
            foreach (var field in kinds.Keys)
            {
                if (field.AssociatedSymbol is IPropertySymbol property)
                {
                    _autoProperties[property.OriginalDefinition] = field;
                }
            }
        }

        /// <summary>The states in which construction through <paramref name="constructor"/> completes normally.</summary>
        public ImmutableArray<PathState> Construct(IMethodSymbol constructor, PathState initial)
        {
            var states = RunConstructor(constructor, new List<PathState> { initial });
            return states.ToImmutableArray();
        }


        private List<PathState> RunConstructor(IMethodSymbol constructor, List<PathState> states)
        {
            constructor = constructor.OriginalDefinition;
            var type = constructor.ContainingType;
            if (states.Count == 0)
            {
                return states;
            }

            if (!_analysis.IsSource(type))
            {
                // torch.nn.Module(name) and Module<T, TResult>(name) register nothing; other constructors are unknown.
                return _analysis.IsModuleRoot(type) ? states : Opaque(states);
            }

            if (!_active.Add(constructor))
            {
                return Opaque(states);
            }

            try
            {
                var syntax = constructor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
                switch (syntax)
                {
                    case ConstructorDeclarationSyntax declaration:
                        return RunDeclaredConstructor(declaration, type, states);
                    case TypeDeclarationSyntax primary:
                        states = RunInitializers(type, states);
                        return RunPrimaryBase(primary, type, states);
                    case null when constructor.IsImplicitlyDeclared:
                        states = RunInitializers(type, states);
                        return RunImplicitBase(type, states);
                    default:
                        return Opaque(states);
                }
            }
            finally
            {
                _active.Remove(constructor);
            }
        }

        private List<PathState> RunDeclaredConstructor(ConstructorDeclarationSyntax declaration, INamedTypeSymbol type, List<PathState> states)
        {
            if (!(_analysis.OperationOf(declaration, _cancellationToken) is IConstructorBodyOperation body))
            {
                return Opaque(states);
            }

            var frame = new Frame(body, ImmutableDictionary.Create<IParameterSymbol, Origin>(SymbolEqualityComparer.Default));
            var chainsToThis = declaration.Initializer?.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword) == true;
            var initializer = ConstructorCall(body.Initializer);
            if (!chainsToThis)
            {
                // Field initializers run before the base constructor; a this(...) initializer runs them in the target.
                states = RunInitializers(type, states);
            }

            if (initializer != null)
            {
                states = EvalArguments(initializer.Arguments, states, frame);
                states = RunConstructor(initializer.TargetMethod, states);
            }
            else
            {
                states = chainsToThis ? Opaque(states) : RunImplicitBase(type, states);
            }

            var flow = Exec((IOperation?)body.BlockBody ?? body.ExpressionBody, states, frame);
            return Union(flow.Normal, flow.Return);
        }

        private static IInvocationOperation? ConstructorCall(IOperation? initializer)
        {
            switch (initializer)
            {
                case null:
                    return null;
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.Constructor } invocation:
                    return invocation;
                default:
                    return initializer.Descendants().OfType<IInvocationOperation>()
                        .FirstOrDefault(i => i.TargetMethod.MethodKind == MethodKind.Constructor);
            }
        }

        private List<PathState> RunPrimaryBase(TypeDeclarationSyntax declaration, INamedTypeSymbol type, List<PathState> states)
        {
            var baseType = declaration.BaseList?.Types.OfType<PrimaryConstructorBaseTypeSyntax>().FirstOrDefault();
            if (baseType is null)
            {
                return RunImplicitBase(type, states);
            }

            var model = _analysis.ModelOf(declaration.SyntaxTree);
            if (model?.GetSymbolInfo(baseType, _cancellationToken).Symbol is IMethodSymbol target)
            {
                return RunConstructor(target, states);
            }

            return type.BaseType != null && _analysis.IsModuleRoot(type.BaseType) ? states : Opaque(states);
        }

        private List<PathState> RunImplicitBase(INamedTypeSymbol type, List<PathState> states)
        {
            var baseType = type.BaseType;
            if (baseType is null)
            {
                return states;
            }

            if (!_analysis.IsSource(baseType))
            {
                return _analysis.IsModuleRoot(baseType) ? states : Opaque(states);
            }

            var target = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0)
                         ?? baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.All(p => p.IsOptional || p.IsParams));
            return target is null ? Opaque(states) : RunConstructor(target, states);
        }

        /// <summary>The instance field and property initializers of <paramref name="type"/>, in the order they are written.</summary>
        private List<PathState> RunInitializers(INamedTypeSymbol type, List<PathState> states)
        {
            foreach (var reference in type.OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (!(reference.GetSyntax(_cancellationToken) is TypeDeclarationSyntax declaration))
                {
                    continue;
                }

                foreach (var member in declaration.Members)
                {
                    switch (member)
                    {
                        case FieldDeclarationSyntax field when !IsStaticOrConst(field.Modifiers):
                            foreach (var variable in field.Declaration.Variables)
                            {
                                if (variable.Initializer != null && _analysis.OperationOf(variable.Initializer, _cancellationToken) is IFieldInitializerOperation initializer)
                                {
                                    states = RunInitializer(initializer, initializer.InitializedFields.Select(f => f.OriginalDefinition), states);
                                }
                            }

                            break;
                        case PropertyDeclarationSyntax property when property.Initializer != null && !IsStaticOrConst(property.Modifiers):
                            if (_analysis.OperationOf(property.Initializer, _cancellationToken) is IPropertyInitializerOperation propertyInitializer)
                            {
                                var fields = propertyInitializer.InitializedProperties
                                    .Select(p => _autoProperties.TryGetValue(p.OriginalDefinition, out var backing) ? backing : null)
                                    .Where(f => f != null)
                                    .Select(f => f!);
                                states = RunInitializer(propertyInitializer, fields, states);
                            }

                            break;
                    }
                }
            }

            return states;
        }

        private List<PathState> RunInitializer(ISymbolInitializerOperation initializer, IEnumerable<IFieldSymbol> fields, List<PathState> states)
        {
            var frame = new Frame(initializer, ImmutableDictionary.Create<IParameterSymbol, Origin>(SymbolEqualityComparer.Default));
            states = Eval(initializer.Value, states, frame);
            var origin = OriginOf(initializer.Value, frame);
            foreach (var field in fields)
            {
                if (_kinds.ContainsKey(field))
                {
                    states = Map(states, s => Assign(s, field, origin));
                }
            }

            return states;
        }

        private static bool IsStaticOrConst(SyntaxTokenList modifiers)
            => modifiers.Any(SyntaxKind.StaticKeyword) || modifiers.Any(SyntaxKind.ConstKeyword);
    }
}
