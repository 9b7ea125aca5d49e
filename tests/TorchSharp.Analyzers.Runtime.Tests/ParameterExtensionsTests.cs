using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class ParameterExtensionsTests
    {
        private static readonly string[] AllNames = { "0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias" };

        private static TorchSharp.Modules.Sequential Model()
        {
            torch.manual_seed(7);
            return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 2));
        }

        [Fact]
        public void TrainableParametersListsOnlyRequiresGradInOrderAndIsMaterialized()
        {
            var model = Model();
            Assert.Equal(6, model.trainable_parameters().Count);

            model.freeze(name => name.StartsWith("0.", System.StringComparison.Ordinal));
            var trainable = model.trainable_parameters();
            var expected = model.parameters().Skip(2).ToList();
            Assert.Equal(expected.Count, trainable.Count);
            Assert.True(expected.Zip(trainable).All(pair => ReferenceEquals(pair.First, pair.Second)));

            // Materialized: unfreezing later does not change the list already handed out.
            model.unfreeze();
            Assert.Equal(4, trainable.Count);
        }

        [Fact]
        public void NamedTrainableParametersCarriesNamesAndRecurseFalseSeesOnlyOwnParameters()
        {
            var model = Model();
            model.freeze(name => name == "2.bias");
            var named = model.named_trainable_parameters();
            Assert.Equal(AllNames.Take(5), named.Select(n => n.name));
            Assert.All(named, n => Assert.True(n.parameter.requires_grad));

            Assert.Empty(model.named_trainable_parameters(recurse: false));
            Assert.Empty(model.trainable_parameters(recurse: false));
        }

        [Fact]
        public void FreezeReturnsOnlyTheNamesItChanged()
        {
            var model = Model();
            var first = model.freeze(name => !name.StartsWith("2.", System.StringComparison.Ordinal));
            Assert.Equal(AllNames.Take(4), first);
            Assert.All(model.named_parameters(), p => Assert.Equal(p.name.StartsWith("2.", System.StringComparison.Ordinal), p.parameter.requires_grad));

            // Already frozen ones are not reported again; the newly selected one is.
            var second = model.freeze(name => name != "2.weight");
            Assert.Equal(new[] { "2.bias" }, second);
        }

        [Fact]
        public void UnfreezeReturnsOnlyTheNamesItChangedAndNullPredicateSelectsAll()
        {
            var model = Model();
            Assert.Empty(model.unfreeze());
            Assert.Equal(AllNames, model.freeze());
            Assert.Equal(new[] { "1.weight", "1.bias" }, model.unfreeze(name => name.StartsWith("1.", System.StringComparison.Ordinal)));
            Assert.Equal(new[] { "1.weight", "1.bias" }, model.named_trainable_parameters().Select(n => n.name));
            Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, model.unfreeze());
        }

        [Fact]
        public void AnOptimizerOverTrainableParametersHoldsNoFrozenOneAndLeavesFrozenWeightsUnchanged()
        {
            var model = Model();
            model.freeze(name => !name.StartsWith("2.", System.StringComparison.Ordinal));
            var frozenBefore = model.parameters().First().detach().clone();
            var optimizer = optim.SGD(model.trainable_parameters(), 0.1);
            Assert.All(optimizer.parameters(), p => Assert.True(p.requires_grad));

            var loss = model.call(torch.randn(16, 4)).sum();
            loss.backward();
            optimizer.step();

            Assert.True(Tensors.Identical(frozenBefore, model.parameters().First()));
        }

        [Fact]
        public void HelpersRejectANullModule()
        {
            Assert.Throws<System.ArgumentNullException>(() => ParameterExtensions.trainable_parameters(null!));
            Assert.Throws<System.ArgumentNullException>(() => ParameterExtensions.named_trainable_parameters(null!));
            Assert.Throws<System.ArgumentNullException>(() => ParameterExtensions.freeze(null!));
            Assert.Throws<System.ArgumentNullException>(() => ParameterExtensions.unfreeze(null!));
        }
    }
}
