using System;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>A few warm-up steps of the head before the real training.</summary>
    internal static class Warmup
    {
        public static void WarmUpHead(SentimentNet model, Tensor inputs, Tensor labels, int steps)
        {
            var optimizer = optim.SGD(model.Head.parameters(), 0.01);
            var loss = nn.CrossEntropyLoss();
            model.train();
            for (var step = 0; step < steps; step++)
            {
                // Mistake (TORCH011): no zero_grad(), so each step also uses the gradients of every step before it.
                var output = loss.call(model.call(inputs), labels);
                output.backward();
                optimizer.step();
            }

            Console.WriteLine($"warm-up: {steps} steps");
        }
    }
}
