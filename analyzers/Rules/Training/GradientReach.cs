using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// Whether the gradients a <c>backward()</c> leaves can reach an optimizer <c>step()</c> that updates a module: along
    /// the control-flow graph from the backward, a path ends at a <c>zero_grad()</c> (the gradients are cleared: the input
    /// gradient of an adversarial probe) and passes a step of an optimizer built here over no module's parameters (style
    /// transfer optimises the image). A backward whose gradients reach no other step is not a training step of the module
    /// whose forward fed it (issue 13, item 5; docs/rules/TORCH005.md).
    /// </summary>
    internal static class GradientReach
    {
        /// <summary>Whether some path from <paramref name="backward"/> reaches a step of an optimizer that may update a module before any zero_grad().</summary>
        public static bool ReachesModuleStep(ControlFlowGraph graph, SyntaxNode backward, TorchSymbols symbols)
        {
            var start = FindBackward(graph, backward);
            if (start is null)
            {
                // Not in this graph (a lambda's): the answer the rule had before, a step may follow.
                return true;
            }

            var (startBlock, startIndex) = start.Value;
            var visited = new HashSet<int>();
            var work = new Stack<(BasicBlock Block, int From)>();
            work.Push((startBlock, startIndex + 1));
            while (work.Count > 0)
            {
                var (block, from) = work.Pop();
                var stopped = false;
                for (var i = from; i < block.Operations.Length && !stopped; i++)
                {
                    switch (EffectOf(block.Operations[i], graph, symbols))
                    {
                        case Effect.Cleared:
                            stopped = true;
                            break;
                        case Effect.ModuleStep:
                            return true;
                    }
                }

                if (!stopped && block.BranchValue is { } branchValue)
                {
                    switch (EffectOf(branchValue, graph, symbols))
                    {
                        case Effect.Cleared:
                            stopped = true;
                            break;
                        case Effect.ModuleStep:
                            return true;
                    }
                }

                if (stopped)
                {
                    continue;
                }

                foreach (var successor in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
                {
                    // A branch through finally regions runs them first: a step or zero_grad() there counts on the way.
                    var through = successor?.FinallyRegions.SelectMany(r => graph.Blocks.Skip(r.FirstBlockOrdinal).Take(r.LastBlockOrdinal - r.FirstBlockOrdinal + 1));
                    if (through != null)
                    {
                        foreach (var finallyBlock in through)
                        {
                            if (visited.Add(finallyBlock.Ordinal))
                            {
                                work.Push((finallyBlock, 0));
                            }
                        }
                    }

                    if (successor?.Destination is { } destination && visited.Add(destination.Ordinal))
                    {
                        work.Push((destination, 0));
                    }
                }
            }

            return false;
        }

        private enum Effect
        {
            None,
            Cleared,
            ModuleStep,
        }

        /// <summary>What one top-level operation does to pending gradients, in evaluation order (children first).</summary>
        private static Effect EffectOf(IOperation operation, ControlFlowGraph graph, TorchSymbols symbols)
        {
            foreach (var invocation in operation.DescendantsAndSelf().OfType<IInvocationOperation>().Reverse())
            {
                var method = invocation.TargetMethod;
                if (method.Name == TorchNames.ZeroGrad && !method.IsStatic && symbols.IsTorchSharp(method))
                {
                    return Effect.Cleared;
                }

                if (symbols.Classify(method) == TorchCallKind.OptimizerStep && !UpdatesNoModule(invocation.Instance, graph, symbols))
                {
                    return Effect.ModuleStep;
                }
            }

            return Effect.None;
        }

        /// <summary>
        /// Whether the stepped optimizer is a local created in this body (one write) from arguments that reach no module's
        /// parameters: <c>torch.optim.Adam(new[] { image })</c>, not <c>….Adam(model.parameters())</c>.
        /// </summary>
        private static bool UpdatesNoModule(IOperation? optimizer, ControlFlowGraph graph, TorchSymbols symbols)
        {
            if (!(optimizer?.SkipConversions() is ILocalReferenceOperation reference))
            {
                return false;
            }

            var created = VariableWrites.OnlyValue(graph.OriginalOperation, reference.Local);
            if (created is null || !symbols.IsOptimizerCreation(created.SkipConversions()))
            {
                return false;
            }

            var arguments = created.SkipConversions() switch
            {
                IInvocationOperation call => call.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => default,
            };
            return !arguments.IsDefaultOrEmpty
                   && !arguments[0].Value.DescendantsAndSelf().Any(o => o.Type != null && (symbols.IsModule(o.Type) || o is IInvocationOperation { TargetMethod.Name: TorchNames.Parameters or TorchNames.NamedParameters }));
        }

        private static (BasicBlock Block, int Index)? FindBackward(ControlFlowGraph graph, SyntaxNode backward)
        {
            foreach (var block in graph.Blocks)
            {
                for (var i = 0; i < block.Operations.Length; i++)
                {
                    if (block.Operations[i].DescendantsAndSelf().Any(o => o is IInvocationOperation && o.Syntax == backward))
                    {
                        return (block, i);
                    }
                }

                if (block.BranchValue is { } value && value.DescendantsAndSelf().Any(o => o is IInvocationOperation && o.Syntax == backward))
                {
                    return (block, block.Operations.Length);
                }
            }

            return null;
        }
    }
}
