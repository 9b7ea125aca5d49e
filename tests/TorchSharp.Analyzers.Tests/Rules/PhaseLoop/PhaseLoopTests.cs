using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Eval = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;
using NoGrad = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;
using Train = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;
using Backward = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.PhaseLoop
{
    /// <summary>
    /// The PyTorch tutorials' shared train/eval loop (issue 13, item 4): one flag picks the mode, the grad scope and whether
    /// the step runs. Tests of the same unchanged flag are correlated: the eval branch of one never meets the training
    /// branch of another. Each case runs every mode rule; all stay silent unless the flag changes between the tests.
    /// </summary>
    public class PhaseLoopTests
    {
        private static string Code(string members) => TORCH001.MissingEvalDiagnosticsTests.Code(members);

        private static async Task AllSilent(string code)
        {
            await Eval.VerifyAnalyzerAsync(code);
            await NoGrad.VerifyAnalyzerAsync(code);
            await Train.VerifyAnalyzerAsync(code);
            await Backward.VerifyAnalyzerAsync(code);
        }

        [Fact]
        public Task IfElseModeThenSetGradEnabledThenGuardedStep_Silent()
            => AllSilent(Code(@"
    float RunEpoch(Net model, torch.optim.Optimizer optimizer, Tensor[] inputs, Tensor[] targets, bool isTrain)
    {
        if (isTrain) model.train(); else model.eval();
        var total = 0f;
        for (var i = 0; i < inputs.Length; i++)
        {
            using (torch.set_grad_enabled(isTrain))
            {
                var loss = torch.nn.functional.mse_loss(model.call(inputs[i]), targets[i]);
                if (isTrain)
                {
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
                total += loss.item<float>();
            }
        }
        return total;
    }"));

        [Fact]
        public Task TrainWithFlagAndConditionalNoGrad_Silent()
            => AllSilent(Code(@"
    void RunEpoch(Net model, torch.optim.Optimizer optimizer, Tensor input, Tensor target, bool training)
    {
        model.train(training);
        using var scope = training ? null : torch.no_grad();
        var loss = torch.nn.functional.mse_loss(model.call(input), target);
        if (training)
        {
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }"));

        [Fact]
        public Task PhaseStringLoop_Silent()
            => AllSilent(Code(@"
    void Fit(Net model, torch.optim.Optimizer optimizer, Tensor input, Tensor target)
    {
        foreach (var phase in new[] { ""train"", ""val"" })
        {
            var isTrain = phase == ""train"";
            if (isTrain) model.train(); else model.eval();
            using (torch.set_grad_enabled(isTrain))
            {
                var loss = torch.nn.functional.mse_loss(model.call(input), target);
                if (isTrain)
                {
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
            }
        }
    }"));

        [Fact]
        public Task NegatedFlag_Silent()
            => AllSilent(Code(@"
    void RunEpoch(Net model, torch.optim.Optimizer optimizer, Tensor input, Tensor target, bool evaluating)
    {
        if (!evaluating) { model.train(); } else { model.eval(); }
        using (torch.set_grad_enabled(!evaluating))
        {
            var loss = torch.nn.functional.mse_loss(model.call(input), target);
            if (!evaluating)
            {
                loss.backward();
                optimizer.step();
            }
        }
    }"));

        [Fact]
        public Task StepNotGuardedByTheFlag_ReportsTrain()
            => Train.VerifyAnalyzerAsync(Code(@"
    void RunEpoch(Net model, torch.optim.Optimizer optimizer, Tensor input, Tensor target, bool isTrain)
    {
        if (isTrain) model.train(); else model.eval();
        var loss = torch.nn.functional.mse_loss({|#0:model.call(input)|}, target);
        loss.backward();
        optimizer.step();
    }"), Train.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(0).WithArguments("model", "eval() in 'RunEpoch' at line 37", TORCH005.MissingTrainDiagnosticsTests.NetInEval));

        [Fact]
        public Task FlagChangedBetweenTheTests_ReportsTrain()
            => Train.VerifyAnalyzerAsync(Code(@"
    void RunEpoch(Net model, torch.optim.Optimizer optimizer, Tensor input, Tensor target, bool isTrain)
    {
        if (isTrain) model.train(); else model.eval();
        isTrain = !isTrain;
        var loss = torch.nn.functional.mse_loss({|#0:model.call(input)|}, target);
        if (isTrain)
        {
            loss.backward();
            optimizer.step();
        }
    }"), Train.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(0).WithArguments("model", "eval() in 'RunEpoch' at line 37", TORCH005.MissingTrainDiagnosticsTests.NetInEval));

        [Fact]
        public Task EvalBranchForwardWithoutNoGrad_ReportsNoGrad()
            => NoGrad.VerifyAnalyzerAsync(Code(@"
    Tensor RunEpoch(Net model, Tensor input, bool isTrain)
    {
        if (isTrain) model.train(); else model.eval();
        if (!isTrain)
        {
            return {|#0:model.call(input)|};
        }
        return input;
    }"), NoGrad.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "it is in eval mode"));
    }
}
