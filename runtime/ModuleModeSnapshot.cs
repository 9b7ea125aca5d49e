using System.Collections.Generic;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// The <c>training</c> flag of a module and of every module below it, recorded so each can be put back as it was.
    /// </summary>
    internal sealed class ModuleModeSnapshot
    {
        // Parent before descendants. TorchSharp's train(bool) is recursive (it calls train on every child), so
        // restoring in this order lets each module's own call come after every ancestor call that overwrote it:
        // a child that was in eval under a training parent ends up in eval again.
        private readonly List<(nn.Module Module, bool Training)> _modes;

        private ModuleModeSnapshot(List<(nn.Module, bool)> modes) => _modes = modes;

        /// <summary>Records <paramref name="root"/> and all its submodules.</summary>
        public static ModuleModeSnapshot Capture(nn.Module root)
        {
            var modes = new List<(nn.Module, bool)>();
            Visit(root, modes);
            return new ModuleModeSnapshot(modes);
        }

        /// <summary>Sets every recorded module back to its recorded flag.</summary>
        public void Restore()
        {
            foreach ((nn.Module module, bool training) in _modes)
            {
                module.train(training);
            }
        }

        // An explicit walk over children() rather than modules(): it covers the same modules (children() is what
        // train() recurses over) plus the root, which modules() leaves out, and it fixes the order Restore relies on
        // instead of depending on how a module's modules() override happens to order them. A module shared by two
        // parents is recorded under both; it has one flag, so both entries agree.
        private static void Visit(nn.Module module, List<(nn.Module, bool)> modes)
        {
            modes.Add((module, module.training));
            foreach (nn.Module child in module.children())
            {
                Visit(child, modes);
            }
        }
    }
}
