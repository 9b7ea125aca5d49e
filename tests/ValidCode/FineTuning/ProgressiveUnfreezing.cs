using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using ValidCode.Data;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.FineTuning
{
    /// <summary>Progressive unfreezing done right.</summary>
    public static class ProgressiveUnfreezing
    {
        /// <summary>The optimizer is built over every parameter before freezing, so the unfrozen ones train later.</summary>
        public static void OptimizerOverAllParameters(SentimentModel model, IReadOnlyList<Batch> batches, int epochs, int unfreezeAt)
        {
            var optimizer = optim.Adam(model.parameters(), 1e-3);
            var lossFunction = nn.CrossEntropyLoss();
            SetEncoderTrainable(model, false);

            for (var epoch = 0; epoch < epochs; epoch++)
            {
                if (epoch == unfreezeAt)
                {
                    SetEncoderTrainable(model, true);
                }

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

        /// <summary>The optimizer starts with the trainable parameters; unfrozen ones are handed over with add_param_group.</summary>
        public static void AddParamGroupOnUnfreeze(SentimentModel model, IReadOnlyList<Batch> batches, int epochs)
        {
            foreach (var p in model.Encoder.parameters())
            {
                p.requires_grad = false;
            }

            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList(), 1e-3);
            var lossFunction = nn.CrossEntropyLoss();
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                if (epoch == 3)
                {
                    foreach (var p in model.Encoder.parameters())
                    {
                        p.requires_grad = true;
                    }

                    optimizer.add_param_group(new Adam.ParamGroup(model.Encoder.parameters(), lr: 1e-4));
                }

                model.train();
                foreach (var batch in batches)
                {
                    optimizer.zero_grad();
                    var loss = lossFunction.call(model.call(batch.Inputs), batch.Labels);
                    loss.backward();
                    optimizer.step();
                }
            }
        }

        /// <summary>A new optimizer after each unfreezing stage.</summary>
        public static void NewOptimizerPerStage(MultiTaskModel model, IReadOnlyList<Batch> batches)
        {
            foreach (var p in model.Trunk.parameters())
            {
                p.requires_grad = false;
            }

            var lossFunction = nn.CrossEntropyLoss();
            for (var stage = 0; stage < 2; stage++)
            {
                if (stage == 1)
                {
                    foreach (var p in model.Trunk.parameters())
                    {
                        p.requires_grad = true;
                    }
                }

                var optimizer = optim.SGD(model.parameters().Where(p => p.requires_grad).ToList(), stage == 0 ? 0.1 : 0.01);
                model.train();
                foreach (var batch in batches)
                {
                    optimizer.zero_grad();
                    var logits = model.call(batch.Inputs).narrow(1, 0, 2);
                    var loss = lossFunction.call(logits, batch.Labels);
                    loss.backward();
                    optimizer.step();
                }
            }
        }

        private static void SetEncoderTrainable(SentimentModel model, bool trainable)
        {
            foreach (var parameter in model.Encoder.parameters())
            {
                parameter.requires_grad = trainable;
            }
        }
    }
}
