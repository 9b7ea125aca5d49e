using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Data;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Training
{
    /// <summary>The result of one epoch.</summary>
    public sealed record EpochResult(int Epoch, double TrainLoss, double ValidationLoss, double ValidationAccuracy);

    /// <summary>A classic supervised training loop: train() at the start of every epoch, eval() and no_grad for validation.</summary>
    public sealed class ClassifierTrainer
    {
        private readonly MlpClassifier _model;
        private readonly optim.Optimizer _optimizer;
        private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();

        public ClassifierTrainer(MlpClassifier model, double learningRate)
        {
            _model = model;
            _optimizer = optim.Adam(_model.parameters(), learningRate);
        }

        /// <summary>Trains for <paramref name="epochs"/> epochs and validates after each.</summary>
        public IReadOnlyList<EpochResult> Fit(IReadOnlyList<Batch> training, IReadOnlyList<Batch> validation, int epochs)
        {
            var history = new List<EpochResult>();
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                var trainLoss = TrainEpoch(training);
                var (validationLoss, accuracy) = Validate(validation);
                history.Add(new EpochResult(epoch, trainLoss, validationLoss, accuracy));
            }

            return history;
        }

        /// <summary>One pass over the training data, in training mode.</summary>
        public double TrainEpoch(IEnumerable<Batch> batches)
        {
            _model.train();
            var mean = new Metrics.RunningMean();
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                _optimizer.zero_grad();
                var output = _model.call(batch.Inputs);
                var loss = _loss.call(output, batch.Labels);
                loss.backward();
                _optimizer.step();
                mean.Add(loss.item<float>(), batch.Inputs.shape[0]);
            }

            return mean.Value;
        }

        /// <summary>One pass over the validation data: eval mode, no autograd.</summary>
        public (double Loss, double Accuracy) Validate(IEnumerable<Batch> batches)
        {
            _model.eval();
            var loss = new Metrics.RunningMean();
            var accuracy = new Metrics.RunningMean();
            using (torch.no_grad())
            {
                foreach (var batch in batches)
                {
                    using var scope = NewDisposeScope();
                    var output = _model.call(batch.Inputs);
                    loss.Add(_loss.call(output, batch.Labels).item<float>(), batch.Inputs.shape[0]);
                    accuracy.Add(Metrics.Accuracy(output, batch.Labels), batch.Inputs.shape[0]);
                }
            }

            return (loss.Value, accuracy.Value);
        }
    }

    /// <summary>Training loops written as single methods, the way scripts and notebooks write them.</summary>
    public static class TrainingLoops
    {
        /// <summary>Train and validate in one loop; the model goes back to train() at the top of every epoch.</summary>
        public static double TrainWithValidation(int epochs)
        {
            var model = new MlpClassifier(20, 64, 4);
            var optimizer = optim.AdamW(model.parameters(), 1e-3, weight_decay: 1e-2);
            var lossFunction = nn.CrossEntropyLoss();
            var training = SyntheticData.Classification(16, 32, 20, 4).ToList();
            var validation = SyntheticData.Classification(4, 32, 20, 4, seed: 2).ToList();
            var best = double.MaxValue;

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                model.train();
                foreach (var batch in training)
                {
                    optimizer.zero_grad();
                    var loss = lossFunction.call(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    optimizer.step();
                }

                model.eval();
                using (torch.no_grad())
                {
                    var total = 0.0;
                    foreach (var batch in validation)
                    {
                        total += lossFunction.call(model.call(batch.Inputs), batch.Labels).item<float>();
                    }

                    best = Math.Min(best, total / validation.Count);
                }
            }

            return best;
        }

        /// <summary>Validation in a helper that sets eval() itself and restores train() before returning.</summary>
        public static void TrainWithHelperValidation(int epochs)
        {
            var model = new Regressor(8);
            var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
            var lossFunction = nn.MSELoss();
            var data = SyntheticData.Regression(8, 16, 8).ToList();

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                foreach (var batch in data)
                {
                    optimizer.zero_grad();
                    var loss = lossFunction.call(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    optimizer.step();
                }

                Console.WriteLine($"epoch {epoch}: validation loss {ValidationLoss(model, data, lossFunction):F4}");
            }
        }

        /// <summary>Evaluates in eval mode without autograd and leaves the model in training mode again.</summary>
        public static double ValidationLoss(Regressor model, IReadOnlyList<Batch> data, MSELoss lossFunction)
        {
            model.eval();
            try
            {
                using var noGrad = torch.no_grad();
                return data.Average(b => lossFunction.call(model.call(b.Inputs), b.Labels).item<float>());
            }
            finally
            {
                model.train();
            }
        }

        /// <summary>Gradient accumulation with clipping and a learning-rate schedule.</summary>
        public static void TrainWithAccumulation(ConvNet model, IReadOnlyList<Batch> batches, int epochs, int accumulate)
        {
            var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9, nesterov: true);
            var scheduler = optim.lr_scheduler.StepLR(optimizer, 10, 0.5);
            var lossFunction = nn.CrossEntropyLoss();

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                model.train();
                optimizer.zero_grad();
                for (var i = 0; i < batches.Count; i++)
                {
                    using var scope = NewDisposeScope();
                    var loss = lossFunction.call(model.call(batches[i].Inputs), batches[i].Labels) / accumulate;
                    loss.backward();
                    if ((i + 1) % accumulate == 0)
                    {
                        nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                        optimizer.step();
                        optimizer.zero_grad();
                    }
                }

                scheduler.step();
            }
        }
    }
}
