using System;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// A region of inference over one module: the module and all its submodules are in eval mode and autograd is
    /// off. Disposing it puts back each module's own training flag and the thread's previous grad mode.
    /// Create it with <see cref="InferenceExtensions.inference(nn.Module, bool)"/>.
    /// </summary>
    /// <remarks>
    /// Grad mode and inference mode are per thread: dispose the scope on the thread that created it.
    /// Scopes nest; dispose them in reverse order of creation, as <c>using</c> does.
    /// </remarks>
    public sealed class InferenceScope : IDisposable
    {
        private readonly ModuleModeSnapshot _modes;
        private readonly IDisposable _gradScope;
        private bool _disposed;

        internal InferenceScope(nn.Module module, bool useInferenceMode)
        {
            // Record before eval(): eval() is recursive and would erase the flags that need restoring.
            _modes = ModuleModeSnapshot.Capture(module);
            try
            {
                module.eval();
                _gradScope = useInferenceMode ? torch.inference_mode() : torch.no_grad();
            }
            catch
            {
                // No scope object reaches the caller, so nobody could dispose it: undo here.
                _modes.Restore();
                throw;
            }
        }

        /// <summary>
        /// Restores the grad mode the thread had before this scope, then every module's training flag.
        /// Calling it again does nothing.
        /// </summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                // Reverse order of creation: the grad scope was entered last, so it is left first.
                _gradScope.Dispose();
            }
            finally
            {
                _modes.Restore();
            }
        }
    }
}
