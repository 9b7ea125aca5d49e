using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Uncertainty
{
    /// <summary>Monte-Carlo dropout: dropout deliberately active at inference time, under no_grad.</summary>
    public static class MonteCarloDropout
    {
        /// <summary>Mean and standard deviation of <paramref name="samples"/> stochastic forward passes.</summary>
        public static (Tensor Mean, Tensor Std) Predict(MlpClassifier model, Tensor inputs, int samples)
        {
            using (torch.no_grad())
            {
                model.train();
                var outputs = new List<Tensor>();
                for (var i = 0; i < samples; i++)
                {
                    outputs.Add(nn.functional.softmax(model.call(inputs), 1));
                }

                model.eval();
                var stacked = torch.stack(outputs, 0);
                return (stacked.mean(new long[] { 0 }), stacked.std(0));
            }
        }

        /// <summary>Only the dropout layers in training mode; BatchNorm keeps its running statistics.</summary>
        public static Tensor PredictiveEntropy(MlpClassifier model, Tensor inputs, int samples)
        {
            model.eval();
            foreach (var module in model.modules())
            {
                if (module is Dropout dropout)
                {
                    dropout.train();
                }
            }

            using var noGrad = torch.no_grad();
            var mean = Enumerable.Range(0, samples)
                .Select(_ => nn.functional.softmax(model.call(inputs), 1))
                .Aggregate((a, b) => a + b) / samples;
            return -(mean * mean.clamp_min(1e-8).log()).sum(1);
        }
    }

    /// <summary>Deep ensembles of independently trained members.</summary>
    public static class DeepEnsemble
    {
        /// <summary>The disagreement of the members: variance of their probabilities.</summary>
        public static Tensor Disagreement(IReadOnlyList<MlpClassifier> members, Tensor inputs)
        {
            using (torch.inference_mode())
            {
                var probabilities = new List<Tensor>();
                foreach (var member in members)
                {
                    member.eval();
                    probabilities.Add(nn.functional.softmax(member.call(inputs), 1));
                }

                return torch.stack(probabilities, 0).var(0).sum(1);
            }
        }
    }
}
