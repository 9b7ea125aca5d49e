using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Data;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Training
{
    /// <summary>Ways to clear gradients right (TORCH011 stays silent): accumulation, a GAN, LBFGS, a clearing helper.</summary>
    public static class GradientClearing
    {
        /// <summary>Gradient accumulation: step() and zero_grad() together every <paramref name="k"/> batches.</summary>
        public static void Accumulate(MlpClassifier model, IReadOnlyList<Batch> batches, int k)
        {
            var optimizer = optim.AdamW(model.parameters(), 1e-3);
            model.train();
            optimizer.zero_grad();
            for (var i = 0; i < batches.Count; i++)
            {
                using var scope = NewDisposeScope();
                var loss = nn.functional.cross_entropy(model.call(batches[i].Inputs), batches[i].Labels) / k;
                loss.backward();
                if ((i + 1) % k == 0 || i == batches.Count - 1)
                {
                    optimizer.step();
                    optimizer.zero_grad();
                }
            }
        }

        /// <summary>A GAN: each optimizer is cleared before the backward() its step uses.</summary>
        public static void Adversarial(Sequential generator, Sequential discriminator, Tensor real, int steps)
        {
            var optG = optim.Adam(generator.parameters(), 2e-4);
            var optD = optim.Adam(discriminator.parameters(), 2e-4);
            generator.train();
            discriminator.train();
            for (var step = 0; step < steps; step++)
            {
                using var scope = NewDisposeScope();
                var fake = generator.call(randn(real.shape[0], 8));
                optD.zero_grad();
                var lossD = nn.functional.softplus(discriminator.call(fake.detach())).mean() + nn.functional.softplus(-discriminator.call(real)).mean();
                lossD.backward();
                optD.step();

                optG.zero_grad();
                var lossG = nn.functional.softplus(-discriminator.call(fake)).mean();
                lossG.backward();
                optG.step();
            }
        }

        /// <summary>LBFGS: the closure clears and recomputes the gradients at every evaluation.</summary>
        public static void FullBatch(MlpClassifier model, Batch batch, int iterations)
        {
            var optimizer = optim.LBFGS(model.parameters());
            model.train();
            for (var i = 0; i < iterations; i++)
            {
                optimizer.step(() =>
                {
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    return loss;
                });
            }
        }

        /// <summary>The clear lives in a helper of the class, called at the start of each step.</summary>
        public sealed class HelperTrainer
        {
            private readonly MlpClassifier _model;
            private readonly optim.Optimizer _optimizer;

            public HelperTrainer(MlpClassifier model)
            {
                _model = model;
                _optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
            }

            public void Fit(IEnumerable<Batch> batches)
            {
                _model.train();
                foreach (var batch in batches)
                {
                    using var scope = NewDisposeScope();
                    ResetGradients();
                    nn.functional.cross_entropy(_model.call(batch.Inputs), batch.Labels).backward();
                    _optimizer.step();
                }
            }

            private void ResetGradients() => _optimizer.zero_grad();
        }
    }
}
