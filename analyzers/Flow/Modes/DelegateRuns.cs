using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>When and on which thread a lambda runs, read from what it is handed to.</summary>
    internal enum DelegateRun
    {
        /// <summary>Anything else: stored, returned, handed to code whose schedule is not known. Its grad mode is unknown.</summary>
        Unknown,

        /// <summary>
        /// Now, on this thread, before the statement that creates it ends: a LINQ query materialized in the same
        /// expression or enumerated by a <c>foreach</c>, <c>List.ForEach</c>, <c>Array.ConvertAll</c> … It runs in the grad mode
        /// of the statement that creates it.
        /// </summary>
        InPlace,

        /// <summary>
        /// Later, on another thread: an ASP.NET endpoint handler (<c>app.MapPost(.., handler)</c>, run per request), a
        /// <c>new Thread(..)</c>, an awaited <c>Task.Run(..)</c>. Grad mode is per thread and on by default, so it runs with
        /// autograd on whatever scope the code that created it held (measured: InferenceScopeThreadTests).
        /// </summary>
        OnAnotherThread,
    }

    /// <summary>
    /// Classifies where a lambda runs from the call it is an argument of (see docs/rules/TORCH002.md, "Lambdas and method groups"). Only
    /// consumers whose schedule is part of their contract are listed; everything else is <see cref="DelegateRun.Unknown"/>.
    /// </summary>
    internal static class DelegateRuns
    {
        // Enumerable methods that run their delegates before they return.
        private static readonly ImmutableHashSet<string> EagerLinq = ImmutableHashSet.Create(
            "All", "Any", "Count", "LongCount", "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault",
            "Sum", "Average", "Min", "Max", "MinBy", "MaxBy", "Aggregate", "ToDictionary", "ToLookup", "ToList", "ToArray",
            "ToHashSet", "Contains", "SequenceEqual", "ElementAt", "ElementAtOrDefault");

        // Methods of List<T> and Array that run their delegates before they return.
        private static readonly ImmutableHashSet<string> EagerCollectionMethods = ImmutableHashSet.Create(
            "ForEach", "ConvertAll", "Find", "FindAll", "FindIndex", "FindLast", "FindLastIndex", "Exists", "TrueForAll", "RemoveAll");

        /// <summary>How the lambda <paramref name="function"/> (an operation of a flow graph) runs.</summary>
        public static DelegateRun Of(IOperation function, Symbols.TorchSymbols symbols)
        {
            var consumer = function.ConsumerOf(out _);
            if (consumer is IDelegateCreationOperation creation)
            {
                consumer = creation.ConsumerOf(out _);
            }

            if (!(consumer is IArgumentOperation argument))
            {
                return DelegateRun.Unknown;
            }

            switch (argument.Parent)
            {
                case IInvocationOperation call:
                    return OfCall(call, symbols);
                case IObjectCreationOperation created when IsType(created.Type, "System.Threading", "Thread"):
                    return DelegateRun.OnAnotherThread;
                default:
                    return DelegateRun.Unknown;
            }
        }

        private static DelegateRun OfCall(IInvocationOperation call, Symbols.TorchSymbols symbols)
        {
            var method = call.TargetMethod;
            var type = method.ContainingType;
            if (IsType(type, "System.Linq", "Enumerable"))
            {
                return EagerLinq.Contains(method.Name) || IsEnumeratedInPlace(call, symbols) ? DelegateRun.InPlace : DelegateRun.Unknown;
            }

            if ((IsType(type, "System.Collections.Generic", "List") || IsType(type, "System", "Array")) && EagerCollectionMethods.Contains(method.Name))
            {
                return DelegateRun.InPlace;
            }

            // Minimal-API endpoints: the handler runs per request, on a thread of the server's pool.
            if (IsType(type, "Microsoft.AspNetCore.Builder", "EndpointRouteBuilderExtensions") && method.Name.StartsWith("Map", System.StringComparison.Ordinal))
            {
                return DelegateRun.OnAnotherThread;
            }

            // Task.Run queues to the pool; only a Wait() or Result may run it inline on the waiting thread, an await never does.
            if (IsType(type, "System.Threading.Tasks", "Task") && method.Name == "Run" && IsAwaited(call))
            {
                return DelegateRun.OnAnotherThread;
            }

            return DelegateRun.Unknown;
        }

        /// <summary>
        /// Whether the lazy sequence <paramref name="query"/> returns is enumerated before its statement ends: by a
        /// materializing Enumerable method (through other lazy Enumerable methods), a TorchSharp function (torch.cat,
        /// torch.stack … copy their inputs), a <c>new List&lt;T&gt;(..)</c>, <c>string.Join</c>, or a <c>foreach</c> whose
        /// body switches no grad mode and no module mode (the lambda runs at every step of the loop).
        /// </summary>
        private static bool IsEnumeratedInPlace(IInvocationOperation query, Symbols.TorchSymbols symbols)
        {
            IOperation current = query;
            while (true)
            {
                var consumer = current.ConsumerOf(out _);
                if (consumer is IArgumentOperation argument)
                {
                    switch (argument.Parent)
                    {
                        case IInvocationOperation next when IsType(next.TargetMethod.ContainingType, "System.Linq", "Enumerable"):
                            if (EagerLinq.Contains(next.TargetMethod.Name))
                            {
                                return true;
                            }

                            current = next;
                            continue;
                        case IInvocationOperation next when symbols.IsTorchSharp(next.TargetMethod) || (next.TargetMethod.Name == "Join" && next.TargetMethod.ContainingType.SpecialType == SpecialType.System_String):
                            return true;
                        case IObjectCreationOperation created when IsType(created.Type, "System.Collections.Generic", "List"):
                            return true;
                        default:
                            return false;
                    }
                }

                return IsForEachCollection(current.Syntax);
            }
        }

        private static bool IsForEachCollection(SyntaxNode expression)
        {
            var node = expression;
            while (node.Parent is ParenthesizedExpressionSyntax || node.Parent is CastExpressionSyntax)
            {
                node = node.Parent;
            }

            return node.Parent is ForEachStatementSyntax loop && loop.Expression == node && loop.AwaitKeyword.RawKind == 0
                   && !loop.Statement.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(SwitchesAMode);
        }

        // The names that change a grad mode or a module mode: a loop body with one of them may run the lambda in another mode.
        private static bool SwitchesAMode(InvocationExpressionSyntax call)
            => InvokedNames.Of(call) is var name && (GradSwitches.IsName(name) || name is TorchNames.Train or TorchNames.Eval);

        private static bool IsAwaited(IInvocationOperation call)
        {
            var consumer = call.ConsumerOf(out _);
            // `await Task.Run(..).ConfigureAwait(false)`: the awaitable wraps the task.
            if (consumer is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured && configured.Instance?.SkipConversions() == call)
            {
                consumer = configured.ConsumerOf(out _);
            }

            return consumer is IAwaitOperation;
        }

        private static bool IsType(ITypeSymbol? type, string containingNamespace, string name)
            => type is INamedTypeSymbol named && named.Name == name && named.ContainingType is null
               && named.ContainingNamespace?.ToDisplayString() == containingNamespace;
    }
}
