using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>TORCH009 at run time: an async method suspended inside a grad-mode scope, seen by an <see cref="TorchMonitor.AsyncRegion"/>.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class TorchMonitorAsyncTests
    {
        /// <summary>Runs <paramref name="body"/> on a fresh thread without a synchronization context and waits for it.</summary>
        private static (MonitorFinding[] Findings, Exception? Error) OnFreshThread(Func<TorchMonitor, Task> body, MonitorMode mode = MonitorMode.Collect)
        {
            MonitorFinding[] findings = Array.Empty<MonitorFinding>();
            Exception? error = null;
            var thread = new Thread(() =>
            {
                var monitor = new TorchMonitor(mode, mode == MonitorMode.Log ? _ => { } : null);
                try
                {
                    body(monitor).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    error = e;
                }

                findings = monitor.Findings.Where(f => f.Id == "TORCH009").ToArray();
                torch.set_grad_enabled(true);
                monitor.Dispose();
            });
            thread.Start();
            thread.Join();
            return (findings, error);
        }

        private static readonly Tensor Weight = torch.ones(4, requires_grad: true);

        [Fact]
        public void AwaitInsideNoGrad_IsReportedWithTheThreadItResumedOn()
        {
            var recorded = false;
            var (findings, error) = OnFreshThread(async monitor =>
            {
                using var region = monitor.AsyncRegion("predict");
                using (torch.no_grad())
                {
                    await Task.Delay(5);
                    recorded = (Weight * 2).requires_grad;
                }
            });

            Assert.Null(error);
            Assert.True(recorded);
            var finding = Assert.Single(findings);
            Assert.Equal(
                "'await' inside a grad-disabled scope (async region 'predict'): grad mode is per thread, so the code after it resumed on another thread with autograd recording, and the thread that opened the scope kept autograd off; end the scope before the await and reopen it after",
                finding.Message);
        }

        [Fact]
        public void AwaitInsideInferenceMode_IsReported()
        {
            var (findings, _) = OnFreshThread(async monitor =>
            {
                using var region = monitor.AsyncRegion("infer");
                using (torch.inference_mode())
                {
                    await Task.Yield();
                }
            });

            var finding = Assert.Single(findings);
            Assert.StartsWith("'await' inside an inference_mode scope (async region 'infer'): grad mode is per thread, so the code after it resumed on another thread with autograd recording, and the thread that opened the scope stayed in inference mode", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ScopeEndedBeforeTheAwait_IsSilent()
        {
            var (findings, error) = OnFreshThread(async monitor =>
            {
                using var region = monitor.AsyncRegion("predict");
                using (torch.no_grad())
                {
                    _ = Weight * 2;
                }

                await Task.Delay(5);
                using (torch.no_grad())
                {
                    _ = Weight * 2;
                }
            });

            Assert.Null(error);
            Assert.Empty(findings);
        }

        [Fact]
        public void CompletedTaskInsideTheScope_IsSilent()
        {
            var (findings, _) = OnFreshThread(async monitor =>
            {
                using var region = monitor.AsyncRegion("predict");
                using (torch.no_grad())
                {
                    await Task.CompletedTask;
                    await Task.FromResult(1);
                }

                await Task.Delay(5);
            });

            Assert.Empty(findings);
        }

        [Fact]
        public void ThrowMode_TheRegionsDisposeThrows()
        {
            var (findings, error) = OnFreshThread(
                async monitor =>
                {
                    using var region = monitor.AsyncRegion("predict");
                    using (torch.no_grad())
                    {
                        await Task.Delay(5);
                    }
                },
                MonitorMode.Throw);

            Assert.Single(findings);
            var thrown = Assert.IsType<MonitorException>(error);
            Assert.Equal("TORCH009", thrown.Finding.Id);
        }
    }
}
