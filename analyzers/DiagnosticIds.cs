namespace TorchSharp.Analyzers
{
    /// <summary>
    /// The rule ids, in one place. Ids are stable once shipped; the code fix project and the tests use
    /// these constants instead of repeating the strings.
    /// </summary>
    public static class DiagnosticIds
    {
        /// <summary>A module is used for inference while it may be in training mode (missing <c>eval()</c>).</summary>
        public const string MissingEval = "TORCH001";

        /// <summary>An inference forward pass runs with autograd recording (missing <c>no_grad</c>).</summary>
        public const string MissingNoGrad = "TORCH002";

        /// <summary>An optimizer is built over parameters that were frozen.</summary>
        public const string OptimizerOverFrozenParameters = "TORCH003";

        /// <summary>Parameters are unfrozen after the optimizer was built over the trainable ones only.</summary>
        public const string UnfrozenAfterOptimizer = "TORCH004";

        /// <summary>A training step may run while the module is in eval mode (missing <c>train()</c>).</summary>
        public const string MissingTrain = "TORCH005";

        /// <summary>A grad-mode scope (<c>no_grad</c>, <c>enable_grad</c>, <c>set_grad_enabled</c>, <c>inference_mode</c>) is not disposed.</summary>
        public const string UndisposedGradModeScope = "TORCH006";

        /// <summary><c>backward()</c> runs inside a <c>no_grad</c>/<c>inference_mode</c> scope.</summary>
        public const string BackwardWithoutGrad = "TORCH007";

        /// <summary>A module-typed field or property of a custom module is not registered as a submodule.</summary>
        public const string UnregisteredSubmodule = "TORCH008";

        /// <summary>An <c>await</c> inside a grad-mode scope: the method may resume on another thread, whose grad mode is not the scope's.</summary>
        public const string AwaitInsideGradScope = "TORCH009";

        /// <summary>A module's <c>forward(..)</c> is called directly where <c>call(..)</c>, which runs its hooks, is meant.</summary>
        public const string DirectForward = "TORCH010";

        /// <summary>Gradients are never cleared between training steps, or cleared between <c>backward()</c> and <c>step()</c>.</summary>
        public const string GradientsNotCleared = "TORCH011";
    }
}
