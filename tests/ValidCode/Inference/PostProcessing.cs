using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>
    /// Parameter-free layers used on plain tensors: no graph is recorded (no parameters, no input requiring grad), so
    /// no_grad would change nothing and TORCH002 stays silent. Measured on TorchSharp 0.107.0 (TORCH002's page).
    /// </summary>
    public sealed class PostProcessing
    {
        private readonly Softmax _softmax = nn.Softmax(1);
        private readonly ReLU _relu = nn.ReLU();

        /// <summary>Class probabilities from logits that arrive as plain numbers (from another runtime, a file).</summary>
        public float[] PredictProbabilities(float[] logits, int classes)
        {
            var scores = torch.tensor(logits).reshape(-1, classes);
            return _softmax.call(scores).data<float>().ToArray();
        }

        /// <summary>A rectified, pooled and flattened view of a fresh feature map: all parameter-free, all plain.</summary>
        public static Tensor InferPooledFeatures(long batch, long channels, long length, int seed)
        {
            torch.manual_seed(seed);
            var pool = nn.MaxPool1d(2);
            var flatten = nn.Flatten();
            var act = nn.GELU();
            act.eval();
            var features = torch.randn(batch, channels, length);
            for (var i = 0; i < 2; i++)
            {
                features = act.call(features * 0.5);
            }

            return flatten.call(pool.call(features));
        }

        /// <summary>Dropout masks of a fresh tensor, inference by name: nothing requires grad.</summary>
        public Tensor ScoreClipped(Tensor logits)
        {
            var head = nn.Sequential(nn.Dropout(0.1), nn.Hardtanh());
            head.eval();
            return head.call(_relu.call(logits.detach()));
        }
    }
}
