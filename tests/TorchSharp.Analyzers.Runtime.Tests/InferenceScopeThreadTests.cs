using System.Threading;
using Xunit;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class InferenceScopeThreadTests
    {
        [Fact]
        public void GradModeIsPerThreadAScopeOnOneThreadLeavesAnotherThreadsGradModeAlone()
        {
            var model = new SmallModel();
            bool? otherThreadGrad = null;
            bool? otherThreadInference = null;

            using (model.Root.inference(useInferenceMode: true))
            {
                Assert.False(torch.is_grad_enabled());
                var thread = new Thread(() =>
                {
                    otherThreadGrad = torch.is_grad_enabled();
                    otherThreadInference = torch.is_inference_mode_enabled();
                });
                thread.Start();
                thread.Join();
            }

            Assert.True(otherThreadGrad);
            Assert.False(otherThreadInference);
            Assert.True(torch.is_grad_enabled());
        }
    }
}
