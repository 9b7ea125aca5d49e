using System;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class InferenceScopeTests
    {
        private static readonly bool[] AllTraining = { true, true, true, true };
        private static readonly bool[] AllEval = { false, false, false, false };

        [Fact]
        public void SetsEvalOnTheModuleAndEveryChildAndDisablesGrad()
        {
            var model = new SmallModel();

            using (model.Root.inference())
            {
                Assert.Equal(AllEval, model.Flags);
                Assert.False(torch.is_grad_enabled());
                Assert.False(torch.is_inference_mode_enabled());
                Assert.False(model.Root.call(SmallModel.Batch()).requires_grad);
            }

            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void DisposeRestoresEachModulesOwnFlagIncludingAChildAlreadyInEval()
        {
            var model = new SmallModel();
            model.Dropout.eval();
            var before = new[] { true, true, true, false };
            Assert.Equal(before, model.Flags);

            using (model.Root.inference())
            {
                Assert.Equal(AllEval, model.Flags);
            }

            // A plain Root.train() would have put the Dropout back into training too.
            Assert.Equal(before, model.Flags);
            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void DisposeRestoresATrainingChildUnderAParentInEval()
        {
            var model = new SmallModel();
            model.Root.eval();
            model.BatchNorm.train();
            var before = new[] { false, false, true, false };
            Assert.Equal(before, model.Flags);

            using (model.Root.inference())
            {
                Assert.Equal(AllEval, model.Flags);
            }

            Assert.Equal(before, model.Flags);
        }

        [Fact]
        public void RestoresWhenAnExceptionEscapesTheUsingBody()
        {
            var model = new SmallModel();
            model.Dropout.eval();
            var before = model.Flags;

            Action body = () =>
            {
                using (model.Root.inference())
                {
                    Assert.False(torch.is_grad_enabled());
                    throw new InvalidOperationException("failure inside the inference region");
                }
            };

            Assert.Throws<InvalidOperationException>(body);

            Assert.Equal(before, model.Flags);
            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void NestedScopesEachRestoreTheStateTheyFound()
        {
            var model = new SmallModel();

            using (model.Root.inference())
            {
                using (model.BatchNorm.inference(useInferenceMode: true))
                {
                    Assert.Equal(AllEval, model.Flags);
                    Assert.True(torch.is_inference_mode_enabled());
                    Assert.False(torch.is_grad_enabled());
                }

                // Back to the outer scope's state, not to the state before the outer scope.
                Assert.Equal(AllEval, model.Flags);
                Assert.False(torch.is_inference_mode_enabled());
                Assert.False(torch.is_grad_enabled());

                using (model.Root.inference())
                {
                    Assert.Equal(AllEval, model.Flags);
                }

                Assert.Equal(AllEval, model.Flags);
                Assert.False(torch.is_grad_enabled());
            }

            Assert.Equal(AllTraining, model.Flags);
            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void InferenceModeVariantEntersAndLeavesInferenceMode()
        {
            var model = new SmallModel();
            Assert.False(torch.is_inference_mode_enabled());

            using (model.Root.inference(useInferenceMode: true))
            {
                Assert.True(torch.is_inference_mode_enabled());
                Assert.False(torch.is_grad_enabled());
                Assert.Equal(AllEval, model.Flags);
                Assert.False(model.Root.call(SmallModel.Batch()).requires_grad);
            }

            Assert.False(torch.is_inference_mode_enabled());
            Assert.True(torch.is_grad_enabled());
            Assert.Equal(AllTraining, model.Flags);
        }

        [Fact]
        public void AForwardInsideTheScopeLeavesBatchNormRunningMeanUnchanged()
        {
            var model = new SmallModel();

            // Control: in training mode a forward pass updates the running statistics
            // (docs/architecture.md, "Measured facts").
            var initial = model.BatchNorm.running_mean!.clone();
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
            }

            Assert.False(Tensors.Identical(initial, model.BatchNorm.running_mean!));

            var beforeScope = model.BatchNorm.running_mean!.clone();
            using (model.Root.inference())
            {
                model.Root.call(SmallModel.Batch());
            }

            Assert.True(Tensors.Identical(beforeScope, model.BatchNorm.running_mean!));
        }

        [Fact]
        public void TwoForwardPassesThroughDropoutAreEqualInsideTheScope()
        {
            var model = new SmallModel();
            var input = SmallModel.Batch();

            // Control: in training mode Dropout makes two passes differ.
            using (torch.no_grad())
            {
                var first = model.Root.call(input);
                var second = model.Root.call(input);
                Assert.False(Tensors.Identical(first, second));
            }

            using (model.Root.inference())
            {
                var first = model.Root.call(input);
                var second = model.Root.call(input);
                Assert.True(Tensors.Identical(first, second));
            }
        }

        [Fact]
        public void DisposingTwiceDoesNothingTheSecondTime()
        {
            var model = new SmallModel();
            var scope = model.Root.inference();
            scope.Dispose();
            Assert.Equal(AllTraining, model.Flags);
            Assert.True(torch.is_grad_enabled());

            // A second Dispose must neither restore flags nor pop a grad mode it no longer owns.
            model.Root.eval();
            using (torch.no_grad())
            {
                scope.Dispose();
                Assert.Equal(AllEval, model.Flags);
                Assert.False(torch.is_grad_enabled());
            }

            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void RejectsANullModule()
        {
            nn.Module? module = null;
            Assert.Throws<ArgumentNullException>(() => module!.inference());
        }
    }
}
