using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>Serves predictions from a trained model.</summary>
    internal sealed class Predictor
    {
        private readonly SentimentNet _model;

        public Predictor(SentimentNet model) => _model = model;

        public long Predict(Tensor features)
        {
            // Mistake (TORCH006): the scope is discarded, so autograd stays off for the rest of the thread.
            // Mistake (TORCH001): nothing puts the model in eval mode: Dropout is active, BatchNorm updates its statistics.
            torch.no_grad();
            return _model.call(features.unsqueeze(0)).argmax(1).item<long>();
        }
    }
}
