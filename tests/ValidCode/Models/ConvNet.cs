using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Models
{
    /// <summary>A residual block: two convolutions with BatchNorm and a skip connection.</summary>
    public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _bn1;
        private readonly Conv2d _conv2;
        private readonly BatchNorm2d _bn2;

        public ResidualBlock(long channels)
            : base(nameof(ResidualBlock))
        {
            _conv1 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            _bn1 = nn.BatchNorm2d(channels);
            _conv2 = nn.Conv2d(channels, channels, 3, padding: 1, bias: false);
            _bn2 = nn.BatchNorm2d(channels);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.relu(_bn1.call(_conv1.call(x)));
            y = _bn2.call(_conv2.call(y));
            return nn.functional.relu(y + x).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A small ResNet-style image classifier whose blocks live in a ModuleList.</summary>
    public sealed class ConvNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _stem;
        private readonly BatchNorm2d _stemNorm;
        private readonly ModuleList<ResidualBlock> _blocks = new ModuleList<ResidualBlock>();
        private readonly AdaptiveAvgPool2d _pool;
        private readonly Dropout _dropout;
        private readonly Linear _classifier;

        public ConvNet(long inChannels, long width, int depth, long classes)
            : base(nameof(ConvNet))
        {
            _stem = nn.Conv2d(inChannels, width, 3, padding: 1);
            _stemNorm = nn.BatchNorm2d(width);
            for (var i = 0; i < depth; i++)
            {
                _blocks.Add(new ResidualBlock(width));
            }

            _pool = nn.AdaptiveAvgPool2d(1);
            _dropout = nn.Dropout(0.25);
            _classifier = nn.Linear(width, classes);
            RegisterComponents();
        }

        /// <summary>The feature extractor's modules, for fine-tuning code that freezes them.</summary>
        public IEnumerable<nn.Module> Backbone()
        {
            yield return _stem;
            yield return _stemNorm;
            foreach (var block in _blocks)
            {
                yield return block;
            }
        }

        /// <summary>The classification head.</summary>
        public Linear Head => _classifier;

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.relu(_stemNorm.call(_stem.call(x)));
            foreach (var block in _blocks)
            {
                y = block.call(y);
            }

            y = _pool.call(y).flatten(1);
            return _classifier.call(_dropout.call(y)).MoveToOuterDisposeScope();
        }
    }
}
