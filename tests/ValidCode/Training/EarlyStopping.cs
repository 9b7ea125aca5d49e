using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Data;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Training
{
    /// <summary>Early stopping with checkpoints: the best weights are saved during validation and loaded at the end.</summary>
    public sealed class EarlyStoppingTrainer
    {
        private readonly int _patience;
        private readonly string _checkpoint;

        public EarlyStoppingTrainer(int patience, string checkpointDirectory)
        {
            _patience = patience;
            _checkpoint = Path.Combine(checkpointDirectory, "best.bin");
        }

        /// <summary>Trains until the validation loss stops improving; returns the best validation loss.</summary>
        public double Run(TransformerClassifier model, IReadOnlyList<Batch> training, IReadOnlyList<Batch> validation, int maxEpochs)
        {
            var optimizer = optim.Adam(model.parameters(), 3e-4);
            var lossFunction = nn.CrossEntropyLoss();
            var best = double.PositiveInfinity;
            var epochsWithoutImprovement = 0;

            for (var epoch = 0; epoch < maxEpochs && epochsWithoutImprovement < _patience; epoch++)
            {
                model.train();
                foreach (var batch in training)
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = lossFunction.call(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    optimizer.step();
                }

                model.eval();
                double validationLoss;
                using (torch.no_grad())
                {
                    validationLoss = validation.Average(b => lossFunction.call(model.call(b.Inputs), b.Labels).item<float>());
                }

                if (validationLoss < best)
                {
                    best = validationLoss;
                    epochsWithoutImprovement = 0;
                    model.save(_checkpoint);
                }
                else
                {
                    epochsWithoutImprovement++;
                }
            }

            if (File.Exists(_checkpoint))
            {
                model.load(_checkpoint);
            }

            model.eval();
            return best;
        }
    }

    /// <summary>Knowledge distillation: the teacher only ever runs in eval mode under no_grad, the student trains.</summary>
    public static class Distillation
    {
        public static void Distill(MlpClassifier teacher, MlpClassifier student, IEnumerable<Batch> batches, double temperature, int epochs)
        {
            teacher.eval();
            var optimizer = optim.Adam(student.parameters(), 1e-3);
            var hardLoss = nn.CrossEntropyLoss();
            var softLoss = nn.KLDivLoss(reduction: nn.Reduction.Mean);
            var data = batches.ToList();

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                student.train();
                foreach (var batch in data)
                {
                    using var scope = NewDisposeScope();
                    Tensor teacherProbabilities;
                    using (torch.no_grad())
                    {
                        teacherProbabilities = nn.functional.softmax(teacher.call(batch.Inputs) / temperature, 1);
                    }

                    optimizer.zero_grad();
                    var studentLogits = student.call(batch.Inputs);
                    var soft = softLoss.call(nn.functional.log_softmax(studentLogits / temperature, 1), teacherProbabilities);
                    var loss = hardLoss.call(studentLogits, batch.Labels) + soft * (temperature * temperature);
                    loss.backward();
                    optimizer.step();
                }
            }
        }
    }

    /// <summary>An exponential moving average of a model's weights, evaluated in eval mode under no_grad.</summary>
    public sealed class WeightAverager
    {
        private readonly MlpClassifier _average;
        private readonly double _decay;

        public WeightAverager(MlpClassifier template, double decay)
        {
            _average = new MlpClassifier(20, 64, 4);
            _decay = decay;
            using (torch.no_grad())
            {
                foreach (var (target, source) in _average.parameters().Zip(template.parameters()))
                {
                    target.copy_(source);
                }
            }

            _average.eval();
        }

        /// <summary>Moves the average towards the current weights; optimizer-like updates run without autograd.</summary>
        public void Update(MlpClassifier current)
        {
            using var noGrad = torch.no_grad();
            foreach (var (target, source) in _average.parameters().Zip(current.parameters()))
            {
                target.mul_(_decay).add_(source, alpha: 1 - _decay);
            }
        }

        /// <summary>Predictions of the averaged weights.</summary>
        public Tensor Predict(Tensor inputs)
        {
            using (torch.no_grad())
            {
                return _average.call(inputs).argmax(1);
            }
        }
    }
}
