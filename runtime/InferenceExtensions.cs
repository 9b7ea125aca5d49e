using System;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>Entry point of the inference scope: <c>using (model.inference()) { ... }</c>.</summary>
    public static class InferenceExtensions
    {
        /// <summary>
        /// Puts <paramref name="module"/> and every submodule in eval mode and disables autograd until the returned
        /// scope is disposed; disposing restores each module's previous training flag and the previous grad mode.
        /// </summary>
        /// <param name="module">The module to run inference with.</param>
        /// <param name="useInferenceMode">
        /// <c>false</c> (default): autograd off through <c>torch.no_grad()</c>.
        /// <c>true</c>: <c>torch.inference_mode()</c>, which is cheaper still, but tensors created inside can never
        /// take part in autograd later.
        /// </param>
        /// <returns>The scope; dispose it (a <c>using</c> statement or declaration) on the same thread.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
        public static InferenceScope inference(this nn.Module module, bool useInferenceMode = false)
        {
            ArgumentNullException.ThrowIfNull(module);
            return new InferenceScope(module, useInferenceMode);
        }
    }
}
