using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// TORCH010 at run time. The monitor sees a module only through the hooks it registers, which TorchSharp runs in
    /// <c>call(..)</c> alone, so a direct <c>forward(..)</c> is invisible as such. What it can observe is its trace: a hooked
    /// module whose own parameters have gradients although its pre-hook never ran since it was attached — its parameters
    /// took part in a graph that a backward() went through, and no <c>call(..)</c> of it did. Checked after
    /// <see cref="Backward"/>, at <see cref="Step"/>, <see cref="Flush"/> and <see cref="Dispose"/>. Not observable: a
    /// direct forward under no_grad or without backward() (no gradient), of a module without parameters of its own (a
    /// container whose children are called with call(..)), of frozen parameters, or of a module that is also called with
    /// call(..) at least once. A module whose parameters already had gradients when it was attached is not judged.
    /// </summary>
    public sealed partial class TorchMonitor
    {
        private readonly HashSet<nn.Module> _hookedWithoutGradients = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        private readonly HashSet<nn.Module> _hookRan = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);

        private void NoteHooked(nn.Module module)
        {
            if (!HasOwnGradients(module))
            {
                _hookedWithoutGradients.Add(module);
            }
        }

        private void NoteHookRan(nn.Module module) => _hookRan.Add(module);

        private void CheckDirectForwards()
        {
            List<nn.Module>? found = null;
            foreach (var module in _hookedWithoutGradients)
            {
                if (!_hookRan.Contains(module) && HasOwnGradients(module))
                {
                    (found ??= new List<nn.Module>()).Add(module);
                }
            }

            if (found is null)
            {
                return;
            }

            foreach (var module in found)
            {
                // Reported once per module.
                _hookedWithoutGradients.Remove(module);
                var name = NameOf(module);
                Report(MonitorRules.DirectForward, name, MonitorRules.Format(MonitorRules.DirectForward, name,
                    "its parameters have gradients, yet none of its forward hooks or pre-hooks (the monitor's among them) ever ran"));
            }
        }

        private static bool HasOwnGradients(nn.Module module)
        {
            foreach (var parameter in module.parameters(recurse: false))
            {
                if (!parameter.requires_grad)
                {
                    continue;
                }

                using var grad = parameter.grad;
                if (grad is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
