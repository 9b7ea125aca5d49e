using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH005.HelpersThatLeaveEvalModeTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// TORCH001 for helpers that end with <c>train()</c> (PyTorch's <c>estimate_loss</c> idiom, issue 14, item 4): called
    /// after <c>eval()</c> and before generation, they put the model back in training mode for the generation.
    /// </summary>
    public class HelpersThatLeaveTrainingModeTests
    {
        private static DiagnosticResult Expect(int location, string module, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location).WithArguments(module, why, MissingEvalDiagnosticsTests.NetInTraining);

        // The estimate_loss idiom on the trainer's own field: eval(), measure under no_grad, train() at the end.
        private const string EstimateLossOnField = @"
    private float EstimateLoss(Tensor x, Tensor y)
    {
        _model.eval();
        float loss;
        using (torch.no_grad())
        {
            loss = nn.functional.mse_loss(_model.call(x), y).item<float>();
        }

        _model.train();
        return loss;
    }
";

        [Fact]
        public Task EstimateLossOfTheTrainerBeforeGeneration_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
" + EstimateLossOnField + @"
    public Tensor Finish(Tensor x, Tensor y, Tensor prompt)
    {
        _model.eval();
        Console.WriteLine(EstimateLoss(x, y));
        using (torch.no_grad())
        {
            return {|#0:_model.call(prompt)|};
        }
    }
}"), Expect(0, "_model", "left in training mode by 'EstimateLoss()' at line 50"));

        [Fact]
        public Task EstimateLossGivenTheModelBeforeGeneration_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
static class Program
{
    private static float EstimateLoss(Net model, Tensor x, Tensor y)
    {
        model.eval();
        float loss;
        using (torch.no_grad())
        {
            loss = nn.functional.mse_loss(model.call(x), y).item<float>();
        }

        model.train();
        return loss;
    }

    public static Tensor Finish(Net model, Tensor x, Tensor y, Tensor prompt)
    {
        model.eval();
        Console.WriteLine(EstimateLoss(model, x, y));
        using (torch.no_grad())
        {
            return {|#0:model.call(prompt)|};
        }
    }
}"), Expect(0, "model", "left in training mode by 'EstimateLoss()' at line 48"));

        [Fact]
        public Task EvalAgainAfterTheHelper_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
" + EstimateLossOnField + @"
    public Tensor Finish(Tensor x, Tensor y, Tensor prompt)
    {
        Console.WriteLine(EstimateLoss(x, y));
        _model.eval();
        using (torch.no_grad())
        {
            return _model.call(prompt);
        }
    }
}"));

        [Fact]
        public Task HelperThatRestoresTheModeItFound_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();

    private float EstimateLoss(Tensor x, Tensor y)
    {
        var wasTraining = _model.training;
        _model.eval();
        float loss;
        using (torch.no_grad())
        {
            loss = nn.functional.mse_loss(_model.call(x), y).item<float>();
        }

        _model.train(wasTraining);
        return loss;
    }

    public Tensor Finish(Tensor x, Tensor y, Tensor prompt)
    {
        _model.eval();
        Console.WriteLine(EstimateLoss(x, y));
        using (torch.no_grad())
        {
            return _model.call(prompt);
        }
    }
}"));

        [Fact]
        public Task HelperThatTrainsOnlyOnABranch_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();

    private void Report(Tensor x, bool resume)
    {
        _model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(_model.call(x).mean().item<float>());
        }

        if (resume)
        {
            _model.train();
        }
    }

    public Tensor Finish(Tensor x, Tensor prompt)
    {
        _model.eval();
        Report(x, resume: true);
        using (torch.no_grad())
        {
            return {|#0:_model.call(prompt)|};
        }
    }
}"), Expect(0, "_model", "left in training mode by 'Report()' at line 51"));

        [Fact]
        public Task HelperCalledUnderNoGrad_IsDeliberateAndSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();

    private void EnableDropout() => _model.train();

    public Tensor McSample(Tensor prompt)
    {
        _model.eval();
        using (torch.no_grad())
        {
            EnableDropout();
            return _model.call(prompt);
        }
    }
}"));
    }
}
