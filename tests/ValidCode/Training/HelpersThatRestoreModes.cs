using System;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Training
{
    /// <summary>
    /// The helper shapes of issue 14, item 4, written correctly: an evaluation helper of the trainer, a sampling helper
    /// given the model, and a sampler object that holds the trainer's model, each called every N batches inside the epoch
    /// loop — the training step switches back to train() itself, and generation after the estimate_loss idiom calls eval()
    /// again.
    /// </summary>
    public sealed class HelpersThatRestoreModes
    {
        private readonly MlpClassifier _model;
        private readonly PeriodicSampler _sampler;
        private readonly optim.Optimizer _optimizer;

        public HelpersThatRestoreModes(MlpClassifier model)
        {
            _model = model;
            _sampler = new PeriodicSampler(model);
            _optimizer = optim.Adam(_model.parameters());
        }

        /// <summary>Trains, sampling every <paramref name="every"/> batches; each batch puts the model back in training mode.</summary>
        public void Fit(Tensor inputs, Tensor labels, int batches, int every)
        {
            for (var batch = 0; batch < batches; batch++)
            {
                if (batch % every == 0)
                {
                    Console.WriteLine(EstimateLoss(inputs, labels));
                    _sampler.Sample(inputs);
                    SampleWith(_model, inputs);
                }

                _model.train();
                _optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(_model.call(inputs), labels);
                loss.backward();
                _optimizer.step();
            }
        }

        /// <summary>The estimate_loss idiom: eval() to measure, train() at the end for the training loop.</summary>
        private float EstimateLoss(Tensor inputs, Tensor labels)
        {
            _model.eval();
            float loss;
            using (torch.no_grad())
            {
                loss = nn.functional.cross_entropy(_model.call(inputs), labels).item<float>();
            }

            _model.train();
            return loss;
        }

        /// <summary>After the last estimate, generation switches to eval mode again.</summary>
        public Tensor Finish(Tensor inputs, Tensor labels, Tensor prompt)
        {
            Console.WriteLine(EstimateLoss(inputs, labels));
            _model.eval();
            using (torch.no_grad())
            {
                return _model.call(prompt).argmax(1);
            }
        }

        private static void SampleWith(MlpClassifier model, Tensor inputs)
        {
            model.eval();
            using (torch.no_grad())
            {
                Console.WriteLine(model.call(inputs).argmax(1).ToString());
            }
        }
    }

    /// <summary>A sampler that holds the trainer's model and leaves it in eval mode: its caller switches back.</summary>
    public sealed class PeriodicSampler
    {
        private readonly MlpClassifier _model;

        public PeriodicSampler(MlpClassifier model)
        {
            _model = model;
        }

        public void Sample(Tensor inputs)
        {
            _model.eval();
            using (torch.no_grad())
            {
                Console.WriteLine(_model.call(inputs).argmax(1).ToString());
            }
        }
    }
}
