using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Reads the parameters argument of an optimizer: <c>m.parameters()</c>, <c>m.named_parameters()</c>, the same
    /// filtered on <c>requires_grad</c> (lazily, or materialized by <c>ToList</c>/<c>ToArray</c>), or parameter groups
    /// that hold such calls. Anything else (a local holding a sequence, a helper's result) is not read: silence.
    /// </summary>
    internal static class OptimizerInputs
    {
        public static IEnumerable<(IOperation Module, OptimizerInput Input)> Of(IOperation argument, TorchSymbols symbols)
        {
            var value = argument.SkipConversions();
            var materialized = false;
            if (IsLinq(value, "ToList", "ToArray") is IInvocationOperation materialize)
            {
                materialized = true;
                value = materialize.Arguments[0].Value.SkipConversions();
            }

            if (IsLinq(value, "Where") is IInvocationOperation where && where.Arguments.Length == 2
                && where.Arguments[1].Syntax.ToString().Contains(TorchNames.RequiresGrad)
                && ParametersOf(where.Arguments[0].Value.SkipConversions(), symbols) is IOperation filtered)
            {
                yield return (filtered, materialized ? OptimizerInput.FilteredMaterialized : OptimizerInput.FilteredLazy);
                yield break;
            }

            if (ParametersOf(value, symbols) is IOperation module)
            {
                yield return (module, OptimizerInput.Unfiltered);
                yield break;
            }

            // Parameter groups: every unfiltered parameters() call written inside.
            foreach (var call in value.Descendants().OfType<IInvocationOperation>())
            {
                if (ParametersOf(call, symbols) is IOperation grouped && !IsInsideLinq(call, value))
                {
                    yield return (grouped, OptimizerInput.Unfiltered);
                }
            }
        }

        private static IOperation? ParametersOf(IOperation operation, TorchSymbols symbols)
            => operation is IInvocationOperation { Instance: { } receiver } call
               && (call.TargetMethod.Name == TorchNames.Parameters || call.TargetMethod.Name == TorchNames.NamedParameters)
               && symbols.IsModule(receiver.Type)
                ? receiver
                : null;

        private static IInvocationOperation? IsLinq(IOperation operation, params string[] names)
            => operation is IInvocationOperation { TargetMethod.IsExtensionMethod: true } invocation
               && invocation.Arguments.Length > 0
               && names.Contains(invocation.TargetMethod.Name)
               && IsSystemLinq(invocation.TargetMethod.ContainingNamespace)
                ? invocation
                : null;

        // By names, not display strings: this runs for every optimizer creation of every body.
        private static bool IsSystemLinq(INamespaceSymbol? ns)
            => ns is { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

        private static bool IsInsideLinq(IOperation operation, IOperation root)
        {
            for (var current = operation.Parent; current != null && current != root.Parent; current = current.Parent)
            {
                if (current is IInvocationOperation { TargetMethod.IsExtensionMethod: true } linq && IsSystemLinq(linq.TargetMethod.ContainingNamespace))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
