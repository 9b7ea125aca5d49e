using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>TORCH011 negatives: correct training loops, accumulation, and everything the flow cannot prove.</summary>
    public class GradientsNotClearedSilenceTests
    {
        [Fact]
        public Task ZeroGradAtTheStartOfTheIteration_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task ZeroGradAfterTheStep_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        var i = 0;
        while (i++ < steps)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            optimizer.zero_grad();
        }
    }"));

        [Fact]
        public Task ModuleZeroGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        foreach (var _ in Enumerable.Range(0, steps))
        {
            model.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task AccumulationEveryKIterations_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int k)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            (nn.functional.mse_loss(model.call(xs[i]), ys[i]) / k).backward();
            if ((i + 1) % k == 0)
            {
                optimizer.step();
                optimizer.zero_grad();
            }
        }
    }"));

        [Fact]
        public Task AccumulationWithTwoTestsOfOneCondition_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int k)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
            if ((i + 1) % k == 0)
            {
                optimizer.step();
            }

            Console.WriteLine(i);
            if ((i + 1) % k == 0)
            {
                optimizer.zero_grad();
            }
        }
    }"));

        [Fact]
        public Task ZeroGradBeforeTheLoopAndOneStepAfterIt_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys)
    {
        optimizer.zero_grad();
        for (var i = 0; i < xs.Length; i++)
        {
            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
        }

        optimizer.step();
    }"));

        [Fact]
        public Task OneStepPerCallHelper_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void TrainStep(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }

    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            optimizer.zero_grad();
            TrainStep(model, optimizer, x, y);
        }
    }"));

        [Fact]
        public Task ZeroGradInAHelperMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private optim.Optimizer _optimizer;
    void Reset() => ClearGradients();
    void ClearGradients() => _optimizer.zero_grad();

    void Fit(Net model, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            Reset();
            nn.functional.mse_loss(model.call(x), y).backward();
            _optimizer.step();
        }
    }"));

        [Fact]
        public Task ZeroGradInALocalFunction_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            Clear();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }

        void Clear() => optimizer.zero_grad();
    }"));

        [Fact]
        public Task ZeroGradThroughADelegate_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, Action beforeStep)
    {
        for (var i = 0; i < 10; i++)
        {
            beforeStep();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task OptimizerHandedToUnknownCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, IProgress<optim.Optimizer> progress)
    {
        for (var i = 0; i < 10; i++)
        {
            progress.Report(optimizer);
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task GanWithEachOptimizerZeroed_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net generator, Net discriminator, Tensor noise, Tensor real, int steps)
    {
        var optG = optim.Adam(generator.parameters());
        var optD = optim.Adam(discriminator.parameters());
        for (var i = 0; i < steps; i++)
        {
            optD.zero_grad();
            var fake = generator.call(noise);
            (discriminator.call(real).mean() - discriminator.call(fake.detach()).mean()).backward();
            optD.step();
            optG.zero_grad();
            (-discriminator.call(fake).mean()).backward();
            optG.step();
        }
    }"));

        [Fact]
        public Task GanWithModulesZeroed_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net generator, Net discriminator, optim.Optimizer optG, optim.Optimizer optD, Tensor noise, Tensor real, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            discriminator.zero_grad();
            var fake = generator.call(noise);
            (discriminator.call(real).mean() - discriminator.call(fake.detach()).mean()).backward();
            optD.step();
            generator.zero_grad();
            (-discriminator.call(fake).mean()).backward();
            optG.step();
        }
    }"));

        [Fact]
        public Task LbfgsClosureThatZeroes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y)
    {
        var optimizer = optim.LBFGS(model.parameters());
        for (var i = 0; i < 10; i++)
        {
            optimizer.step(() =>
            {
                optimizer.zero_grad();
                var loss = nn.functional.mse_loss(model.call(x), y);
                loss.backward();
                return loss;
            });
        }
    }"));

        [Fact]
        public Task ZeroGradInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            try
            {
                nn.functional.mse_loss(model.call(x), y).backward();
                optimizer.step();
            }
            finally
            {
                optimizer.zero_grad();
            }
        }
    }"));

        [Fact]
        public Task ContinueBeforeTheBackward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            optimizer.zero_grad();
            if (xs[i].shape[0] == 0)
            {
                continue;
            }

            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task BreakAfterTheStep_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        while (true)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (loss.item<float>() < 0.1f)
            {
                break;
            }
        }
    }"));

        [Fact]
        public Task GradientsZeroedByHand_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            foreach (var p in model.parameters())
            {
                p.grad?.zero_();
            }

            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task OptimizersInAList_AreNotFollowed()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, List<optim.Optimizer> optimizers, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizers[0].step();
        }
    }"));

        [Fact]
        public Task ModuleZeroGradBetweenWithUnknownRelation_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Net other, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            other.zero_grad();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task StepBeforeBackwardInTheIteration_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            if (i > 0)
            {
                optimizer.step();
            }

            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
        }
    }"));

        [Fact]
        public Task ProbeBackwardClearedThenTrainingBackward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            var probe = x.detach().requires_grad_(true);
            nn.functional.mse_loss(model.call(probe), y).backward();
            var adversarial = (probe + 0.03 * probe.grad.sign()).detach();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(adversarial), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task AccumulationWindowClearedAtItsStart_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int k)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            if (i % k == 0)
            {
                optimizer.zero_grad();
            }

            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
            if ((i + 1) % k == 0)
            {
                optimizer.step();
            }
        }
    }"));
    }
}
