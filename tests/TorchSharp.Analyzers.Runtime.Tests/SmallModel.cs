using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// Sequential(Linear, BatchNorm1d, Dropout): the shape measured in docs/architecture.md, "Measured facts", with one
    /// layer of each kind that matters here (no mode-dependence, running statistics, randomness).
    /// </summary>
    internal sealed class SmallModel
    {
        public const int Features = 4;

        public SmallModel()
        {
            torch.manual_seed(1234);
            Linear = nn.Linear(Features, 8);
            BatchNorm = nn.BatchNorm1d(8);
            Dropout = nn.Dropout(0.5);
            Root = nn.Sequential(("linear", Linear), ("batchnorm", BatchNorm), ("dropout", Dropout));
        }

        public Sequential Root { get; }

        public Linear Linear { get; }

        public BatchNorm1d BatchNorm { get; }

        public Dropout Dropout { get; }

        /// <summary>Training flags of root, linear, batchnorm, dropout, in that order.</summary>
        public bool[] Flags => new[] { Root.training, Linear.training, BatchNorm.training, Dropout.training };

        public static Tensor Batch() => torch.randn(32, Features);
    }
}
