using Xunit;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// <c>using (_ = torch.no_grad())</c>: the resource of a using statement is the value of its expression, and the
    /// value of a discard assignment is the assigned object, so the statement disposes the scope. TORCH006 relies on
    /// this to stay silent there (docs/rules/TORCH006.md, "When it stays silent").
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class DiscardUsingScopeTests
    {
        [Fact]
        public void AUsingStatementOverADiscardedInferenceModeLeavesInferenceModeAtItsEnd()
        {
            Assert.False(torch.is_inference_mode_enabled());

            using (_ = torch.inference_mode())
            {
                Assert.True(torch.is_inference_mode_enabled());
                Assert.False(torch.is_grad_enabled());
            }

            Assert.False(torch.is_inference_mode_enabled());
            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void AUsingStatementOverADiscardedGradSwitchTurnsAutogradBackOnAtItsEnd()
        {
            using (_ = torch.no_grad())
            {
                Assert.False(torch.is_grad_enabled());
            }

            Assert.True(torch.is_grad_enabled());

            using (_ = torch.set_grad_enabled(false))
            {
                Assert.False(torch.is_grad_enabled());
            }

            Assert.True(torch.is_grad_enabled());

            using (_ = torch.enable_grad(false))
            {
                Assert.False(torch.is_grad_enabled());
            }

            Assert.True(torch.is_grad_enabled());
        }

        [Fact]
        public void ADiscardOutsideAUsingStatementLeavesAutogradOff()
        {
            try
            {
                _ = torch.no_grad();
                Assert.False(torch.is_grad_enabled());
            }
            finally
            {
                torch.set_grad_enabled(true);
            }
        }
    }
}
