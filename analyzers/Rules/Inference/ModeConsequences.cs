using System.Collections.Generic;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// What the wrong mode changes, for the messages of TORCH001 and TORCH005: said of the mode-dependent layers the
    /// module is known to hold, and only as a possibility when its composition is not known. The runtime monitor words
    /// the same consequences from the layers it sees (runtime/Monitoring/ModeDependentLayers.cs).
    /// </summary>
    internal static class ModeConsequences
    {
        /// <summary>What stays in training behaviour during inference (TORCH001's third argument).</summary>
        public static string InTraining(ModeDependentKinds kinds)
            => Join(
                kinds,
                dropout: "its Dropout stays active",
                batchNorm: "its BatchNorm overwrites its running statistics",
                instanceNorm: "its InstanceNorm overwrites its running statistics if it tracks them",
                dropoutArgument: "the dropout of its recurrent or attention layers stays active",
                unknown: "any Dropout or BatchNorm it holds stays in training behaviour");

        /// <summary>What is switched off during a training step (TORCH005's third argument).</summary>
        public static string InEval(ModeDependentKinds kinds)
            => Join(
                kinds,
                dropout: "its Dropout is off",
                batchNorm: "its BatchNorm normalizes with frozen running statistics",
                instanceNorm: "its InstanceNorm normalizes with frozen running statistics if it tracks them",
                dropoutArgument: "the dropout of its recurrent or attention layers is off",
                unknown: "any Dropout it holds is off and any BatchNorm uses frozen running statistics");

        private static string Join(ModeDependentKinds kinds, string dropout, string batchNorm, string instanceNorm, string dropoutArgument, string unknown)
        {
            var parts = new List<string>(4);
            if ((kinds & ModeDependentKinds.Dropout) != 0)
            {
                parts.Add(dropout);
            }

            if ((kinds & ModeDependentKinds.BatchNorm) != 0)
            {
                parts.Add(batchNorm);
            }

            if ((kinds & ModeDependentKinds.InstanceNorm) != 0)
            {
                parts.Add(instanceNorm);
            }

            if ((kinds & ModeDependentKinds.DropoutArgument) != 0)
            {
                parts.Add(dropoutArgument);
            }

            return parts.Count == 0 ? unknown : string.Join(" and ", parts);
        }
    }
}
