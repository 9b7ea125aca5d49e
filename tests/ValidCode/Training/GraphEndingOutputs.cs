using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Training
{
    /// <summary>
    /// Forward passes whose output ends the graph (argmax, item, detach, multinomial), written correctly: inside
    /// no_grad, or kept with grad where a backward() needs it (docs/rules/TORCH002.md, "An output that ends the graph").
    /// </summary>
    internal static class GraphEndingOutputs
    {
        /// <summary>A training step, then the batch accuracy inside no_grad.</summary>
        public static long StepThenCountCorrect(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor input, Tensor labels)
        {
            model.train();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(input), labels).backward();
            optimizer.step();
            model.eval();
            using (torch.no_grad())
            {
                return model.call(input).argmax(1).eq(labels).sum().item<long>();
            }
        }

        /// <summary>The training forward pass reused for the accuracy: its graph feeds backward(), so it records rightly.</summary>
        public static long StepOnceCountingCorrect(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor input, Tensor labels)
        {
            model.train();
            optimizer.zero_grad();
            var output = model.call(input);
            nn.functional.cross_entropy(output, labels).backward();
            optimizer.step();
            return output.argmax(1).eq(labels).sum().item<long>();
        }

        /// <summary>PPO: the old log-probs computed inside no_grad, the new ones with grad for the update.</summary>
        public static void ProximalUpdate(nn.Module<Tensor, Tensor> policy, optim.Optimizer optimizer, Tensor states, Tensor actions, Tensor advantages)
        {
            Tensor oldLogProbs;
            policy.eval();
            using (torch.no_grad())
            {
                oldLogProbs = policy.call(states).log_softmax(-1).gather(1, actions);
            }

            policy.train();
            for (var epoch = 0; epoch < 4; epoch++)
            {
                var ratio = (policy.call(states).log_softmax(-1).gather(1, actions) - oldLogProbs).exp();
                var clipped = ratio.clamp(0.8, 1.2);
                var loss = -torch.minimum(ratio * advantages, clipped * advantages).mean();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }

        /// <summary>A greedy decoder feeding argmax back into the next step, inside no_grad.</summary>
        public static List<long> Decode(nn.Module<Tensor, Tensor> model, Tensor start, int steps)
        {
            var tokens = new List<long>();
            model.eval();
            using var noGrad = torch.no_grad();
            var input = start;
            for (var i = 0; i < steps; i++)
            {
                var next = model.call(input).argmax(-1);
                tokens.Add(next.item<long>());
                input = next.to_type(ScalarType.Float32).unsqueeze(0);
            }

            return tokens;
        }

        /// <summary>The logits handed back to the caller: whether they need a graph is the caller's business.</summary>
        public static Tensor LogitsAndLabel(nn.Module<Tensor, Tensor> model, Tensor input, out long label)
        {
            model.train();
            var logits = model.call(input);
            label = logits.argmax(-1).item<long>();
            return logits;
        }
    }
}
