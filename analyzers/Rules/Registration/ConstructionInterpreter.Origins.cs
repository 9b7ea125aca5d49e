using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>Where a value comes from, which operations touch registration, and the shapes of this.</summary>
    internal sealed partial class ConstructionInterpreter
    {
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
    }
}
