using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH005
{
    /// <summary>
    /// Issue 13, item 5: a backward() on an eval-mode forward is not a training step of that module when its gradients are
    /// cleared before any step that follows (the input-gradient probe of adversarial training), or when the only optimizer
    /// stepped holds no module's parameters (style transfer optimises the image). The training step's own forward decides.
    /// </summary>
    public class GradientsThatAreNotATrainingStepTests
    {
        private static DiagnosticResult Expect(int location, string module, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(location).WithArguments(module, why, MissingTrainDiagnosticsTests.NetInEval);

        [Fact]
        public Task AdversarialProbeClearedBeforeTheStep_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void AdversarialStep(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        model.eval();
        var probe = x.detach().requires_grad_(true);
        var probeLoss = nn.functional.cross_entropy(model.call(probe), y);
        probeLoss.backward();
        var perturbed = (probe + 0.03 * probe.grad.sign()).detach();
        model.train();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.call(perturbed), y);
        loss.backward();
        optimizer.step();
    }"));

        [Fact]
        public Task AdversarialProbeInTheEpochLoop_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, optim.Optimizer optimizer, Tensor[] xs, Tensor[] ys)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            model.eval();
            var probe = xs[i].detach().requires_grad_(true);
            nn.functional.cross_entropy(model.call(probe), ys[i]).backward();
            var perturbed = (probe + 0.03 * probe.grad.sign()).detach();
            model.train();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(perturbed), ys[i]).backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task ProbeWithoutZeroGradBeforeTheStep_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void AdversarialStep(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        model.eval();
        var probe = x.detach().requires_grad_(true);
        var probeLoss = nn.functional.cross_entropy({|#0:model.call(probe)|}, y);
        probeLoss.backward();
        var perturbed = (probe + 0.03 * probe.grad.sign()).detach();
        model.train();
        var loss = nn.functional.cross_entropy(model.call(perturbed), y);
        loss.backward();
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'AdversarialStep' at line 37"));

        [Fact]
        public Task ZeroGradOnOnlyOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void AdversarialStep(Net model, optim.Optimizer optimizer, Tensor x, Tensor y, bool clear)
    {
        model.eval();
        var probe = x.detach().requires_grad_(true);
        nn.functional.cross_entropy({|#0:model.call(probe)|}, y).backward();
        if (clear)
        {
            optimizer.zero_grad();
        }
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'AdversarialStep' at line 37"));

        [Fact]
        public Task StyleTransferOptimisesTheImage_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Stylise(Net features, Tensor content, int steps)
    {
        features.eval();
        var image = new TorchSharp.Modules.Parameter(content.clone(), requires_grad: true);
        var optimizer = optim.Adam(new[] { image }, 0.01);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(features.call(image), features.call(content).detach());
            loss.backward();
            optimizer.step();
        }
        return image;
    }"));

        [Fact]
        public Task OptimizerOverTheModelInStyleTransferShape_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Tune(Net features, Tensor content, int steps)
    {
        features.eval();
        var optimizer = optim.Adam(features.parameters(), 0.01);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss({|#0:features.call(content)|}, content);
            loss.backward();
            optimizer.step();
        }
    }"), Expect(0, "features", "eval() in 'Tune' at line 37"));
    }
}
