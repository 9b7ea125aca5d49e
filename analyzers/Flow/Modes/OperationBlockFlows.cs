using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode flows of an operation block — the member body and every lambda and local function in it — built only
    /// when the block's facts say a rule could report there (the cheap gate keeps flow work off ordinary code). A body
    /// steered by a flag gives one flow per value of it (<see cref="SteeringFlag"/>): rules judge each on its own, and
    /// report a location once (<see cref="Infrastructure.ModeFlowAnalyzer"/>).
    /// </summary>
    internal static class OperationBlockFlows
    {
        /// <summary>The flows of the block, when <paramref name="wanted"/> accepts its facts; nothing otherwise.</summary>
        public static IEnumerable<(ModeFlowResult Flow, bool IsNested)> Of(
            OperationBlockAnalysisContext context,
            ModeFlowEngine engine,
            Func<BlockFacts, bool> wanted)
        {
            if (context.OperationBlocks.IsEmpty || !(engine.FactsOf(context) is { } facts) || !(engine.Exhaustive || wanted(facts)))
            {
                yield break;
            }

            foreach (var block in context.OperationBlocks)
            {
                // Bodies and initializers have flows; attributes and parameter defaults are constants.
                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation
                      || block is IFieldInitializerOperation || block is IPropertyInitializerOperation))
                {
                    continue;
                }

                var root = context.GetControlFlowGraph(block);
                if (!facts.NestedFunctions && !engine.Exhaustive)
                {
                    // No lambda or local function: the graph's blocks need no search for nested graphs.
                    foreach (var scenario in engine.Analyze(root, false))
                    {
                        yield return (scenario, false);
                    }

                    continue;
                }

                foreach (var (graph, isNested) in ControlFlowGraphs.SelfAndNested(root))
                {
                    foreach (var scenario in engine.Analyze(graph, isNested))
                    {
                        yield return (scenario, isNested);
                    }
                }
            }
        }
    }
}
