using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using static TorchSharp.Analyzers.Tests.Rules.TORCH011.GradientsNotClearedDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>TORCH011's options and a few more shapes of real training code.</summary>
    public class GradientsNotClearedOptionsTests
    {
        private const string TwoTestsOfOneCondition = @"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys, int k)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            nn.functional.mse_loss(model.call(xs[i]), ys[i]).backward();
            if ((i + 1) % k == 0)
            {
                {|#0:optimizer.step()|};
            }

            if ((i + 1) % k == 0)
            {
                optimizer.zero_grad();
            }
        }
    }";

        [Fact]
        public Task ConditionalClearsHeuristicOff_Reports()
        {
            var test = new Verify.Test { TestCode = Code(TwoTestsOfOneCondition) };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH011.trust_conditional_clears = false"));
            test.ExpectedDiagnostics.Add(Never(0));
            return test.RunAsync();
        }

        [Fact]
        public Task ClearedBeforeStepReportOff_IsSilent()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.zero_grad();
            optimizer.step();
        }
    }"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH011.report_cleared_before_step = false"));
            return test.RunAsync();
        }

        [Fact]
        public Task DisposeScopeAroundTheBatch_StillReports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, IEnumerable<(Tensor X, Tensor Y)> batches)
    {
        foreach (var (x, y) in batches)
        {
            using (var d = torch.NewDisposeScope())
            {
                var output = nn.functional.mse_loss(model.call(x), y);
                output.backward();
                {|#0:optimizer.step()|};
            }
        }
    }"), Never(0));

        [Fact]
        public Task LocalAliasOfAField_IsTheSameOptimizer()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private optim.Optimizer _optimizer;
    void Fit(Net model, Tensor x, Tensor y)
    {
        var optimizer = _optimizer;
        for (var i = 0; i < 10; i++)
        {
            _optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task ZeroGradOnAnOptimizerNeverStepped_CountsAsAClear()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, optim.Optimizer same, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            same.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task EarlyReturnInsteadOfBreak_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    float Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; ; i++)
        {
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (i == 100)
            {
                return loss.item<float>();
            }

            optimizer.zero_grad();
        }
    }"));

        [Fact]
        public Task GradientsSetToNullByHand_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        var parameters = model.parameters().ToList();
        for (var i = 0; i < 10; i++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            parameters[0].grad = null;
            for (var j = 1; j < parameters.Count; j++)
            {
                parameters[j].grad = null;
            }
        }
    }"));

        [Fact]
        public Task BackwardOnlyInAHelper_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Backward(Net model, Tensor x, Tensor y) => nn.functional.mse_loss(model.call(x), y).backward();

    void Fit(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        for (var i = 0; i < 10; i++)
        {
            Backward(model, x, y);
            optimizer.step();
        }
    }"));
    }
}
