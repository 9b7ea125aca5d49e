namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>The TorchSharp calls that switch the thread's grad mode and return a restoring scope.</summary>
    internal enum GradScopeFactory
    {
        /// <summary><c>torch.no_grad()</c></summary>
        NoGrad,

        /// <summary><c>torch.enable_grad(bool enabled = true)</c></summary>
        EnableGrad,

        /// <summary><c>torch.set_grad_enabled(bool mode = true)</c></summary>
        SetGradEnabled,

        /// <summary><c>torch.inference_mode(bool mode = true)</c></summary>
        InferenceMode,
    }
}
