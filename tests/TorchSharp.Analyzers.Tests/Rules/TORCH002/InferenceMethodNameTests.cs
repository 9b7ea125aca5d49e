using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.Options;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// The inference-method names as real code writes them: PascalCase, and the lower-case and snake_case names of code
    /// ported from Python (<c>evaluate</c>, <c>estimate_loss</c>, <c>generate</c>), matched as whole words.
    /// </summary>
    public class InferenceMethodNameTests
    {
        [Theory]
        [InlineData("PredictBatch", "Predict")]
        [InlineData("predict", "Predict")]
        [InlineData("predict_batch", "Predict")]
        [InlineData("_predict", "Predict")]
        [InlineData("PREDICT", "Predict")]
        [InlineData("estimate_loss", "EstimateLoss")]
        [InlineData("EstimateLoss", "EstimateLoss")]
        [InlineData("evaluate2", "Evaluate")]
        [InlineData("test", "Test")]
        [InlineData("TestEpoch", "Test")]
        [InlineData("generate", "Generate")]
        [InlineData("sample_tokens", "Sample")]
        public void MatchesAsAWord(string name, string prefix)
            => Assert.True(InferenceMethodNames.IsPrefixWord(name, prefix));

        [Theory]
        [InlineData("Predictor", "Predict")]
        [InlineData("predictbatch", "Predict")]
        [InlineData("Tester", "Test")]
        [InlineData("testing", "Test")]
        [InlineData("Sampler", "Sample")]
        [InlineData("estimate_lossy", "EstimateLoss")]
        [InlineData("estimate__loss", "EstimateLoss")]
        [InlineData("Pre_dict", "Predict")]
        [InlineData("Generated", "Generate")]
        public void DoesNotMatchAnotherWord(string name, string prefix)
            => Assert.False(InferenceMethodNames.IsPrefixWord(name, prefix));

        [Fact]
        public Task SnakeCaseEstimateLoss_IsAnInferenceMethod()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public float estimate_loss(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        return nn.functional.mse_loss({|#0:model.call(x)|}, y).item<float>();
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'estimate_loss' is an inference method"));

        [Fact]
        public Task LowerCaseGenerate_IsAnInferenceMethod()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public Tensor generate(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        for (int i = 0; i < 4; i++)
        {
            x = {|#0:model.call(x)|}.argmax(1);
        }

        return x;
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'generate' is an inference method"));

        [Fact]
        public Task LowerCaseTestThatTrains_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public void test_step(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        nn.functional.mse_loss(model.call(x), y).backward();
    }"));

        [Fact]
        public Task LowerCaseNameWithoutAWordBoundary_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public Tensor sampler(nn.Module<Tensor, Tensor> model, Tensor x) => model.call(x);
    public Tensor testing(nn.Module<Tensor, Tensor> model, Tensor x) => model.call(x);"));

        [Fact]
        public Task TestMethodOfAFramework_StaysSilentWhateverItsCase()
            => Verify.VerifyAnalyzerAsync(@"
using TorchSharp;
using static TorchSharp.torch;

namespace Xunit { public sealed class FactAttribute : System.Attribute { } }

public class Tests
{
    [Xunit.Fact]
    public void test_forward_shape()
    {
        var model = nn.Linear(4, 2);
        var y = model.call(torch.ones(1, 4));
    }
}
");

        [Fact]
        public Task LocalFunctionNamedEvaluate_CalledWithGradOn_IsAnInferenceEntryPoint()
            => Verify.VerifyAnalyzerAsync(Code(@"
    float Run(Net model, Tensor x)
    {
        return evaluate();

        float evaluate() => {|#0:model.call(x)|}.sum().ToSingle();
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'evaluate' is an inference method"));

        [Fact]
        public Task LocalFunctionInATopLevelProgram_IsAnInferenceEntryPoint()
            => new Verify.Test
            {
                TestState =
                {
                    OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
                    Sources =
                    {
                        @"using TorchSharp;
using static TorchSharp.torch;

var model = nn.Sequential(nn.Linear(4, 4), nn.ReLU());
for (int i = 0; i < 3; i++)
{
    Test(torch.ones(2, 4));
}

void Test(Tensor x)
{
    var y = {|#0:model.call(x)|}.argmax(1);
}
",
                    },
                },
                ExpectedDiagnostics = { Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'Test' is an inference method") },
            }.RunAsync();

        [Fact]
        public Task LocalFunctionNamedEvaluate_CalledOnlyUnderNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    float Run(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            return Evaluate();
        }

        float Evaluate() => model.call(x).sum().ToSingle();
    }"));

        [Fact]
        public Task LocalFunctionCalledOnceUnderNoGradAndOnceWithout_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    float Run(Net model, Tensor x)
    {
        float a;
        using (torch.no_grad())
        {
            a = Evaluate();
        }

        return a + Evaluate();

        float Evaluate() => model.call(x).sum().ToSingle();
    }"));

        [Fact]
        public Task LocalFunctionHandedOnAsAMethodGroup_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    System.Collections.Generic.IEnumerable<Tensor> Run(Net model, Tensor[] batches)
    {
        return System.Linq.Enumerable.Select(batches, Predict);

        Tensor Predict(Tensor x) => model.call(x);
    }"));

        [Fact]
        public Task LocalFunctionWithItsOwnScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    float Run(Net model, Tensor x)
    {
        return Evaluate();

        float Evaluate()
        {
            using var _ = torch.no_grad();
            return model.call(x).sum().ToSingle();
        }
    }"));

        [Fact]
        public Task LocalFunctionNamedTestThatTrains_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Run(Net model, Tensor x, Tensor y)
    {
        Test();

        void Test() => nn.functional.mse_loss(model.call(x), y).backward();
    }"));

        [Fact]
        public Task LambdaInsideALocalFunctionNamedEvaluate_IsNotTheLocalFunction()
            => Verify.VerifyAnalyzerAsync(Code(@"
    System.Func<Tensor, Tensor> Run(Net model)
    {
        return Evaluate();

        System.Func<Tensor, Tensor> Evaluate() => x => model.call(x);
    }"));
    }
}
