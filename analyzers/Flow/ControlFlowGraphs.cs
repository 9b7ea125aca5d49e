using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// Finds the control-flow graph that holds an operation. The driver gives the graph of the whole member
    /// body (and caches it); lambdas and local functions have graphs of their own inside it.
    /// </summary>
    internal static class ControlFlowGraphs
    {
        /// <summary>
        /// The graph of the innermost function (member body, lambda or local function) that contains
        /// <paramref name="operation"/>, starting from <paramref name="root"/>, the member body's graph;
        /// <c>null</c> when it cannot be found (for example in code with errors).
        /// </summary>
        public static ControlFlowGraph? GraphContaining(ControlFlowGraph root, IOperation operation)
        {
            var functions = new Stack<IOperation>();
            for (var function = operation.EnclosingFunction(); function != null; function = function.EnclosingFunction())
            {
                functions.Push(function);
            }

            var graph = root;
            while (functions.Count > 0)
            {
                graph = NestedGraph(graph, functions.Pop());
                if (graph is null)
                {
                    return null;
                }
            }

            return graph;
        }

        /// <summary>
        /// <paramref name="root"/> and every graph nested in it (lambdas and local functions, at any depth), each with
        /// whether it is nested.
        /// </summary>
        public static IEnumerable<(ControlFlowGraph Graph, bool IsNested)> SelfAndNested(ControlFlowGraph root)
        {
            var pending = new Stack<(ControlFlowGraph, bool)>();
            pending.Push((root, false));
            while (pending.Count > 0)
            {
                var (graph, nested) = pending.Pop();
                yield return (graph, nested);
                foreach (var localFunction in graph.LocalFunctions)
                {
                    pending.Push((graph.GetLocalFunctionControlFlowGraph(localFunction), true));
                }

                foreach (var block in graph.Blocks)
                {
                    foreach (var lambda in FlowLambdasIn(block))
                    {
                        pending.Push((graph.GetAnonymousFunctionControlFlowGraph(lambda), true));
                    }
                }
            }
        }

        private static ControlFlowGraph? NestedGraph(ControlFlowGraph graph, IOperation function)
        {
            switch (function)
            {
                case ILocalFunctionOperation localFunction:
                    foreach (var declared in graph.LocalFunctions)
                    {
                        if (SymbolEqualityComparer.Default.Equals(declared, localFunction.Symbol))
                        {
                            return graph.GetLocalFunctionControlFlowGraph(declared);
                        }
                    }

                    return null;

                case IAnonymousFunctionOperation lambda:
                    foreach (var block in graph.Blocks)
                    {
                        foreach (var flowLambda in FlowLambdasIn(block))
                        {
                            if (SymbolEqualityComparer.Default.Equals(flowLambda.Symbol, lambda.Symbol))
                            {
                                return graph.GetAnonymousFunctionControlFlowGraph(flowLambda);
                            }
                        }
                    }

                    return null;

                default:
                    return null;
            }
        }

        private static IEnumerable<IFlowAnonymousFunctionOperation> FlowLambdasIn(BasicBlock block)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var descendant in operation.DescendantsAndSelf())
                {
                    if (descendant is IFlowAnonymousFunctionOperation flowLambda)
                    {
                        yield return flowLambda;
                    }
                }
            }

            if (block.BranchValue != null)
            {
                foreach (var descendant in block.BranchValue.DescendantsAndSelf())
                {
                    if (descendant is IFlowAnonymousFunctionOperation flowLambda)
                    {
                        yield return flowLambda;
                    }
                }
            }
        }
    }
}
