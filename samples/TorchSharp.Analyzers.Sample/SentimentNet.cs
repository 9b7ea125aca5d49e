using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>A small classifier with the two kinds of mode-dependent layers: BatchNorm and Dropout.</summary>
    internal sealed class SentimentNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _hidden;
        private readonly BatchNorm1d _norm;
        private readonly Dropout _dropout;
        private readonly Linear _head;

        public SentimentNet(int features, int hidden, int classes)
            : base(nameof(SentimentNet))
        {
            _hidden = nn.Linear(features, hidden);
            _norm = nn.BatchNorm1d(hidden);
            _head = nn.Linear(hidden, classes);
            RegisterComponents();

            // Mistake (TORCH008): assigned after RegisterComponents(), so eval() and train() never reach it.
            _dropout = nn.Dropout(0.3);
        }

        public Linear Head => _head;

        public override Tensor forward(Tensor input)
        {
            var x = nn.functional.relu(_norm.call(_hidden.call(input)));
            return _head.call(_dropout.call(x));
        }
    }
}
