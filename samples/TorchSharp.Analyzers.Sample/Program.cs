using System;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    internal static class Program
    {
        private static void Main()
        {
            torch.manual_seed(42);
            var inputs = torch.randn(64, 8);
            var labels = inputs.sum(1).gt(0).to_type(ScalarType.Int64);

            var model = new SentimentNet(features: 8, hidden: 16, classes: 2);
            Warmup.WarmUpHead(model, inputs, labels, steps: 3);
            Trainer.Train(model, inputs, labels, epochs: 5);
            Trainer.FineTuneHead(model, inputs, labels);

            var predictor = new Predictor(model);
            Console.WriteLine($"prediction: {predictor.Predict(inputs[0])}");
            Console.WriteLine($"outputs captured by the hook: {ActivationProbe.CountOutputs(model, inputs)}");
        }
    }
}
