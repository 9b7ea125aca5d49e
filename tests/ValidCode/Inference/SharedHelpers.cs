using System.Linq;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>
    /// A helper that runs the model with no grad scope of its own, and callers in two classes that each open one around
    /// their call: the callers' convention (TORCH002 reports a call that breaks it, at the call).
    /// </summary>
    public static class ScoringHelpers
    {
        /// <summary>The logits of a batch in eval mode; every caller holds no_grad or inference_mode around the call.</summary>
        public static Tensor Logits(TinyEncoder model, Tensor batch)
        {
            model.eval();
            return model.call(batch);
        }

        /// <summary>The predicted classes, under no_grad.</summary>
        public static long[] Classes(TinyEncoder model, Tensor batch)
        {
            using (torch.no_grad())
            {
                return Logits(model, batch).argmax(1).data<long>().ToArray();
            }
        }
    }

    /// <summary>Another class calling the same helper, under inference_mode for the rest of the method.</summary>
    public static class ScoringReport
    {
        public static float MeanConfidence(TinyEncoder model, Tensor batch)
        {
            using var mode = torch.inference_mode();
            var probabilities = nn.functional.softmax(ScoringHelpers.Logits(model, batch), 1);
            return probabilities.max(1).values.mean().item<float>();
        }
    }
}
