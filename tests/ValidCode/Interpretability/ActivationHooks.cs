using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Interpretability
{
    /// <summary>A feature extractor whose activations are captured by forward hooks: every module is run with call(..).</summary>
    public sealed class ProbedNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _hidden = nn.Linear(8, 16);
        private readonly Linear _head = nn.Linear(16, 2);

        /// <summary>Creates the network.</summary>
        public ProbedNet() : base(nameof(ProbedNet)) { RegisterComponents(); }

        /// <summary>The hidden layer, for probes.</summary>
        public Linear Hidden => _hidden;

        /// <inheritdoc />
        public override Tensor forward(Tensor x) => _head.call(_hidden.call(x).relu());
    }

    /// <summary>The same network with a temperature: it runs its inner network with call(..), so hooks on it run.</summary>
    public sealed class TemperedNet : nn.Module<Tensor, Tensor>
    {
        private readonly ProbedNet _inner = new ProbedNet();

        /// <summary>Creates the network.</summary>
        public TemperedNet() : base(nameof(TemperedNet)) { RegisterComponents(); }

        /// <inheritdoc />
        public override Tensor forward(Tensor x) => _inner.call(x) / 2;
    }

    /// <summary>Captures the hidden activations of <see cref="ProbedNet"/> with a forward hook.</summary>
    public static class ActivationHooks
    {
        /// <summary>The hidden activations for <paramref name="input"/>, captured by a hook that is removed afterwards.</summary>
        public static List<Tensor> Capture(ProbedNet model, Tensor input)
        {
            var captured = new List<Tensor>();
            var remover = model.Hidden.register_forward_hook((module, x, output) =>
            {
                captured.Add(output.detach());
                return output;
            });
            model.eval();
            using (torch.no_grad())
            {
                model.call(input);
            }

            remover.remove();
            return captured;
        }
    }
}
