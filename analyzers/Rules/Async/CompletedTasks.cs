using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;

namespace TorchSharp.Analyzers.Rules.Async
{
    /// <summary>
    /// Awaited expressions whose task is complete when awaited, so that the method goes on synchronously on the same
    /// thread (measured, see TORCH009's page): <c>Task.CompletedTask</c>, <c>Task.FromResult(..)</c>,
    /// <c>Task.FromException(..)</c>, <c>Task.FromCanceled(..)</c>, <c>Task.Delay(0)</c>, <c>ValueTask.CompletedTask</c>,
    /// <c>ValueTask.FromResult(..)</c>, <c>default(ValueTask)</c>, <c>new ValueTask()</c>, <c>new ValueTask&lt;T&gt;(result)</c>,
    /// each also with <c>.ConfigureAwait(..)</c>.
    /// </summary>
    internal sealed class CompletedTasks
    {
        private readonly INamedTypeSymbol? _task;
        private readonly INamedTypeSymbol? _valueTask;
        private readonly INamedTypeSymbol? _valueTaskOfT;

        public CompletedTasks(Compilation compilation)
        {
            _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            _valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
            _valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        }

        /// <summary>Whether the task <paramref name="awaited"/> gives is complete before it is awaited.</summary>
        public bool IsCompleted(IOperation awaited)
        {
            var operation = WithoutConfigureAwait(awaited.SkipConversions()).SkipConversions();
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }:
                    return IsTaskType(property.ContainingType);
                case IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation:
                    if (!IsTaskType(method.ContainingType))
                    {
                        return false;
                    }

                    switch (method.Name)
                    {
                        case "FromResult":
                        case "FromException":
                        case "FromCanceled":
                            return true;
                        case "Delay":
                            return invocation.Arguments.Length >= 1
                                   && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int milliseconds } && milliseconds == 0;
                        default:
                            return false;
                    }

                case IDefaultValueOperation defaultValue:
                    return IsValueTask(defaultValue.Type);
                case IObjectCreationOperation { Constructor: { } constructor } creation:
                    if (!IsValueTask(creation.Type))
                    {
                        return false;
                    }

                    // new ValueTask() and new ValueTask<T>(T result); not the constructors over a Task or an IValueTaskSource.
                    return constructor.Parameters.IsEmpty
                           || (constructor.Parameters.Length == 1 && constructor.OriginalDefinition.Parameters[0].Type is ITypeParameterSymbol);
                default:
                    return false;
            }
        }

        /// <summary>Whether <paramref name="awaited"/> is <c>….ConfigureAwait(false)</c>: the continuation never goes back to the context.</summary>
        public static bool ConfiguresAwaitFalse(IOperation awaited)
            => awaited.SkipConversions() is IInvocationOperation { TargetMethod: { Name: "ConfigureAwait" } } invocation
               && invocation.Arguments.Length == 1
               && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false };

        private static IOperation WithoutConfigureAwait(IOperation operation)
            => operation is IInvocationOperation { TargetMethod: { Name: "ConfigureAwait", IsStatic: false }, Instance: { } instance }
                ? instance
                : operation;

        private bool IsTaskType(INamedTypeSymbol? type)
            => type != null && (SymbolEqualityComparer.Default.Equals(type, _task) || IsValueTask(type));

        private bool IsValueTask(ITypeSymbol? type)
            => type is INamedTypeSymbol named
               && (SymbolEqualityComparer.Default.Equals(named, _valueTask) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _valueTaskOfT));
    }
}
