using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Models
{
    /// <summary>A multi-layer perceptron with BatchNorm and Dropout: the classic mode-dependent model.</summary>
    public sealed class MlpClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _input;
        private readonly BatchNorm1d _norm;
        private readonly Dropout _dropout;
        private readonly Linear _hidden;
        private readonly Linear _output;

        public MlpClassifier(long features, long hidden, long classes, double dropout = 0.3)
            : base(nameof(MlpClassifier))
        {
            if (features <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(features));
            }

            _input = nn.Linear(features, hidden);
            _norm = nn.BatchNorm1d(hidden);
            _dropout = nn.Dropout(dropout);
            _hidden = nn.Linear(hidden, hidden);
            _output = nn.Linear(hidden, classes);
            RegisterComponents();
        }

        /// <summary>The number of classes the head predicts.</summary>
        public long Classes => _output.weight!.shape[0];

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = nn.functional.relu(_norm.call(_input.call(x)));
            h = _dropout.call(h);
            h = nn.functional.relu(_hidden.call(h));
            return _output.call(h).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A regression head: Linear → ReLU → Dropout → Linear, built as a Sequential.</summary>
    public sealed class Regressor : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _layers;

        public Regressor(long features)
            : base(nameof(Regressor))
        {
            _layers = nn.Sequential(
                ("fc1", nn.Linear(features, 64)),
                ("relu", nn.ReLU()),
                ("drop", nn.Dropout(0.2)),
                ("fc2", nn.Linear(64, 1)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => _layers.call(x).squeeze(-1);
    }
}
