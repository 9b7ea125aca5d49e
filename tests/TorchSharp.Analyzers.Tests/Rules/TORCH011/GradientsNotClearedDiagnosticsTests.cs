using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>TORCH011 positives: steps that reuse the previous step's gradients, or run on gradients cleared after backward().</summary>
    public class GradientsNotClearedDiagnosticsTests
    {
        internal const string NeverWhat = "uses gradients that still hold those of its previous step: nothing calls zero_grad() between the two steps, and backward() adds to .grad";
        internal const string BetweenWhat = "runs on gradients that zero_grad() cleared after the backward() that computed them: that backward() is thrown away";
        internal const string BetweenFix = "call zero_grad() before backward() or after step(), not between them";

        internal static DiagnosticResult Never(int location, string optimizer = "optimizer")
            => Verify.Diagnostic(DiagnosticIds.GradientsNotCleared).WithLocation(location)
                .WithArguments(optimizer, NeverWhat, "call " + optimizer + ".zero_grad() at the start of each iteration");

        internal static DiagnosticResult Between(int location, string optimizer = "optimizer")
            => Verify.Diagnostic(DiagnosticIds.GradientsNotCleared).WithLocation(location).WithArguments(optimizer, BetweenWhat, BetweenFix);

        [Fact]
        public Task ForLoopWithoutZeroGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), 0.05);
        for (var i = 0; i < steps; i++)
        {
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task WhileLoopWithoutZeroGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        var step = 0;
        while (step++ < 100)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task ForeachOverBatchesWithoutZeroGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, IEnumerable<(Tensor X, Tensor Y)> batches)
    {
        foreach (var (x, y) in batches)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task DoWhileLoopWithFieldOptimizer_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    private optim.Optimizer _optimizer;
    void Fit(Tensor x, Tensor y)
    {
        _optimizer = optim.Adam(_model.parameters());
        var loss = 1.0;
        do
        {
            var l = nn.functional.mse_loss(_model.call(x), y);
            l.backward();
            {|#0:_optimizer.step()|};
            loss = l.item<float>();
        }
        while (loss > 0.1);
    }"), Never(0, "_optimizer"));

        [Fact]
        public Task NestedEpochAndBatchLoops_ReportsOnceAtTheStep()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int epochs)
    {
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var i = 0; i < xs.Length; i++)
            {
                nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
                {|#0:optimizer.step()|};
            }
        }
    }"), Never(0));

        [Fact]
        public Task ZeroGradOnlyInOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps, bool reset)
    {
        for (var i = 0; i < steps; i++)
        {
            if (reset)
            {
                optimizer.zero_grad();
            }

            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task ContinueSkipsTheZeroGradAtTheEnd_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            var loss = nn.functional.mse_loss(model.call(xs[i]), ys[i]);
            loss.backward();
            {|#0:optimizer.step()|};
            if (loss.item<float>() < 0.01f)
            {
                continue;
            }

            optimizer.zero_grad();
        }
    }"), Never(0));

        [Fact]
        public Task StraightLineTwoSteps_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void TwoSteps(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
        nn.functional.mse_loss(model.call(x), y).backward();
        {|#0:optimizer.step()|};
    }"), Never(0));

        [Fact]
        public Task GanWithTheDiscriminatorNeverZeroed_ReportsItsStepOnly()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net generator, Net discriminator, Tensor noise, Tensor real, int steps)
    {
        var optG = optim.Adam(generator.parameters());
        var optD = optim.Adam(discriminator.parameters());
        for (var i = 0; i < steps; i++)
        {
            var fake = generator.call(noise);
            var lossD = discriminator.call(real).mean() - discriminator.call(fake.detach()).mean();
            lossD.backward();
            {|#0:optD.step()|};
            optG.zero_grad();
            var lossG = -discriminator.call(fake).mean();
            lossG.backward();
            optG.step();
        }
    }"), Never(0, "optD"));

        [Fact]
        public Task StepInsideTryWithoutZeroGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            try
            {
                nn.functional.mse_loss(model.call(x), y).backward();
                {|#0:optimizer.step()|};
            }
            finally
            {
                Console.WriteLine(i);
            }
        }
    }"), Never(0));

        [Fact]
        public Task LoopInALambda_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Action Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
        => () =>
        {
            for (var i = 0; i < 10; i++)
            {
                nn.functional.mse_loss(model.call(x), y).backward();
                {|#0:optimizer.step()|};
            }
        };"), Never(0));

        [Fact]
        public Task LoopInALocalFunction_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y)
    {
        var optimizer = optim.SGD(model.parameters(), 0.1);
        Run(10);

        void Run(int steps)
        {
            for (var i = 0; i < steps; i++)
            {
                nn.functional.mse_loss(model.call(x), y).backward();
                {|#0:optimizer.step()|};
            }
        }
    }"), Never(0));

        [Fact]
        public Task RetainGraphBackwardsWithoutZeroGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward(retain_graph: true);
            (loss * 2).backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task AliasOfTheOptimizerZeroedInsteadOfAnother_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net a, Net b, Tensor x, Tensor y, int steps)
    {
        var first = optim.SGD(a.parameters(), 0.1);
        var second = optim.SGD(b.parameters(), 0.1);
        for (var i = 0; i < steps; i++)
        {
            first.zero_grad();
            (nn.functional.mse_loss(a.call(x), y) + nn.functional.mse_loss(b.call(x), y)).backward();
            first.step();
            {|#0:second.step()|};
        }
    }"), Never(0, "second"));

        [Fact]
        public Task ZeroGradBetweenBackwardAndStep_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.zero_grad();
            {|#0:optimizer.step()|};
        }
    }"), Between(0));

        [Fact]
        public Task ZeroGradBetweenOutsideALoop_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void TrainStep(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        optimizer.zero_grad();
        {|#0:optimizer.step()|};
    }"), Between(0));

        [Fact]
        public Task ModuleZeroGradBetweenForAnOptimizerOverThatModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.Adam(model.parameters());
        for (var i = 0; i < steps; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            model.zero_grad();
            {|#0:optimizer.step()|};
        }
    }"), Between(0));
    }
}
