using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class TorchMonitorTests
    {
        private static string[] Ids(TorchMonitor monitor)
        {
            monitor.Flush();
            return monitor.Findings.Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        }

        [Fact]
        public void Torch001ForwardInTrainingModeInsideNoGradIsReportedOnceForTheOutermostModule()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
                model.Root.call(SmallModel.Batch());
            }

            var finding = Assert.Single(monitor.Findings);
            Assert.Equal("TORCH001", finding.Id);
            Assert.Equal("model", finding.Module);
            Assert.StartsWith("'model' is used for inference while it may be in training mode (it runs in training mode inside a grad-disabled scope; in training mode: 'model.batchnorm', 'model.dropout')", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Torch001NotReportedAfterEvalNorForAModuleWithoutModeDependentLayers()
        {
            var model = new SmallModel();
            var plain = nn.Sequential(nn.Linear(4, 4), nn.ReLU());
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model").Attach(plain, "plain");
            model.Root.eval();
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
                plain.call(SmallModel.Batch());
            }

            Assert.Empty(Ids(monitor));
        }

        [Fact]
        public void Torch001InsideInferenceModeAndForADirectlyCalledSubmodule()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            using (torch.inference_mode())
            {
                model.Dropout.call(torch.ones(2, 8));
            }

            var finding = Assert.Single(monitor.Findings);
            Assert.Equal("model.dropout", finding.Module);
            Assert.Contains("inside an inference_mode scope", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Torch002EvalForwardWithGradAndNoBackwardIsReportedAtTheNextForward()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            model.Root.eval();
            model.Root.call(SmallModel.Batch());
            Assert.Empty(monitor.Findings);
            model.Root.call(SmallModel.Batch());
            var finding = Assert.Single(monitor.Findings);
            Assert.Equal("TORCH002", finding.Id);
            Assert.Equal(
                "'model' runs inference with autograd recording (it ran in eval mode with autograd on, and no backward() used the graph): every activation is kept for a backward pass that never comes; wrap it in 'using (torch.no_grad())'",
                finding.Message);
        }

        [Fact]
        public void Torch002NotReportedUnderNoGradOrWhenABackwardUsesTheGraph()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            model.Root.eval();
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
            }

            // Saliency: eval mode, gradient with respect to the input.
            var input = SmallModel.Batch().requires_grad_(true);
            model.Root.call(input).sum().backward();
            Assert.NotNull(input.grad);
            Assert.DoesNotContain("TORCH002", Ids(monitor));
        }

        [Fact]
        public void Torch003OptimizerOverFrozenParametersSomeAndAll()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            model.Root.freeze(name => name.StartsWith("linear.", StringComparison.Ordinal));
            monitor.Watch(optim.Adam(model.Root.parameters()), "adam");
            monitor.Watch(optim.SGD(model.Root.trainable_parameters(), 0.1), "sgd");
            model.Root.freeze();
            monitor.Watch(optim.SGD(model.Root.parameters(), 0.1), "all");

            var messages = monitor.Findings.Select(f => f.Id + " " + f.Message).ToArray();
            Assert.Equal(2, messages.Length);
            Assert.Equal("TORCH003 'adam' is built over the parameters of 'model', some of which are frozen (2 of 4 parameters): TorchSharp keeps optimizer state for every parameter it is given (measured +264 MB against +8 MB); pass only the trainable ones", messages[0]);
            Assert.Equal("TORCH003 'all' is built over the parameters of 'model', all of which are frozen (4 parameters): it will train nothing", messages[1]);
        }

        [Fact]
        public void Torch004UnfrozenAfterAMaterializedAndALazyOptimizer()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            model.Root.freeze(name => name.StartsWith("linear.", StringComparison.Ordinal));
            monitor.Watch(optim.SGD(model.Root.trainable_parameters(), 0.1), "fixedList");
            monitor.Watch(optim.SGD(model.Root.parameters().Where(p => p.requires_grad), 0.1), "lazy");
            monitor.Watch(optim.SGD(model.Root.parameters(), 0.1), "everything");
            Assert.Single(monitor.Findings); // TORCH003 for 'everything'
            model.Root.unfreeze();
            monitor.Flush();

            var torch004 = monitor.Findings.Where(f => f.Id == "TORCH004").Select(f => f.Message).ToArray();
            Assert.Equal(2, torch004.Length);
            Assert.Contains("optimizer 'fixedList' (line ", torch004[0], StringComparison.Ordinal);
            Assert.Contains("the list it was given is fixed, so the unfrozen parameters are never updated", torch004[0], StringComparison.Ordinal);
            Assert.Contains("optimizer 'lazy'", torch004[1], StringComparison.Ordinal);
            Assert.Contains("throws KeyNotFoundException", torch004[1], StringComparison.Ordinal);
        }

        [Fact]
        public void Torch005BackwardThroughAnEvalForwardOfAModuleWithDropout()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            var optimizer = optim.SGD(model.Root.parameters(), 0.01);
            monitor.Watch(optimizer);
            model.Root.eval();
            model.Root.call(SmallModel.Batch()).sum().backward();
            monitor.Step(optimizer);
            Assert.Equal(new[] { "TORCH005" }, Ids(monitor));
            Assert.StartsWith("'model' computes a loss for a training step while it may be in eval mode (backward() ran through a forward pass made in eval mode)", monitor.Findings[0].Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Torch005NotReportedInTrainingMode()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            var optimizer = optim.SGD(model.Root.parameters(), 0.01);
            model.Root.call(SmallModel.Batch()).sum().backward();
            optimizer.step();
            Assert.Empty(Ids(monitor));
        }

        [Fact]
        public void Torch006RegionLeftWithGradDisabledAndMonitorDisposeChecksToo()
        {
            var ids = new List<string>();
            var messages = new List<string>();
            RunOnOwnThread(() =>
            {
                var monitor = TorchMonitor.Collecting();
                using (monitor.Region("setup"))
                {
                    torch.no_grad();
                }

                monitor.Dispose();
                ids.AddRange(monitor.Findings.Select(f => f.Id));
                messages.AddRange(monitor.Findings.Select(f => f.Message));
            });

            Assert.Equal(new[] { "TORCH006", "TORCH006" }, ids);
            Assert.Equal("The scope returned by 'torch.no_grad()' is not disposed when region 'setup' ends, so autograd stays off and backward() throws for the rest of the thread", messages[0]);
            Assert.Equal("The scope returned by 'torch.no_grad()' is not disposed when the monitored run ends, so autograd stays off and backward() throws for the rest of the thread", messages[1]);
        }

        [Fact]
        public void Torch006InferenceModeLeftOnAndNothingWhenScopesAreDisposed()
        {
            var messages = new List<string>();
            RunOnOwnThread(() =>
            {
                using var monitor = TorchMonitor.Collecting();
                using (monitor.Region("clean"))
                {
                    using (torch.no_grad())
                    {
                    }
                }

                using (monitor.Region("leaky"))
                {
                    torch.inference_mode();
                }

                messages.AddRange(monitor.Findings.Select(f => f.Message));
            });

            Assert.Equal(new[] { "The scope returned by 'torch.inference_mode()' is not disposed when region 'leaky' ends, so the thread stays in inference mode and backward() throws for the rest of the thread" }, messages);
        }

        [Fact]
        public void Torch007FailedBackwardUnderNoGradIsSeenAndTheBackwardWrapperChecksFirst()
        {
            var model = new SmallModel();
            using var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            using (torch.no_grad())
            {
                var loss = model.Root.call(SmallModel.Batch()).sum();
                Assert.ThrowsAny<Exception>(() => loss.backward());
            }

            Assert.Contains(monitor.Findings, f => f.Id == "TORCH007" && f.Message == "backward() runs inside a grad-disabled scope: nothing was recorded, so it throws 'element 0 of tensors does not require grad and does not have a grad_fn'");

            var throwing = TorchMonitor.Throwing();
            var lossWithGraph = model.Root.call(SmallModel.Batch()).sum();
            using (torch.no_grad())
            {
                var error = Assert.Throws<MonitorException>(() => throwing.Backward(lossWithGraph));
                Assert.Equal("TORCH007", error.Finding.Id);
            }

            throwing.Dispose();
        }

        [Fact]
        public void Torch008UnregisteredFieldAndListButNotRegisteredOrStatelessOnes()
        {
            var net = new PartlyRegistered();
            using var monitor = TorchMonitor.Collecting().Attach(net, "net");
            var messages = monitor.Findings.Select(f => f.Id + " " + f.Message).OrderBy(m => m, StringComparer.Ordinal).ToArray();
            Assert.Equal(
                new[]
                {
                    "TORCH008 'Late' is not registered as a submodule of 'PartlyRegistered' (it is not among the registered children: RegisterComponents() did not see it and no register_module() named it): eval(), train() and parameters() do not reach it",
                    "TORCH008 'drops' is not registered as a submodule of 'PartlyRegistered' (a List<Dropout> is never registered; use ModuleList<Dropout>): eval(), train() and parameters() do not reach it",
                },
                messages);
        }

        [Fact]
        public void Torch008ChildRegisteredByItsParentIsCompleteButTheSameClassAsRootIsNot()
        {
            // register_module (here through the parent's RegisterComponents()) calls the child's RegisterComponents().
            var parent = new RegisteringParent();
            using (var monitor = TorchMonitor.Collecting().Attach(parent, "parent"))
            {
                Assert.Empty(monitor.Findings);
                Assert.Equal(2, parent.parameters().Count());
            }

            var root = new SilentChild();
            using (var monitor = TorchMonitor.Collecting().Attach(root, "child"))
            {
                Assert.Equal(
                    new[] { "TORCH008 'drop'", "TORCH008 'fc'" },
                    monitor.Findings.Select(f => f.Id + " " + f.Message.Substring(0, f.Message.IndexOf(" is not", StringComparison.Ordinal))).OrderBy(m => m, StringComparer.Ordinal).ToArray());
                Assert.Empty(root.parameters());
            }
        }

        [Fact]
        public void Torch008ModuleHeldByAnUnregisteredFieldIsCheckedToo()
        {
            var holder = new NonRegisteringHolder();
            using var monitor = TorchMonitor.Collecting().Attach(holder, "holder");
            var messages = monitor.Findings.Select(f => f.Message.Substring(0, f.Message.IndexOf(" (", StringComparison.Ordinal))).OrderBy(m => m, StringComparer.Ordinal).ToArray();
            Assert.Equal(
                new[]
                {
                    "'child' is not registered as a submodule of 'NonRegisteringHolder'",
                    "'drop' is not registered as a submodule of 'SilentChild'",
                    "'fc' is not registered as a submodule of 'SilentChild'",
                },
                messages);
        }

        [Fact]
        public void Torch008AModuleFirstSeenThroughAnUnregisteredFieldIsHookedWhenAttachedLater()
        {
            var holder = new HolderOfARegisteringChild();
            using var monitor = TorchMonitor.Collecting().Attach(holder, "holder").Attach(holder.Child, "child");
            Assert.Equal(new[] { "TORCH008" }, monitor.Findings.Select(f => f.Id).ToArray());
            using (torch.no_grad())
            {
                holder.Child.call(torch.randn(2, 4));
            }

            Assert.Contains(monitor.Findings, f => f.Id == "TORCH001");
        }

        [Fact]
        public void LogModeWritesEachFindingOnceAndThrowModeThrowsFromTheForwardPass()
        {
            var model = new SmallModel();
            var log = new List<string>();
            using (var monitor = TorchMonitor.Logging(log.Add).Attach(model.Root, "model"))
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
                model.Root.call(SmallModel.Batch());
            }

            Assert.Single(log);
            Assert.StartsWith("TORCH001: 'model' is used for inference", log[0], StringComparison.Ordinal);

            using var throwing = TorchMonitor.Throwing().Attach(model.Root, "model");
            using (torch.no_grad())
            {
                var error = Assert.Throws<MonitorException>(() => model.Root.call(SmallModel.Batch()));
                Assert.Equal("TORCH001", error.Finding.Id);
            }

            Assert.Throws<ArgumentNullException>(() => new TorchMonitor(MonitorMode.Log));
        }

        [Fact]
        public void DisposeRemovesTheHooks()
        {
            var model = new SmallModel();
            var monitor = TorchMonitor.Collecting().Attach(model.Root, "model");
            monitor.Dispose();
            using (torch.no_grad())
            {
                model.Root.call(SmallModel.Batch());
            }

            Assert.Empty(monitor.Findings);
            Assert.Throws<ObjectDisposedException>(() => monitor.Attach(model.Root));
        }

        private static void RunOnOwnThread(Action action)
        {
            Exception? failure = null;
            var thread = new System.Threading.Thread(() =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            thread.Start();
            thread.Join();
            if (failure != null)
            {
                throw new InvalidOperationException("failure on the test thread", failure);
            }
        }

        private sealed class SilentChild : nn.Module<Tensor, Tensor>
        {
            private readonly Linear fc = nn.Linear(4, 4);
            private readonly Dropout drop = nn.Dropout(0.5);

            public SilentChild()
                : base(nameof(SilentChild))
            {
            }

            public override Tensor forward(Tensor input) => drop.call(fc.call(input));
        }

        private sealed class RegisteringParent : nn.Module<Tensor, Tensor>
        {
            private readonly SilentChild child = new SilentChild();

            public RegisteringParent()
                : base(nameof(RegisteringParent))
            {
                RegisterComponents();
            }

            public override Tensor forward(Tensor input) => child.call(input);
        }

        private sealed class NonRegisteringHolder : nn.Module<Tensor, Tensor>
        {
            private readonly SilentChild child = new SilentChild();

            public NonRegisteringHolder()
                : base(nameof(NonRegisteringHolder))
            {
            }

            public override Tensor forward(Tensor input) => child.call(input);
        }

        private sealed class RegisteringChild : nn.Module<Tensor, Tensor>
        {
            private readonly Linear fc = nn.Linear(4, 4);
            private readonly Dropout drop = nn.Dropout(0.5);

            public RegisteringChild()
                : base(nameof(RegisteringChild))
            {
                RegisterComponents();
            }

            public override Tensor forward(Tensor input) => drop.call(fc.call(input));
        }

        private sealed class HolderOfARegisteringChild : nn.Module<Tensor, Tensor>
        {
            public HolderOfARegisteringChild()
                : base(nameof(HolderOfARegisteringChild))
            {
                Child = new RegisteringChild();
            }

            public RegisteringChild Child { get; }

            public override Tensor forward(Tensor input) => Child.call(input);
        }

        private sealed class PartlyRegistered : nn.Module<Tensor, Tensor>
        {
            private readonly Linear fc = nn.Linear(4, 4);
            private readonly ReLU relu;
            private readonly List<Dropout> drops = new List<Dropout> { nn.Dropout(0.5) };

            public PartlyRegistered()
                : base(nameof(PartlyRegistered))
            {
                RegisterComponents();
                relu = nn.ReLU();
                Late = nn.Linear(4, 4);
            }

            public Linear Late { get; }

            public override Tensor forward(Tensor input) => Late.call(relu.call(drops[0].call(fc.call(input))));
        }
    }
}
