using System;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Modes
{
    /// <summary>Helpers of this code base that set modes; callers rely on them.</summary>
    public static class ModeHelpers
    {
        /// <summary>Puts a model in inference mode (eval) and returns it.</summary>
        public static T ForInference<T>(T model)
            where T : nn.Module
        {
            model.eval();
            return model;
        }

        /// <summary>Puts a model in eval mode.</summary>
        public static void PrepareForEvaluation(MlpClassifier model) => model.eval();

        /// <summary>Puts a model in training mode.</summary>
        public static void PrepareForTraining(MlpClassifier model) => model.train();

        /// <summary>Sets the mode from a flag.</summary>
        public static void SetMode(MlpClassifier model, bool training)
        {
            if (training)
            {
                model.train();
            }
            else
            {
                model.eval();
            }
        }
    }

    /// <summary>Code that uses the helpers.</summary>
    public static class ModeHelperUsers
    {
        public static Tensor PredictAfterHelper(Tensor inputs)
        {
            var model = new MlpClassifier(20, 64, 4);
            ModeHelpers.PrepareForEvaluation(model);
            using (torch.no_grad())
            {
                return model.call(inputs).argmax(1);
            }
        }

        public static void TrainAfterHelper(MlpClassifier model, Tensor inputs, Tensor labels, int steps)
        {
            var optimizer = optim.Adam(model.parameters(), 1e-3);
            var lossFunction = nn.CrossEntropyLoss();
            for (var step = 0; step < steps; step++)
            {
                ModeHelpers.PrepareForTraining(model);
                optimizer.zero_grad();
                var loss = lossFunction.call(model.call(inputs), labels);
                loss.backward();
                optimizer.step();

                ModeHelpers.PrepareForEvaluation(model);
                using (torch.no_grad())
                {
                    Console.WriteLine(model.call(inputs).argmax(1).eq(labels).sum().item<long>());
                }
            }
        }

        public static Tensor PredictWithGenericHelper(Tensor inputs)
        {
            var model = ModeHelpers.ForInference(new Regressor(8));
            using (torch.no_grad())
            {
                return model.call(inputs);
            }
        }

        /// <summary>A mode restored in finally: the caller's mode survives an evaluation in between.</summary>
        public static double EvaluateAndRestore(MlpClassifier model, Tensor inputs, Tensor labels)
        {
            var wasTraining = model.training;
            model.eval();
            try
            {
                using (torch.no_grad())
                {
                    return model.call(inputs).argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();
                }
            }
            finally
            {
                model.train(wasTraining);
            }
        }
    }

    /// <summary>A GAN step: the discriminator and the generator switch roles, each set explicitly.</summary>
    public sealed class GanTrainer
    {
        private readonly MlpClassifier _discriminator = new MlpClassifier(16, 32, 1);
        private readonly Regressor _generator = new Regressor(8);
        private readonly optim.Optimizer _discriminatorOptimizer;
        private readonly optim.Optimizer _generatorOptimizer;

        public GanTrainer()
        {
            _discriminatorOptimizer = optim.Adam(_discriminator.parameters(), 2e-4, beta1: 0.5);
            _generatorOptimizer = optim.Adam(_generator.parameters(), 2e-4, beta1: 0.5);
        }

        public void Step(Tensor real, Tensor noise)
        {
            var bce = nn.BCEWithLogitsLoss();

            _discriminator.train();
            _generator.train();
            _discriminatorOptimizer.zero_grad();
            Tensor fake;
            using (torch.no_grad())
            {
                fake = _generator.call(noise).unsqueeze(1).expand(-1, 16);
            }

            var realLoss = bce.call(_discriminator.call(real).squeeze(-1), torch.ones(real.shape[0]));
            var fakeLoss = bce.call(_discriminator.call(fake).squeeze(-1), torch.zeros(noise.shape[0]));
            (realLoss + fakeLoss).backward();
            _discriminatorOptimizer.step();

            _generatorOptimizer.zero_grad();
            var generated = _generator.call(noise).unsqueeze(1).expand(-1, 16);
            var generatorLoss = bce.call(_discriminator.call(generated).squeeze(-1), torch.ones(noise.shape[0]));
            generatorLoss.backward();
            _generatorOptimizer.step();
        }

        /// <summary>Samples from the generator in eval mode.</summary>
        public Tensor Sample(Tensor noise)
        {
            _generator.eval();
            using (torch.no_grad())
            {
                return _generator.call(noise);
            }
        }
    }
}
