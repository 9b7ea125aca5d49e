using System;
using System.Collections.Generic;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Scopes
{
    /// <summary>Grad-mode scopes handed to callers, stored, or paired with an explicit re-enable.</summary>
    public static class GradScopes
    {
        /// <summary>Returns the scope; the caller owns and disposes it.</summary>
        public static IDisposable NoGrad() => torch.no_grad();

        /// <summary>Returns an inference-mode scope to the caller.</summary>
        public static IDisposable Inference()
        {
            var scope = torch.inference_mode();
            return scope;
        }

        /// <summary>Uses a scope from a helper with a using statement.</summary>
        public static Tensor PredictWithHelperScope(Regressor model, Tensor inputs)
        {
            model.eval();
            using (NoGrad())
            {
                return model.call(inputs);
            }
        }

        /// <summary>A scope disposed in finally.</summary>
        public static Tensor PredictWithFinally(Regressor model, Tensor inputs)
        {
            model.eval();
            var scope = torch.no_grad();
            try
            {
                return model.call(inputs);
            }
            finally
            {
                scope.Dispose();
            }
        }

        /// <summary>The documented thread-wide switch, paired with its re-enable.</summary>
        public static Tensor PredictWithSetGradEnabled(Regressor model, Tensor inputs)
        {
            model.eval();
            torch.set_grad_enabled(false);
            try
            {
                return model.call(inputs);
            }
            finally
            {
                torch.set_grad_enabled(true);
            }
        }

        /// <summary>Re-enables autograd inside a no_grad region for the part that needs gradients.</summary>
        public static Tensor GradientInsideNoGrad(MlpClassifier model, Tensor inputs, long target)
        {
            model.eval();
            using (torch.no_grad())
            {
                var warmup = model.call(inputs);
                using (torch.enable_grad())
                {
                    var x = inputs.detach().clone().requires_grad_(true);
                    model.call(x)[0, target].backward();
                    return x.grad!.abs() + warmup.sum() * 0;
                }
            }
        }

        /// <summary>A conditional grad mode: the flag decides, the using restores.</summary>
        public static Tensor Forward(MlpClassifier model, Tensor inputs, bool training)
        {
            model.train(training);
            using (torch.set_grad_enabled(training))
            {
                return model.call(inputs);
            }
        }
    }

    /// <summary>A scope stored in a field and disposed with its owner.</summary>
    public sealed class InferenceSession : IDisposable
    {
        private readonly IDisposable _scope;
        private readonly MlpClassifier _model;
        private readonly List<Tensor> _outputs = new List<Tensor>();

        public InferenceSession(MlpClassifier model)
        {
            _model = model;
            _model.eval();
            _scope = torch.no_grad();
        }

        /// <summary>Runs one batch; the session's scope is open.</summary>
        public void Run(Tensor inputs)
        {
            using (torch.no_grad())
            {
                _outputs.Add(_model.call(inputs));
            }
        }

        /// <summary>All outputs so far.</summary>
        public IReadOnlyList<Tensor> Outputs => _outputs;

        public void Dispose() => _scope.Dispose();
    }
}
