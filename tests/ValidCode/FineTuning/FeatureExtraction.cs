using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Data;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.FineTuning
{
    /// <summary>Fine-tuning with a frozen backbone: the optimizer gets the trainable parameters only, materialized.</summary>
    public static class FeatureExtraction
    {
        /// <summary>Freezes everything but the head, then trains the head.</summary>
        public static void TrainHeadOnly(ConvNet model, IReadOnlyList<Batch> batches, int epochs)
        {
            foreach (var module in model.Backbone())
            {
                foreach (var parameter in module.parameters())
                {
                    parameter.requires_grad = false;
                }
            }

            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList(), 1e-3);
            var lossFunction = nn.CrossEntropyLoss();
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                model.train();
                foreach (var batch in batches)
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var loss = lossFunction.call(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    optimizer.step();
                }
            }
        }

        /// <summary>Freezes by name through named_parameters and filters on the tuple's parameter.</summary>
        public static optim.Optimizer FreezeEncoderByName(SentimentModel model)
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (!name.StartsWith("_head", System.StringComparison.Ordinal))
                {
                    parameter.requires_grad = false;
                }
            }

            return optim.AdamW(model.named_parameters().Where(np => np.parameter.requires_grad).Select(np => np.parameter).ToList(), 5e-4);
        }

        /// <summary>Freezes the embedding table only; the optimizer sees the rest.</summary>
        public static optim.Optimizer FreezeEmbedding(SentimentModel model)
        {
            model.Embedding.weight!.requires_grad = false;
            var trainable = model.parameters().Where(p => p.requires_grad).ToList();
            return optim.SGD(trainable, 0.01, momentum: 0.9);
        }

        /// <summary>Discriminative learning rates: one parameter group per part, all trainable.</summary>
        public static optim.Optimizer DiscriminativeRates(ConvNet model)
        {
            var backbone = model.Backbone().SelectMany(m => m.parameters()).ToList();
            var head = model.Head.parameters().ToList();
            return optim.Adam(new[]
            {
                new Adam.ParamGroup(backbone, lr: 1e-5),
                new Adam.ParamGroup(head, lr: 1e-3),
            });
        }

        /// <summary>Feature extraction for a downstream model: the backbone runs in eval mode without autograd.</summary>
        public static Tensor ExtractFeatures(SmallBackbone backbone, Tensor inputs)
        {
            backbone.eval();
            using (torch.no_grad())
            {
                return backbone.call(inputs);
            }
        }

        /// <summary>Trains a linear probe on frozen features.</summary>
        public static Linear TrainProbe(SmallBackbone backbone, IReadOnlyList<Batch> batches, long classes, int epochs)
        {
            var probe = nn.Linear(32, classes);
            var optimizer = optim.SGD(probe.parameters(), 0.1);
            var lossFunction = nn.CrossEntropyLoss();
            var features = batches.Select(b => ExtractFeatures(backbone, b.Inputs)).ToList();
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                for (var i = 0; i < batches.Count; i++)
                {
                    optimizer.zero_grad();
                    var loss = lossFunction.call(probe.call(features[i]), batches[i].Labels);
                    loss.backward();
                    optimizer.step();
                }
            }

            return probe;
        }
    }
}
