using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>Which TorchSharp layers behave differently in training and eval mode.</summary>
    internal static class ModeDependentLayers
    {
        private static readonly HashSet<string> Dropouts = new HashSet<string>(StringComparer.Ordinal)
        {
            "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
        };

        private static readonly HashSet<string> Norms = new HashSet<string>(StringComparer.Ordinal)
        {
            "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
        };

        /// <summary>
        /// Dropout variants, and BatchNorm/InstanceNorm layers that keep running statistics. Recurrent and attention
        /// layers are not counted (their dropout is not readable); their Dropout children, when they have any, are.
        /// </summary>
        public static bool IsModeDependent(nn.Module module)
        {
            var type = module.GetType();
            if (type.Assembly != typeof(nn.Module).Assembly)
            {
                return false;
            }

            if (Dropouts.Contains(type.Name))
            {
                return true;
            }

            return Norms.Contains(type.Name)
                   && module.named_buffers(false, true).Any(b => b.Item1 == "running_mean");
        }

        /// <summary><paramref name="root"/> and every registered module below it.</summary>
        public static IEnumerable<nn.Module> SelfAndDescendants(nn.Module root)
        {
            yield return root;
            foreach (var child in root.children())
            {
                foreach (var module in SelfAndDescendants(child))
                {
                    yield return module;
                }
            }
        }

        public static bool HasAny(nn.Module root) => SelfAndDescendants(root).Any(IsModeDependent);

        /// <summary>Mode-dependent modules of the subtree that are in training mode.</summary>
        public static List<nn.Module> InTraining(nn.Module root)
            => SelfAndDescendants(root).Where(m => m.training && IsModeDependent(m)).ToList();

        /// <summary>What stays in training behaviour during inference, worded as TORCH001's analyzer words it.</summary>
        public static string InTrainingText(IEnumerable<nn.Module> modeDependent)
            => Join(modeDependent, "its Dropout stays active", "its BatchNorm overwrites its running statistics", "its InstanceNorm overwrites its running statistics if it tracks them");

        /// <summary>What is switched off during a training step, worded as TORCH005's analyzer words it.</summary>
        public static string InEvalText(IEnumerable<nn.Module> modeDependent)
            => Join(modeDependent, "its Dropout is off", "its BatchNorm normalizes with frozen running statistics", "its InstanceNorm normalizes with frozen running statistics if it tracks them");

        private static string Join(IEnumerable<nn.Module> modules, string dropout, string batchNorm, string instanceNorm)
        {
            var names = modules.Select(m => m.GetType().Name).ToList();
            var parts = new List<string>(3);
            if (names.Any(Dropouts.Contains))
            {
                parts.Add(dropout);
            }

            if (names.Any(n => n.StartsWith("BatchNorm", StringComparison.Ordinal)))
            {
                parts.Add(batchNorm);
            }

            if (names.Any(n => n.StartsWith("InstanceNorm", StringComparison.Ordinal)))
            {
                parts.Add(instanceNorm);
            }

            return string.Join(" and ", parts);
        }
    }
}
