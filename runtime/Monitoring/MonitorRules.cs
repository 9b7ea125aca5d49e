using System;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// The rule ids a <see cref="TorchMonitor"/> reports and their message formats, identical to those of the
    /// TorchSharp.Analyzers diagnostics (the verification tests compare them).
    /// </summary>
    public static class MonitorRules
    {
        /// <summary>A module with mode-dependent layers runs a forward pass in training mode where autograd is off.</summary>
        public const string MissingEval = "TORCH001";

        /// <summary>A module in eval mode runs a forward pass with autograd on and no backward() uses the graph.</summary>
        public const string MissingNoGrad = "TORCH002";

        /// <summary>An optimizer holds parameters whose requires_grad is false.</summary>
        public const string OptimizerOverFrozenParameters = "TORCH003";

        /// <summary>A parameter frozen when the optimizer was watched is trainable now and the optimizer cannot train it.</summary>
        public const string UnfrozenAfterOptimizer = "TORCH004";

        /// <summary>backward() ran through a forward pass of a module (with mode-dependent layers) in eval mode.</summary>
        public const string MissingTrain = "TORCH005";

        /// <summary>The grad mode or inference mode at the end of a region differs from the one at its start.</summary>
        public const string UndisposedGradModeScope = "TORCH006";

        /// <summary>backward() was attempted while autograd was off.</summary>
        public const string BackwardWithoutGrad = "TORCH007";

        /// <summary>A module-typed field of a module is not among its registered children.</summary>
        public const string UnregisteredSubmodule = "TORCH008";

        /// <summary>An async method was suspended while a grad-mode scope it opened was open.</summary>
        public const string AwaitInsideGradScope = "TORCH009";

        /// <summary>A hooked module's parameters have gradients although none of its hooks ran: its forward(..) was called directly.</summary>
        public const string DirectForward = "TORCH010";

        /// <summary>A watched optimizer's step used gradients its previous step had used too, or gradients cleared after the backward() that computed them.</summary>
        public const string GradientsNotCleared = "TORCH011";

        /// <summary>The message format of rule <paramref name="id"/>, the same composite format as the analyzer's.</summary>
        /// <param name="id">A rule id, <c>TORCH001</c> … <c>TORCH011</c>.</param>
        /// <returns>The format string.</returns>
        /// <exception cref="ArgumentException"><paramref name="id"/> is not one of the ids above.</exception>
        public static string MessageFormat(string id) => id switch
        {
            MissingEval => "'{0}' is used for inference while it may be in training mode ({1}): {2}; call {0}.eval() first",
            MissingNoGrad => "'{0}' runs inference with autograd recording ({1}): every activation is kept for a backward pass that never comes; wrap it in 'using (torch.no_grad())'",
            OptimizerOverFrozenParameters => "'{0}' is built over the parameters of '{1}', {2}",
            UnfrozenAfterOptimizer => "Parameters of '{0}' are unfrozen after optimizer '{1}' (line {2}) was built over its trainable parameters only: {3}; add them with {1}.add_param_group(..) or build a new optimizer",
            MissingTrain => "'{0}' computes a loss for a training step while it may be in eval mode ({1}): {2} while training; call {0}.train() at the start of the training region",
            UndisposedGradModeScope => "The scope returned by '{0}' is {1}, so {2} for the rest of the thread",
            BackwardWithoutGrad => "backward() runs {0}: nothing was recorded, so it throws 'element 0 of tensors does not require grad and does not have a grad_fn'",
            UnregisteredSubmodule => "'{0}' is not registered as a submodule of '{1}' ({2}): eval(), train() and parameters() do not reach it",
            AwaitInsideGradScope => "'{0}' inside {1}: grad mode is per thread, so {2}; end the scope before the await and reopen it after",
            DirectForward => "'{0}' runs forward(..) directly: {1}; call {0}.call(..) instead",
            GradientsNotCleared => "'{0}.step()' {1}; {2}",
            _ => throw new ArgumentException("Unknown rule id '" + id + "'.", nameof(id)),
        };

        internal static string Format(string id, params object[] arguments)
            => string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat(id), arguments);
    }
}
