using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;
using static TorchSharp.Analyzers.Rules.Registration.PathStateLists;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>Expressions: assignments, reads, invocations of TorchSharp and of the class's own methods and local functions (inlined up to a depth, virtual calls resolved for the concrete class).</summary>
    internal sealed partial class ConstructionInterpreter
    {
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
    }
}
