using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// A <c>List&lt;Module&gt;</c> field used only to collect layers for <c>nn.Sequential(list)</c>: RegisterComponents()
    /// ignores the list, but registers the Sequential field, and the layers are the Sequential's submodules. TORCH008
    /// therefore does not report a collection that is handed to a module container (docs/rules/TORCH008.md).
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class StagingListRegistrationTests
    {
        [Fact]
        public void LayersOfAStagingListHandedToASequentialFieldAreReachedByParametersAndEval()
        {
            var model = new StagedThroughSequential();

            // Linear(4, 8) and Linear(8, 2): a weight and a bias each.
            Assert.Equal(4, model.parameters().Count());
            Assert.True(model.Dropout.training);

            model.eval();

            Assert.False(model.Dropout.training);
        }

        [Fact]
        public void LayersOfAListUsedOnlyByItselfAreNotReached()
        {
            var model = new ListOnly();

            Assert.Empty(model.parameters());

            model.eval();

            Assert.True(model.Dropout.training);
        }

        [Fact]
        public void LayersOfAStagingListHandedToASequentialThatIsNeverRegisteredAreNotReached()
        {
            var model = new StagedThroughLocalSequential();

            Assert.Empty(model.parameters());

            model.eval();

            Assert.True(model.Dropout.training);
        }

        private sealed class StagedThroughSequential : nn.Module<Tensor, Tensor>
        {
            private readonly List<nn.Module<Tensor, Tensor>> _layers = new List<nn.Module<Tensor, Tensor>>();
            private readonly Sequential _body;

            public StagedThroughSequential()
                : base(nameof(StagedThroughSequential))
            {
                _layers.Add(nn.Linear(4, 8));
                _layers.Add(nn.Dropout(0.5));
                _layers.Add(nn.Linear(8, 2));
                _body = nn.Sequential(_layers);
                RegisterComponents();
            }

            // Computed, with no backing field: RegisterComponents() must not register the Dropout on its own.
            public Dropout Dropout => (Dropout)_layers[1];

            public override Tensor forward(Tensor x) => _body.call(x);
        }

        private sealed class ListOnly : nn.Module<Tensor, Tensor>
        {
            private readonly List<nn.Module<Tensor, Tensor>> _layers = new List<nn.Module<Tensor, Tensor>>();

            public ListOnly()
                : base(nameof(ListOnly))
            {
                _layers.Add(nn.Linear(4, 8));
                _layers.Add(nn.Dropout(0.5));
                _layers.Add(nn.Linear(8, 2));
                RegisterComponents();
            }

            public Dropout Dropout => (Dropout)_layers[1];

            public override Tensor forward(Tensor x) => _layers.Aggregate(x, (y, layer) => layer.call(y));
        }

        private sealed class StagedThroughLocalSequential : nn.Module<Tensor, Tensor>
        {
            private readonly List<nn.Module<Tensor, Tensor>> _layers = new List<nn.Module<Tensor, Tensor>>();

            public StagedThroughLocalSequential()
                : base(nameof(StagedThroughLocalSequential))
            {
                _layers.Add(nn.Linear(4, 8));
                _layers.Add(nn.Dropout(0.5));
                _layers.Add(nn.Linear(8, 2));
                var body = nn.Sequential(_layers);
                RegisterComponents();
            }

            public Dropout Dropout => (Dropout)_layers[1];

            public override Tensor forward(Tensor x) => _layers.Aggregate(x, (y, layer) => layer.call(y));
        }
    }
}
