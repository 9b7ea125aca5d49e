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
    /// Runs the construction of one concrete module class symbolically: field and property initializers, base and
    /// <c>this(...)</c> constructors of this compilation, constructor bodies statement by statement, branches as
    /// separate paths (loops: zero, one or two iterations), and calls into the class's own methods (virtual calls
    /// resolved for the concrete class), up to a small depth. What it cannot follow — calls that hand <c>this</c> to
    /// unknown code, <c>goto</c>, too many paths — makes the path opaque, and opaque paths never produce a finding.
    /// </summary>
    internal sealed class ConstructionInterpreter
    {
        private const int MaxPaths = 64;
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

        private sealed class Frame
        {
            public Frame(IOperation root, ImmutableDictionary<IParameterSymbol, Origin> parameters)
            {
                Root = root;
                Parameters = parameters;
            }

            public IOperation Root { get; }

            public ImmutableDictionary<IParameterSymbol, Origin> Parameters { get; }
        }

        private enum OriginKind
        {
            Other,
            Null,
            Field,
            Local,
        }

        /// <summary>Where a value comes from, as far as registration is concerned.</summary>
        private readonly struct Origin
        {
            private Origin(OriginKind kind, IFieldSymbol? field, ILocalSymbol? local)
            {
                Kind = kind;
                Field = field;
                Local = local;
            }

            public static Origin Other => new Origin(OriginKind.Other, null, null);

            public static Origin Null => new Origin(OriginKind.Null, null, null);

            public OriginKind Kind { get; }

            public IFieldSymbol? Field { get; }

            public ILocalSymbol? Local { get; }

            public static Origin OfField(IFieldSymbol field) => new Origin(OriginKind.Field, field, null);

            public static Origin OfLocal(ILocalSymbol local) => new Origin(OriginKind.Local, null, local);
        }

        /// <summary>The outcome of a statement: paths that go on, and paths that left by break, continue or return.</summary>
        private sealed class Flow
        {
            public List<PathState> Normal { get; set; } = new List<PathState>();

            public List<PathState> Break { get; } = new List<PathState>();

            public List<PathState> Continue { get; } = new List<PathState>();

            public List<PathState> Return { get; } = new List<PathState>();

            public static Flow Of(List<PathState> normal) => new Flow { Normal = normal };

            public void Add(Flow other)
            {
                Normal = Union(Normal, other.Normal);
                AddAll(Break, other.Break);
                AddAll(Continue, other.Continue);
                AddAll(Return, other.Return);
            }
        }

        // ---------------------------------------------------------------- constructors

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

        // ---------------------------------------------------------------- statements

        private Flow Exec(IOperation? operation, List<PathState> states, Frame frame)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation is null || states.Count == 0)
            {
                return Flow.Of(states);
            }

            switch (operation)
            {
                case IBlockOperation block:
                    return ExecSequence(block.Operations, states, frame);
                case IExpressionStatementOperation statement:
                    return Flow.Of(Eval(statement.Operation, states, frame));
                case IVariableDeclarationGroupOperation group:
                    return Flow.Of(Declare(group, states, frame));
                case IUsingDeclarationOperation usingDeclaration:
                    return Flow.Of(Declare(usingDeclaration.DeclarationGroup, states, frame));
                case IConditionalOperation conditional:
                    return ExecIf(conditional, states, frame);
                case ISwitchOperation switchOperation:
                    return ExecSwitch(switchOperation, states, frame);
                case ILoopOperation loop:
                    return ExecLoop(loop, states, frame);
                case ITryOperation tryOperation:
                    return ExecTry(tryOperation, states, frame);
                case IUsingOperation usingOperation:
                    return Exec(usingOperation.Body, Eval(usingOperation.Resources, states, frame), frame);
                case ILockOperation lockOperation:
                    return Exec(lockOperation.Body, Eval(lockOperation.LockedValue, states, frame), frame);
                case ILabeledOperation labeled:
                    return Exec(labeled.Operation, states, frame);
                case IReturnOperation returnOperation:
                    var returned = new Flow();
                    AddAll(returned.Return, Eval(returnOperation.ReturnedValue, states, frame));
                    return returned;
                case IBranchOperation branch:
                    var branched = new Flow();
                    switch (branch.BranchKind)
                    {
                        case BranchKind.Break:
                            AddAll(branched.Break, states);
                            break;
                        case BranchKind.Continue:
                            AddAll(branched.Continue, states);
                            break;
                        default:
                            // goto: the path continues somewhere this walk does not model.
                            branched.Normal = Opaque(states);
                            break;
                    }

                    return branched;
                case ILocalFunctionOperation _:
                case IEmptyOperation _:
                    return Flow.Of(states);
                default:
                    return Flow.Of(Eval(operation, states, frame));
            }
        }

        private Flow ExecSequence(IEnumerable<IOperation> operations, List<PathState> states, Frame frame)
        {
            var result = new Flow();
            foreach (var operation in operations)
            {
                var flow = Exec(operation, states, frame);
                AddAll(result.Break, flow.Break);
                AddAll(result.Continue, flow.Continue);
                AddAll(result.Return, flow.Return);
                states = flow.Normal;
                if (states.Count == 0)
                {
                    break;
                }
            }

            result.Normal = states;
            return result;
        }

        private List<PathState> Declare(IVariableDeclarationGroupOperation group, List<PathState> states, Frame frame)
        {
            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    var initializer = declarator.Initializer ?? declaration.Initializer;
                    if (initializer is null)
                    {
                        continue;
                    }

                    states = Eval(initializer.Value, states, frame);
                    var origin = OriginOf(initializer.Value, frame);
                    var local = declarator.Symbol;
                    states = Map(states, s => s.WithLocal(local, IsRegistered(s, origin)));
                }
            }

            return states;
        }

        private Flow ExecIf(IConditionalOperation conditional, List<PathState> states, Frame frame)
        {
            states = Eval(conditional.Condition, states, frame);
            var constant = conditional.Condition.ConstantValue;
            if (constant.HasValue && constant.Value is bool known)
            {
                return known ? Exec(conditional.WhenTrue, states, frame) : Exec(conditional.WhenFalse, states, frame);
            }

            var result = Exec(conditional.WhenTrue, states, frame);
            result.Add(Exec(conditional.WhenFalse, states, frame));
            return result;
        }

        private Flow ExecSwitch(ISwitchOperation switchOperation, List<PathState> states, Frame frame)
        {
            states = Eval(switchOperation.Value, states, frame);
            var result = new Flow();
            var hasDefault = false;
            foreach (var section in switchOperation.Cases)
            {
                hasDefault |= section.Clauses.Any(c => c.CaseKind == CaseKind.Default);
                var flow = ExecSequence(section.Body, states, frame);
                result.Normal = Union(result.Normal, Union(flow.Normal, flow.Break));
                AddAll(result.Continue, flow.Continue);
                AddAll(result.Return, flow.Return);
            }

            if (!hasDefault)
            {
                result.Normal = Union(result.Normal, states);
            }

            return result;
        }

        private Flow ExecLoop(ILoopOperation loop, List<PathState> states, Frame frame)
        {
            IOperation? condition = null;
            IEnumerable<IOperation> atBottom = Enumerable.Empty<IOperation>();
            var conditionFirst = true;
            switch (loop)
            {
                case IForLoopOperation forLoop:
                    states = ExecSequence(forLoop.Before, states, frame).Normal;
                    condition = forLoop.Condition;
                    atBottom = forLoop.AtLoopBottom;
                    break;
                case IForEachLoopOperation forEach:
                    states = Eval(forEach.Collection, states, frame);
                    break;
                case IWhileLoopOperation whileLoop:
                    condition = whileLoop.Condition;
                    conditionFirst = whileLoop.ConditionIsTop;
                    break;
                case IForToLoopOperation forTo:
                    states = Eval(forTo.InitialValue, states, frame);
                    states = Eval(forTo.LimitValue, states, frame);
                    break;
            }

            var endless = condition?.ConstantValue is { HasValue: true, Value: true };
            var result = new Flow();
            var exits = new List<PathState>();
            var current = states;
            if (conditionFirst)
            {
                current = Eval(condition, current, frame);
                if (!endless)
                {
                    exits = Union(exits, current);
                }
            }

            // Zero, one or two iterations: enough to see a field assigned in the loop before or after a call made in it.
            for (var iteration = 0; iteration < 2 && current.Count > 0; iteration++)
            {
                var body = Exec(loop.Body, current, frame);
                exits = Union(exits, body.Break);
                AddAll(result.Return, body.Return);
                var next = Union(body.Normal, body.Continue);
                next = ExecSequence(atBottom, next, frame).Normal;
                next = Eval(condition, next, frame);
                if (!endless)
                {
                    exits = Union(exits, next);
                }

                current = next;
            }

            result.Normal = exits;
            return result;
        }

        private Flow ExecTry(ITryOperation tryOperation, List<PathState> states, Frame frame)
        {
            var result = Exec(tryOperation.Body, states, frame);

            // A catch may start anywhere in the try block: approximated by its start and its end.
            var catchEntry = Union(states, result.Normal);
            foreach (var clause in tryOperation.Catches)
            {
                var entry = Eval(clause.Filter, catchEntry, frame);
                result.Add(Exec(clause.Handler, entry, frame));
            }

            if (tryOperation.Finally is { } finallyBlock)
            {
                var flowed = new Flow
                {
                    Normal = Exec(finallyBlock, result.Normal, frame).Normal,
                };
                AddAll(flowed.Break, Exec(finallyBlock, result.Break, frame).Normal);
                AddAll(flowed.Continue, Exec(finallyBlock, result.Continue, frame).Normal);
                AddAll(flowed.Return, Exec(finallyBlock, result.Return, frame).Normal);
                return flowed;
            }

            return result;
        }

        // ---------------------------------------------------------------- expressions

        private List<PathState> Eval(IOperation? operation, List<PathState> states, Frame frame)
        {
            if (operation is null || states.Count == 0)
            {
                return states;
            }

            switch (operation)
            {
                case ISimpleAssignmentOperation assignment:
                    return EvalAssignment(assignment, states, frame);
                case ICoalesceAssignmentOperation coalesceAssignment:
                    return EvalCoalesceAssignment(coalesceAssignment, states, frame);
                case IDeconstructionAssignmentOperation deconstruction:
                    states = Eval(deconstruction.Value, states, frame);
                    return AssignDeconstructed(deconstruction.Target, states);
                case IInvocationOperation invocation:
                    return EvalInvocation(invocation, states, frame);
                case IObjectCreationOperation creation:
                    states = EvalArguments(creation.Arguments, states, frame);
                    states = Eval(creation.Initializer, states, frame);
                    return PassesThis(creation.Arguments) && !(creation.Constructor is { } constructor && _analysis.Symbols.IsTorchSharp(constructor))
                        ? Opaque(states)
                        : states;
                case IPropertyReferenceOperation property:
                    return EvalPropertyRead(property, states, frame);
                case IConditionalOperation conditional:
                    states = Eval(conditional.Condition, states, frame);
                    return Union(Eval(conditional.WhenTrue, states, frame), Eval(conditional.WhenFalse, states, frame));
                case IBinaryOperation logical when logical.OperatorKind == BinaryOperatorKind.ConditionalAnd || logical.OperatorKind == BinaryOperatorKind.ConditionalOr:
                    states = Eval(logical.LeftOperand, states, frame);
                    return Union(states, Eval(logical.RightOperand, states, frame));
                case ICoalesceOperation coalesce:
                    states = Eval(coalesce.Value, states, frame);
                    return Union(states, Eval(coalesce.WhenNull, states, frame));
                case IConditionalAccessOperation conditionalAccess:
                    states = Eval(conditionalAccess.Operation, states, frame);
                    return Union(states, Eval(conditionalAccess.WhenNotNull, states, frame));
                case ISwitchExpressionOperation switchExpression:
                    states = Eval(switchExpression.Value, states, frame);
                    var arms = new List<PathState>();
                    foreach (var arm in switchExpression.Arms)
                    {
                        arms = Union(arms, Eval(arm.Value, Eval(arm.Guard, states, frame), frame));
                    }

                    return arms;
                case IThrowOperation _:
                    // A path that throws constructs nothing.
                    return new List<PathState>();
                case IAnonymousFunctionOperation _:
                case ILocalFunctionOperation _:
                    return TouchesRegistration(operation) ? Opaque(states) : states;
                case IInstanceReferenceOperation _:
                case ILiteralOperation _:
                case ILocalReferenceOperation _:
                case IParameterReferenceOperation _:
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }:
                    return states;
                default:
                    foreach (var child in operation.ChildOperations)
                    {
                        states = Eval(child, states, frame);
                    }

                    return states;
            }
        }

        private List<PathState> EvalArguments(ImmutableArray<IArgumentOperation> arguments, List<PathState> states, Frame frame)
        {
            foreach (var argument in arguments)
            {
                states = Eval(argument.Value, states, frame);
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && TrackedTarget(argument.Value) is { } field)
                {
                    // Assigned by code this walk does not follow (an out parameter, a helper that registers): no verdict.
                    states = Map(states, s => s.WithField(field, s.Fields[field].WithUnknown()));
                }
            }

            return states;
        }

        private List<PathState> EvalAssignment(ISimpleAssignmentOperation assignment, List<PathState> states, Frame frame)
        {
            var target = assignment.Target;
            if (target is IPropertyReferenceOperation property && IsThis(property.Instance) && !_analysis.IsAutoProperty(property.Property))
            {
                // A property with a setter of its own: run the setter with 'value' bound to what is assigned.
                states = Eval(assignment.Value, states, frame);
                var setter = ResolveVirtual(property.Property.SetMethod);
                if (setter is null || _analysis.Symbols.IsTorchSharp(setter))
                {
                    return states;
                }

                var value = OriginOf(assignment.Value, frame);
                var parameters = ImmutableDictionary.Create<IParameterSymbol, Origin>(SymbolEqualityComparer.Default);
                if (setter.OriginalDefinition.Parameters.LastOrDefault() is { } valueParameter)
                {
                    parameters = parameters.SetItem(valueParameter, value);
                }

                return Inline(setter, parameters, states);
            }

            if (!(target is IFieldReferenceOperation || target is ILocalReferenceOperation || target is IPropertyReferenceOperation))
            {
                states = Eval(target, states, frame);
            }

            states = Eval(assignment.Value, states, frame);
            var origin = OriginOf(assignment.Value, frame);
            if (TrackedTarget(target) is { } field)
            {
                return Map(states, s => Assign(s, field, origin));
            }

            if (target is ILocalReferenceOperation local)
            {
                return Map(states, s => s.WithLocal(local.Local, IsRegistered(s, origin)));
            }

            return states;
        }

        private List<PathState> EvalCoalesceAssignment(ICoalesceAssignmentOperation assignment, List<PathState> states, Frame frame)
        {
            if (!(TrackedTarget(assignment.Target) is { } field))
            {
                return Union(states, Eval(assignment.Value, states, frame));
            }

            var alreadySet = states.Where(s => s.Fields[field].NonNull).ToList();
            var assigned = Eval(assignment.Value, states.Where(s => !s.Fields[field].NonNull).ToList(), frame);
            var origin = OriginOf(assignment.Value, frame);
            return Union(alreadySet, Map(assigned, s => Assign(s, field, origin)));
        }

        private List<PathState> AssignDeconstructed(IOperation target, List<PathState> states)
        {
            switch (target)
            {
                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        states = AssignDeconstructed(element, states);
                    }

                    return states;
                case IConversionOperation conversion:
                    return AssignDeconstructed(conversion.Operand, states);
                default:
                    if (TrackedTarget(target) is { } field)
                    {
                        return Map(states, s => Assign(s, field, Origin.Other));
                    }

                    if (target is ILocalReferenceOperation local)
                    {
                        return Map(states, s => s.WithLocal(local.Local, registered: false));
                    }

                    return states;
            }
        }

        private List<PathState> EvalPropertyRead(IPropertyReferenceOperation property, List<PathState> states, Frame frame)
        {
            states = Eval(property.Instance, states, frame);
            states = EvalArguments(property.Arguments, states, frame);
            if (!IsThis(property.Instance) || _analysis.IsAutoProperty(property.Property))
            {
                return states;
            }

            // A getter of the class itself may create a submodule lazily (Head => _head ??= Linear(..)).
            var getter = ResolveVirtual(property.Property.GetMethod);
            if (getter is null || _analysis.Symbols.IsTorchSharp(getter) || !_analysis.IsSource(getter.ContainingType))
            {
                return states;
            }

            return Inline(getter, ImmutableDictionary.Create<IParameterSymbol, Origin>(SymbolEqualityComparer.Default), states);
        }

        private List<PathState> EvalInvocation(IInvocationOperation invocation, List<PathState> states, Frame frame)
        {
            var method = invocation.TargetMethod;
            states = Eval(invocation.Instance, states, frame);
            states = EvalArguments(invocation.Arguments, states, frame);
            if (states.Count == 0)
            {
                return states;
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                return InlineLocalFunction(invocation, states, frame);
            }

            if (IsThis(invocation.Instance))
            {
                var target = invocation.IsVirtual ? ResolveVirtual(method) : method;
                if (target is null)
                {
                    return Opaque(states);
                }

                if (_analysis.Symbols.IsTorchSharp(target))
                {
                    return EvalTorchSharpCall(invocation, target, states, frame);
                }

                if (!_analysis.Symbols.IsModule(target.ContainingType) && !_analysis.IsSource(target.ContainingType))
                {
                    // object.GetType(), ToString() …: cannot register anything.
                    return states;
                }

                return _analysis.IsSource(target.ContainingType)
                    ? Inline(target, BindParameters(invocation.Arguments, frame), states)
                    : Opaque(states);
            }

            if (PassesThis(invocation.Arguments) && !_analysis.Symbols.IsTorchSharp(method))
            {
                // this handed to other code (an extension method, a helper): it may register anything.
                return Opaque(states);
            }

            if (method.MethodKind == MethodKind.DelegateInvoke
                && frame.Root.Descendants().Any(d => d is IAnonymousFunctionOperation && TouchesRegistration(d)))
            {
                return Opaque(states);
            }

            return states;
        }

        private List<PathState> EvalTorchSharpCall(IInvocationOperation invocation, IMethodSymbol target, List<PathState> states, Frame frame)
        {
            switch (target.Name)
            {
                case TorchNames.RegisterComponents when target.Parameters.Length == 0:
                    return Map(states, s => RegisterComponents(s, invocation.Syntax));
                case TorchNames.RegisterModule when target.Parameters.Length == 2:
                case TorchNames.AddModule when target.Parameters.Length == 2:
                    var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1);
                    var origin = argument is null ? Origin.Other : OriginOf(argument.Value, frame);
                    return Map(states, s => Register(s, origin));
                default:
                    return states;
            }
        }

        private List<PathState> InlineLocalFunction(IInvocationOperation invocation, List<PathState> states, Frame frame)
        {
            var function = invocation.TargetMethod.OriginalDefinition;
            var root = Root(invocation);
            var declaration = root.Descendants().OfType<ILocalFunctionOperation>()
                .FirstOrDefault(l => SymbolEqualityComparer.Default.Equals(l.Symbol, function));
            var body = declaration?.Body ?? declaration?.IgnoredBody;
            if (body is null || _depth > MaxDepth || !_active.Add(function))
            {
                return Opaque(states);
            }

            _depth++;
            try
            {
                var flow = Exec(body, states, new Frame(root, BindParameters(invocation.Arguments, frame)));
                return Union(flow.Normal, flow.Return);
            }
            finally
            {
                _depth--;
                _active.Remove(function);
            }
        }

        private List<PathState> Inline(IMethodSymbol method, ImmutableDictionary<IParameterSymbol, Origin> parameters, List<PathState> states)
        {
            var definition = method.OriginalDefinition;
            if (definition.IsPartialDefinition && definition.PartialImplementationPart is null)
            {
                // A partial method without an implementation: the call is not even compiled.
                return states;
            }

            if (_depth > MaxDepth || !_active.Add(definition))
            {
                return Opaque(states);
            }

            _depth++;
            try
            {
                if (!(BodyOf(definition) is { } body))
                {
                    return Opaque(states);
                }

                var flow = Exec(body.Body, states, new Frame(body.Root, parameters));
                return Union(flow.Normal, flow.Return);
            }
            finally
            {
                _depth--;
                _active.Remove(definition);
            }
        }

        private (IOperation Root, IOperation Body)? BodyOf(IMethodSymbol method)
        {
            var implementation = method.PartialImplementationPart ?? method;
            if (implementation.IsAbstract || implementation.IsExtern)
            {
                return null;
            }

            foreach (var reference in implementation.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(_cancellationToken);
                switch (_analysis.OperationOf(syntax, _cancellationToken))
                {
                    case IMethodBodyOperation body when ((IOperation?)body.BlockBody ?? body.ExpressionBody) is { } block:
                        return (body, block);
                    case IBlockOperation block:
                        return (block, block);
                }

                if (syntax is ArrowExpressionClauseSyntax arrow && _analysis.OperationOf(arrow.Expression, _cancellationToken) is { } expression)
                {
                    return (expression, expression);
                }
            }

            return null;
        }

        private ImmutableDictionary<IParameterSymbol, Origin> BindParameters(ImmutableArray<IArgumentOperation> arguments, Frame frame)
        {
            var parameters = ImmutableDictionary.CreateBuilder<IParameterSymbol, Origin>(SymbolEqualityComparer.Default);
            foreach (var argument in arguments)
            {
                if (argument.Parameter is { } parameter)
                {
                    parameters[parameter.OriginalDefinition] = OriginOf(argument.Value, frame);
                }
            }

            return parameters.ToImmutable();
        }

        /// <summary>The implementation a virtual call on <c>this</c> runs for the concrete class.</summary>
        private IMethodSymbol? ResolveVirtual(IMethodSymbol? method)
        {
            if (method is null)
            {
                return null;
            }

            if (!(method.IsVirtual || method.IsAbstract || method.IsOverride))
            {
                return method;
            }

            var definition = method.OriginalDefinition;
            for (var type = _concrete; type != null; type = type.BaseType)
            {
                foreach (var candidate in type.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    for (var overridden = candidate; overridden != null; overridden = overridden.OverriddenMethod)
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, definition))
                        {
                            return candidate;
                        }
                    }
                }

                foreach (var candidate in type.GetMembers().OfType<IPropertySymbol>())
                {
                    for (var overridden = candidate; overridden != null; overridden = overridden.OverriddenProperty)
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.GetMethod?.OriginalDefinition, definition))
                        {
                            return candidate.GetMethod;
                        }

                        if (SymbolEqualityComparer.Default.Equals(overridden.SetMethod?.OriginalDefinition, definition))
                        {
                            return candidate.SetMethod;
                        }
                    }
                }
            }

            return method;
        }

        // ---------------------------------------------------------------- effects

        private PathState RegisterComponents(PathState state, SyntaxNode call)
        {
            if (state.RegisterComponentsCall != null)
            {
                // Later calls do nothing (docs/architecture.md, "Measured facts").
                return state;
            }

            var fields = state.Fields;
            foreach (var pair in state.Fields)
            {
                if (pair.Value.NonNull && !pair.Key.IsStatic && _kinds[pair.Key] == SubmoduleFieldKind.Module)
                {
                    fields = fields.SetItem(pair.Key, pair.Value.WithRegistered());
                }
            }

            return state.WithFields(fields, call);
        }

        private static PathState Register(PathState state, Origin origin)
        {
            switch (origin.Kind)
            {
                case OriginKind.Field when origin.Field != null && state.Fields.TryGetValue(origin.Field, out var field):
                    return field.NonNull ? state.WithField(origin.Field, field.WithRegistered()) : state;
                case OriginKind.Local when origin.Local != null:
                    return state.WithLocal(origin.Local, registered: true).WithIndirectRegistration();
                case OriginKind.Null:
                    return state;
                default:
                    return state.WithIndirectRegistration();
            }
        }

        private static PathState Assign(PathState state, IFieldSymbol field, Origin origin)
        {
            var old = state.Fields[field];
            bool nonNull;
            switch (origin.Kind)
            {
                case OriginKind.Null:
                    nonNull = false;
                    break;
                case OriginKind.Field when origin.Field != null && state.Fields.TryGetValue(origin.Field, out var source):
                    nonNull = source.NonNull;
                    break;
                default:
                    nonNull = true;
                    break;
            }

            var registered = nonNull && IsRegistered(state, origin);
            return state.WithField(field, new FieldState(
                nonNull,
                registered,
                old.RegisteredEver,
                old.Unknown,
                nonNull && !registered ? state.RegisterComponentsCall : null));
        }

        private static bool IsRegistered(PathState state, Origin origin)
            => origin.Kind switch
            {
                OriginKind.Field => origin.Field != null && state.Fields.TryGetValue(origin.Field, out var field) && field.Registered,
                OriginKind.Local => origin.Local != null && state.RegisteredLocals.Contains(origin.Local),
                _ => false,
            };

        // ---------------------------------------------------------------- helpers

        private Origin OriginOf(IOperation? operation, Frame frame)
        {
            operation = operation?.SkipConversions();
            if (operation is null)
            {
                return Origin.Other;
            }

            if (operation.ConstantValue is { HasValue: true, Value: null } || operation is IDefaultValueOperation)
            {
                return Origin.Null;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return Origin.OfLocal(local.Local);
                case IParameterReferenceOperation parameter:
                    return frame.Parameters.TryGetValue(parameter.Parameter.OriginalDefinition, out var bound) ? bound : Origin.Other;
                case ISimpleAssignmentOperation assignment:
                    return TrackedTarget(assignment.Target) is { } assigned ? Origin.OfField(assigned) : OriginOf(assignment.Value, frame);
                default:
                    return TrackedTarget(operation) is { } field ? Origin.OfField(field) : Origin.Other;
            }
        }

        /// <summary>The tracked field (or auto-property backing field) of this object that <paramref name="operation"/> names.</summary>
        private IFieldSymbol? TrackedTarget(IOperation? operation)
        {
            switch (operation?.SkipConversions())
            {
                case IFieldReferenceOperation field when field.Field.IsStatic || IsThis(field.Instance):
                    var definition = field.Field.OriginalDefinition;
                    return _kinds.ContainsKey(definition) ? definition : null;
                case IPropertyReferenceOperation property when IsThis(property.Instance):
                    return _autoProperties.TryGetValue(property.Property.OriginalDefinition, out var backing) ? backing : null;
                default:
                    return null;
            }
        }

        /// <summary>Whether a lambda or local function does something to the registration state of this object.</summary>
        private bool TouchesRegistration(IOperation operation)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                switch (descendant)
                {
                    case ISimpleAssignmentOperation assignment when TrackedTarget(assignment.Target) != null:
                    case ICoalesceAssignmentOperation coalesce when TrackedTarget(coalesce.Target) != null:
                        return true;
                    case IInvocationOperation invocation when IsThis(invocation.Instance) && invocation.TargetMethod.MethodKind != MethodKind.LocalFunction:
                        if (!_analysis.Symbols.IsTorchSharp(invocation.TargetMethod)
                            || invocation.TargetMethod.Name == TorchNames.RegisterComponents
                            || invocation.TargetMethod.Name == TorchNames.RegisterModule
                            || invocation.TargetMethod.Name == TorchNames.AddModule)
                        {
                            return true;
                        }

                        break;
                    case IInvocationOperation invocation when PassesThis(invocation.Arguments) && !_analysis.Symbols.IsTorchSharp(invocation.TargetMethod):
                        return true;
                }
            }

            return false;
        }

        private static bool PassesThis(ImmutableArray<IArgumentOperation> arguments)
            => arguments.Any(a => IsThis(a.Value));

        private static bool IsThis(IOperation? operation)
            => operation?.SkipConversions() is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };


        private static IOperation Root(IOperation operation)
        {
            var current = operation;
            while (current.Parent != null)
            {
                current = current.Parent;
            }

            return current;
        }

        private static List<PathState> Opaque(List<PathState> states)
            => states.Count == 0 ? states : Dedupe(states.Select(s => s.AsOpaque()));

        private static List<PathState> Map(List<PathState> states, System.Func<PathState, PathState> map)
            => states.Count == 0 ? states : Dedupe(states.Select(map));

        private static List<PathState> Union(List<PathState> first, List<PathState> second)
        {
            if (second.Count == 0)
            {
                return first;
            }

            if (first.Count == 0)
            {
                return second;
            }

            return Dedupe(first.Concat(second));
        }

        private static void AddAll(List<PathState> target, List<PathState> source)
        {
            foreach (var state in source)
            {
                if (!target.Contains(state))
                {
                    target.Add(state);
                }
            }

            Cap(target);
        }

        private static List<PathState> Dedupe(IEnumerable<PathState> states)
        {
            var result = new List<PathState>();
            foreach (var state in states)
            {
                if (!result.Contains(state))
                {
                    result.Add(state);
                }
            }

            Cap(result);
            return result;
        }

        /// <summary>Too many paths: keep one, opaque — no verdict rather than a wrong one.</summary>
        private static void Cap(List<PathState> states)
        {
            if (states.Count > MaxPaths)
            {
                var kept = states[0].AsOpaque();
                states.Clear();
                states.Add(kept);
            }
        }
    }
}
