using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Models
{
    /// <summary>
    /// A building block in the style of public model libraries: it never calls RegisterComponents() itself. A parent that
    /// registers it (RegisterComponents(), register_module, or a registered ModuleList/ModuleDict) calls the block's
    /// RegisterComponents(), which registers its layers. (A Sequential never does: custom blocks go in a ModuleList.)
    /// </summary>
    public sealed class FeedForward : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _up;
        private readonly Linear _down;
        private readonly Dropout _dropout;

        public FeedForward(long dim, long hidden, double dropout)
            : base(nameof(FeedForward))
        {
            _up = nn.Linear(dim, hidden);
            _down = nn.Linear(hidden, dim);
            _dropout = nn.Dropout(dropout);
        }

        public override Tensor forward(Tensor x) => _dropout.call(_down.call(nn.functional.gelu(_up.call(x))));
    }

    /// <summary>A pre-norm residual layer around a <see cref="FeedForward"/>; registers nothing itself either.</summary>
    public sealed class EncoderLayer : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm _norm;
        private readonly FeedForward _feedForward;

        public EncoderLayer(long dim)
            : base(nameof(EncoderLayer))
        {
            _norm = nn.LayerNorm(dim);
            _feedForward = new FeedForward(dim, 4 * dim, 0.1);
        }

        public override Tensor forward(Tensor x) => x + _feedForward.call(_norm.call(x));
    }

    /// <summary>A head that registers its block explicitly with register_module (which registers the block's own layers).</summary>
    public sealed class ClassifierHead : nn.Module<Tensor, Tensor>
    {
        private readonly FeedForward _block;
        private readonly Linear _output;

        public ClassifierHead(long dim, long classes)
            : base(nameof(ClassifierHead))
        {
            _block = new FeedForward(dim, dim, 0.2);
            register_module("block", _block);
            _output = nn.Linear(dim, classes);
            register_module("output", _output);
        }

        public override Tensor forward(Tensor x) => _output.call(_block.call(x));
    }

    /// <summary>The root: registers its layers (a ModuleList of blocks, a Sequential of TorchSharp layers, a head), so every block below is registered.</summary>
    public sealed class TinyEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _input;
        private readonly ModuleList<EncoderLayer> _layers = new ModuleList<EncoderLayer>();
        private readonly Sequential _neck;
        private readonly ClassifierHead _head;

        public TinyEncoder(long features, long dim, int depth, long classes)
            : base(nameof(TinyEncoder))
        {
            _input = nn.Linear(features, dim);
            for (var i = 0; i < depth; i++)
            {
                _layers.Add(new EncoderLayer(dim));
            }

            _neck = nn.Sequential(("mix", nn.Linear(dim, dim)), ("norm", nn.LayerNorm(dim)));
            _head = new ClassifierHead(dim, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = _input.call(x);
            foreach (var layer in _layers)
            {
                y = layer.call(y);
            }

            return _head.call(_neck.call(y));
        }
    }

    /// <summary>Uses the root as a root: eval() and parameters() reach every block.</summary>
    public static class TinyEncoderUse
    {
        public static Tensor Predict(Tensor batch)
        {
            var model = new TinyEncoder(16, 32, 2, 4);
            model.eval();
            using (torch.no_grad())
            {
                return model.call(batch).argmax(1);
            }
        }

        public static long CountParameters() => new TinyEncoder(16, 32, 2, 4).parameters().Count();
    }
}
