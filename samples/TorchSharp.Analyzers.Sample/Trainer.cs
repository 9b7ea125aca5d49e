using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>Training with validation between epochs, and fine-tuning of the head only.</summary>
    internal static class Trainer
    {
        public static void Train(SentimentNet model, Tensor inputs, Tensor labels, int epochs)
        {
            var optimizer = optim.Adam(model.parameters(), lr: 0.01);
            var loss = nn.CrossEntropyLoss();
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                // Mistake (TORCH005): Evaluate() leaves the model in eval mode; nothing calls train() again.
                optimizer.zero_grad();
                var output = loss.call(model.call(inputs), labels);
                output.backward();
                optimizer.step();

                Console.WriteLine($"epoch {epoch}: loss {output.item<float>():F4}, accuracy {Evaluator.Evaluate(model, inputs, labels):P1}");
            }
        }

        public static void FineTuneHead(SentimentNet model, Tensor inputs, Tensor labels)
        {
            foreach (var parameter in model.parameters())
            {
                parameter.requires_grad = false;
            }

            foreach (var parameter in model.Head.parameters())
            {
                parameter.requires_grad = true;
            }

            // Mistake (TORCH003): the optimizer keeps state for every frozen parameter it is given.
            var optimizer = optim.SGD(model.parameters(), 0.01);
            var loss = nn.CrossEntropyLoss();
            model.train();
            optimizer.zero_grad();
            loss.call(model.call(inputs), labels).backward();
            optimizer.step();
            Console.WriteLine($"trainable parameters: {model.parameters().Count(p => p.requires_grad)}");
        }
    }
}
