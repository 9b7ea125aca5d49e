using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A module's own inference method (nanoGPT's generate, which runs this in a loop) called on a module that may be in
    /// training mode (issue 14, items 2 and 4): reported at the call, since the passes inside run in the mode of the module
    /// they belong to. The estimate_loss idiom (a helper that ends with train()) before generation is the common case.
    /// </summary>
    public class OwnInferenceMethodCallTests
    {
        private const string Gpt = @"
class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly Linear _head = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.2);
    public Gpt() : base(nameof(Gpt)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _head.call(_drop.call(x));

    public Tensor Generate(Tensor idx, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            var logits = call(idx);
            idx = torch.cat(new[] { idx, logits.argmax(-1, keepdim: true).to_type(ScalarType.Float32) }, 1);
        }
        return idx;
    }

    public Tensor SampleWithItsOwnMode(Tensor idx)
    {
        eval();
        return _head.call(idx);
    }
}

class Linearish : nn.Module<Tensor, Tensor>
{
    private readonly Linear _head = nn.Linear(4, 4);
    public Linearish() : base(nameof(Linearish)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _head.call(x);
    public Tensor Generate(Tensor idx) => this.forward(idx);
}";

        private static string WithGpt(string members) => Code(members) + Gpt;

        private static DiagnosticResult Expect(int location, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location)
                .WithArguments("model", why + ", and 'Generate()' runs it for inference", "its Dropout stays active");

        [Fact]
        public Task GenerateAfterTrainingLoop_Reports()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x, Tensor y)
    {
        var model = new Gpt();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < 3; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
        return {|#0:model.Generate(x, 10)|};
    }"), Expect(0, "created at line 37"));

        [Fact]
        public Task EstimateLossEndingWithTrainBeforeGenerate_Reports()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static float EstimateLoss(Gpt model, Tensor x, Tensor y)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        var loss = nn.functional.mse_loss(model.call(x), y).ToSingle();
        model.train();
        return loss;
    }

    static Tensor Fit(Gpt model, Tensor x, Tensor y)
    {
        model.eval();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < 3; epoch++)
        {
            if (epoch % 2 == 0)
            {
                EstimateLoss(model, x, y);
            }
        }
        model.call(x);
        return {|#0:model.Generate(x, 10)|};
    }"), Expect(0, "left in training mode by 'EstimateLoss()' at line 52"));

        [Fact]
        public Task GenerateAfterEval_IsSilent()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x)
    {
        var model = new Gpt();
        model.call(x);
        model.eval();
        return model.Generate(x, 10);
    }"));

        [Fact]
        public Task GenerateOnOneBranchAfterEval_OtherBranchTrains_Reports()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x, bool quick)
    {
        var model = new Gpt();
        model.call(x);
        if (quick)
        {
            model.eval();
        }
        return {|#0:model.Generate(x, 10)|};
    }"), Expect(0, "created at line 37"));

        [Fact]
        public Task MethodThatSetsItsOwnMode_IsSilent()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x)
    {
        var model = new Gpt();
        model.call(x);
        return model.SampleWithItsOwnMode(x);
    }"));

        [Fact]
        public Task ModuleWithoutModeDependentLayers_IsSilent()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x)
    {
        var model = new Linearish();
        model.call(x);
        return model.Generate(x);
    }"));

        [Fact]
        public Task GenerateInsideTryAfterEvalWithTrainInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(WithGpt(@"
    static Tensor Fit(Tensor x)
    {
        var model = new Gpt();
        model.call(x);
        try
        {
            model.eval();
            return model.Generate(x, 10);
        }
        finally
        {
            model.train();
        }
    }"));
    }
}
