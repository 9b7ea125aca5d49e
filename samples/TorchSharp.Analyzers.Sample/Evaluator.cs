using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>Accuracy on a labelled batch.</summary>
    internal static class Evaluator
    {
        public static double Evaluate(SentimentNet model, Tensor inputs, Tensor labels)
        {
            model.eval();

            // Mistake (TORCH002): no no_grad scope, so autograd records a graph nobody will use.
            var predictions = model.call(inputs).argmax(1);
            return predictions.eq(labels).to_type(ScalarType.Float32).mean().item<float>();
        }
    }
}
