using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>TORCH011 at run time, through <see cref="TorchMonitor.Backward"/> and <see cref="TorchMonitor.Step"/>.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class TorchMonitorGradientClearingTests
    {
        private static (nn.Module<Tensor, Tensor> Model, optim.Optimizer Optimizer, Tensor X, Tensor Y) Setup(double momentum = 0)
        {
            torch.manual_seed(3);
            var model = nn.Linear(4, 1);
            return (model, optim.SGD(model.parameters(), 0.05, momentum: momentum), torch.randn(16, 4), torch.randn(16, 1));
        }

        [Fact]
        public void LoopWithoutZeroGrad_ReportsNeverClearedOnce()
        {
            var (model, optimizer, x, y) = Setup();
            using var monitor = TorchMonitor.Collecting().Watch(optimizer, "opt");
            for (var i = 0; i < 4; i++)
            {
                monitor.Backward(nn.functional.mse_loss(model.call(x), y));
                monitor.Step(optimizer);
            }

            var finding = Assert.Single(monitor.Findings);
            Assert.Equal(MonitorRules.GradientsNotCleared, finding.Id);
            Assert.StartsWith("'opt.step()' uses gradients that still hold those of its previous step", finding.Message);
            Assert.EndsWith("call opt.zero_grad() at the start of each iteration", finding.Message);
        }

        [Fact]
        public void ZeroGradAtStartOrEnd_IsClean()
        {
            var (model, optimizer, x, y) = Setup();
            using var monitor = TorchMonitor.Collecting().Watch(optimizer, "opt");
            for (var i = 0; i < 4; i++)
            {
                if (i % 2 == 0)
                {
                    optimizer.zero_grad();
                }

                monitor.Backward(nn.functional.mse_loss(model.call(x), y));
                monitor.Step(optimizer);
                if (i % 2 == 0)
                {
                    model.zero_grad();
                }
            }

            Assert.Empty(monitor.Findings);
        }

        [Fact]
        public void ZeroGradBetweenBackwardAndStep_ReportsClearedBeforeStep()
        {
            var (model, optimizer, x, y) = Setup(momentum: 0.9);
            using var monitor = TorchMonitor.Collecting().Watch(optimizer, "opt");
            monitor.Backward(nn.functional.mse_loss(model.call(x), y));
            model.zero_grad();
            monitor.Step(optimizer);

            var finding = Assert.Single(monitor.Findings);
            Assert.Equal("'opt.step()' runs on gradients that zero_grad() cleared after the backward() that computed them: that backward() is thrown away; call zero_grad() before backward() or after step(), not between them", finding.Message);
        }

        [Fact]
        public void AccumulationOverSeveralBackwardsThenOneStep_IsClean()
        {
            var (model, optimizer, x, y) = Setup();
            using var monitor = TorchMonitor.Collecting().Watch(optimizer, "opt");
            for (var i = 0; i < 8; i++)
            {
                monitor.Backward(nn.functional.mse_loss(model.call(x), y) / 4);
                if ((i + 1) % 4 == 0)
                {
                    monitor.Step(optimizer);
                    optimizer.zero_grad();
                }
            }

            Assert.Empty(monitor.Findings);
        }

        [Fact]
        public void UnwatchedOptimizer_IsFollowedFromItsFirstStep()
        {
            var (model, optimizer, x, y) = Setup();
            using var monitor = TorchMonitor.Collecting();
            for (var i = 0; i < 3; i++)
            {
                monitor.Backward(nn.functional.mse_loss(model.call(x), y));
                monitor.Step(optimizer);
            }

            Assert.Equal("'optimizer.step()'", monitor.Findings.Single().Message.Substring(0, 18));
        }
    }
}
