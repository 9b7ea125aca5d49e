using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Models
{
    /// <summary>A shared trunk with one head per task; the heads are held in a ModuleList so eval() and parameters() reach them.</summary>
    public sealed class MultiTaskModel : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _trunk;
        private readonly ModuleList<Linear> _heads;
        private readonly Dropout _dropout;

        public MultiTaskModel(long features, long hidden, IReadOnlyList<long> classesPerTask)
            : base(nameof(MultiTaskModel))
        {
            _trunk = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.BatchNorm1d(hidden));
            _heads = new ModuleList<Linear>(classesPerTask.Select(c => nn.Linear(hidden, c)).ToArray());
            _dropout = nn.Dropout(0.1);
            RegisterComponents();
        }

        /// <summary>The number of tasks.</summary>
        public int Tasks => _heads.Count;

        /// <summary>The shared trunk.</summary>
        public Sequential Trunk => _trunk;

        /// <summary>The logits of every task, concatenated along the last dimension.</summary>
        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var shared = _dropout.call(_trunk.call(x));
            var outputs = _heads.Select(h => h.call(shared)).ToArray();
            return torch.cat(outputs, 1).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A module that adds an optional adapter after construction and registers it by name.</summary>
    public sealed class AdaptedEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _base;
        private Linear? _adapter;

        public AdaptedEncoder(long features)
            : base(nameof(AdaptedEncoder))
        {
            _base = nn.Linear(features, features);
            RegisterComponents();
        }

        /// <summary>Adds a trainable adapter; registered by name, so eval(), train() and parameters() see it.</summary>
        public void AddAdapter(long features)
        {
            _adapter = nn.Linear(features, features);
            register_module("adapter", _adapter);
        }

        public override Tensor forward(Tensor x)
        {
            var y = _base.call(x);
            return _adapter is null ? y : y + _adapter.call(y);
        }
    }

    /// <summary>An encoder-decoder pair built from other modules of this project, all registered.</summary>
    public sealed class AutoEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _encoder;
        private readonly Sequential _decoder;

        public AutoEncoder(long features, long code)
            : base(nameof(AutoEncoder))
        {
            _encoder = nn.Sequential(nn.Linear(features, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, code));
            _decoder = nn.Sequential(nn.Linear(code, 128), nn.ReLU(), nn.Linear(128, features));
            RegisterComponents();
        }

        /// <summary>The code of an input.</summary>
        public Tensor Encode(Tensor x) => _encoder.call(x);

        public override Tensor forward(Tensor x) => _decoder.call(_encoder.call(x));
    }

    /// <summary>A base class that registers in its constructor; the derived class initializes its fields inline so they are registered too.</summary>
    public abstract class BackboneBase : nn.Module<Tensor, Tensor>
    {
        protected BackboneBase(string name)
            : base(name)
        {
            RegisterComponents();
        }
    }

    /// <summary>Fields with initializers run before the base constructor's RegisterComponents(), so they are registered.</summary>
    public sealed class SmallBackbone : BackboneBase
    {
        private readonly Linear _fc = nn.Linear(32, 32);
        private readonly Dropout _dropout = nn.Dropout(0.1);

        public SmallBackbone()
            : base(nameof(SmallBackbone))
        {
        }

        public override Tensor forward(Tensor x) => _dropout.call(nn.functional.relu(_fc.call(x)));
    }
}
