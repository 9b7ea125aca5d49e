using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using static TorchSharp.Analyzers.Tests.Rules.TORCH011.GradientsNotClearedDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer,
    TorchSharp.Analyzers.CodeFixes.GradientsNotClearedCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>TORCH011 fix: optimizer.zero_grad() at the start of the loop body; none where that is not the whole answer.</summary>
    public class GradientsNotClearedCodeFixTests
    {
        private const string Key = GradientsNotClearedCodeFixProvider.InsertZeroGradKey;

        [Fact]
        public Task ForLoop_InsertsZeroGradAtTheTopOfTheBody()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), 0.05);
        for (var i = 0; i < steps; i++)
        {
            // forward and backward
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            {|#0:optimizer.step()|};
        }
    }"),
                new[] { Never(0) },
                Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), 0.05);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            // forward and backward
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
    }"),
                Key);

        [Fact]
        public Task GanFixAll_ZeroesEachOptimizerOnce()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit(Net generator, Net discriminator, Tensor noise, Tensor real, int steps)
    {
        var optG = optim.Adam(generator.parameters());
        var optD = optim.Adam(discriminator.parameters());
        foreach (var _ in Enumerable.Range(0, steps))
        {
            var fake = generator.call(noise);
            (discriminator.call(real).mean() - discriminator.call(fake.detach()).mean()).backward();
            {|#0:optD.step()|};
            (-discriminator.call(fake).mean()).backward();
            {|#1:optG.step()|};
        }
    }"),
                new[] { Never(0, "optD"), Never(1, "optG") },
                Code(@"
    void Fit(Net generator, Net discriminator, Tensor noise, Tensor real, int steps)
    {
        var optG = optim.Adam(generator.parameters());
        var optD = optim.Adam(discriminator.parameters());
        foreach (var _ in Enumerable.Range(0, steps))
        {
            optG.zero_grad();
            optD.zero_grad();
            var fake = generator.call(noise);
            (discriminator.call(real).mean() - discriminator.call(fake.detach()).mean()).backward();
            optD.step();
            (-discriminator.call(fake).mean()).backward();
            optG.step();
        }
    }"),
                Key);

        [Fact]
        public Task WhileLoopWithAField_InsertsZeroGrad()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    private optim.Optimizer _optimizer;
    void Fit(Net model, Tensor x, Tensor y)
    {
        var i = 0;
        while (i++ < 10)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:_optimizer.step()|};
        }
    }"),
                new[] { Never(0, "_optimizer") },
                Code(@"
    private optim.Optimizer _optimizer;
    void Fit(Net model, Tensor x, Tensor y)
    {
        var i = 0;
        while (i++ < 10)
        {
            _optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            _optimizer.step();
        }
    }"),
                Key);

        [Fact]
        public Task StepUnderACondition_OffersNoFix()
        {
            var source = Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int k)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
            if ((i + 1) % k == 0)
            {
                {|#0:optimizer.step()|};
            }
        }
    }");
            return Verify.VerifyCodeFixAsync(source, new[] { Never(0) }, source, Key);
        }

        [Fact]
        public Task OptimizerDeclaredInsideTheLoop_OffersNoFix()
        {
            var source = Code(@"
    void Fit(Net model, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            var optimizer = optim.SGD(model.parameters(), 0.1);
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
        }
    }");
            return Verify.VerifyCodeFixAsync(source, new[] { Never(0) }, source, Key);
        }

        [Fact]
        public Task ZeroGradBetweenBackwardAndStep_OffersNoFix()
        {
            var source = Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.zero_grad();
            {|#0:optimizer.step()|};
        }
    }");
            return Verify.VerifyCodeFixAsync(source, new[] { Between(0) }, source, Key);
        }

        [Fact]
        public Task DeconstructingForeachInsideAnEpochLoop_InsertsInTheBatchLoop()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit(Net model, optim.Optimizer optimizer, List<(Tensor X, Tensor Y)> batches, int epochs)
    {
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (x, y) in batches)
            {
                nn.functional.mse_loss(model.call(x), y).backward();
                {|#0:optimizer.step()|};
            }
        }
    }"),
                new[] { Never(0) },
                Code(@"
    void Fit(Net model, optim.Optimizer optimizer, List<(Tensor X, Tensor Y)> batches, int epochs)
    {
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var (x, y) in batches)
            {
                optimizer.zero_grad();
                nn.functional.mse_loss(model.call(x), y).backward();
                optimizer.step();
            }
        }
    }"),
                Key);
    }
}
