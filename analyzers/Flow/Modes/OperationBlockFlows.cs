using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode flows of an operation block — the member body and every lambda and local function in it — built only
    /// when the block contains a call a rule cares about (the cheap gate keeps flow work off ordinary code).
    /// </summary>
    internal static class OperationBlockFlows
    {
        public static IEnumerable<(ModeFlowResult Flow, bool IsNested)> Of(
            OperationBlockAnalysisContext context,
            ModeFlowEngine engine,
            Func<TorchCallKind, bool> isInteresting)
            => Of(context, engine, operation => operation is IInvocationOperation invocation && isInteresting(engine.Symbols.Classify(invocation.TargetMethod)));

        /// <summary>The flows of the blocks that contain an operation <paramref name="isInteresting"/> accepts.</summary>
        public static IEnumerable<(ModeFlowResult Flow, bool IsNested)> Of(
            OperationBlockAnalysisContext context,
            ModeFlowEngine engine,
            Func<IOperation, bool> isInteresting)
        {
            foreach (var block in context.OperationBlocks)
            {
                if (!block.DescendantsAndSelf().Any(isInteresting))
                {
                    continue;
                }

                foreach (var (graph, isNested) in ControlFlowGraphs.SelfAndNested(context.GetControlFlowGraph(block)))
                {
                    yield return (engine.Analyze(graph, isNested), isNested);
                }
            }
        }
    }
}
