using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using VerifyEval = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;
using VerifyNoGrad = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// Methods named like inference that are not inference entry points, in shapes found in public repositories once
    /// lower-case names matched (docs/real-world.md): a training step on a value of an unresolved type, a module's own
    /// helper that its forward calls, and a caller whose call does not bind.
    /// </summary>
    public class InferenceEntryPointLimitsTests
    {
        [Fact]
        public Task BackwardOnAnUnresolvedLoss_IsATrainingStep_NotInference()
        {
            // An adversarial-example test: the loss's type does not resolve, but backward() is written: gradients are wanted.
            var test = new VerifyNoGrad.Test
            {
                TestCode = Code(@"
    static double Test(nn.Module<Tensor, Tensor> model, UnknownLoss criterion, Tensor data, Tensor target)
    {
        data.requires_grad = true;
        var output = model.forward(data);
        var loss = criterion(output, target);
        loss.backward();
        return model.forward(data.grad()).argmax(1).eq(target).sum().ToDouble();
    }"),
                CompilerDiagnostics = CompilerDiagnostics.None,
            };
            return test.RunAsync();
        }

        [Fact]
        public Task ModulesOwnHelperCalledByItsForward_IsNotAnEntryPoint()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Decoder : nn.Module<Tensor, Tensor>
{
    private readonly Linear head = nn.Linear(4, 4);

    public Decoder() : base(nameof(Decoder)) => RegisterComponents();

    public override Tensor forward(Tensor x) => predict_masks(x);

    public Tensor predict_masks(Tensor x) => head.forward(x).sigmoid();
}
");

        [Fact]
        public Task ModulesOwnGenerateNotCalledByForward_StaysAnEntryPoint()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Lm : nn.Module<Tensor, Tensor>
{
    private readonly Linear head = nn.Linear(4, 4);

    public Lm() : base(nameof(Lm)) => RegisterComponents();

    public override Tensor forward(Tensor x) => head.forward(x);

    public Tensor generate(nn.Module<Tensor, Tensor> teacher, Tensor x) => {|#0:teacher.forward(x)|}.argmax(1);
}
", VerifyNoGrad.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("teacher", "'generate' is an inference method"));

        [Fact]
        public Task ParameterWhoseOnlyCallDoesNotBind_IsNotReportedAsNeverPutInEval()
        {
            // The caller calls eval(), but its call of Evaluate has an argument of an unresolved type: the call is unknown,
            // not absent, so "no caller puts it in eval mode" cannot be claimed.
            var test = new VerifyEval.Test
            {
                TestCode = Code(@"
    static float Evaluate(Net model, Tensor x, UnknownReader reader)
    {
        using (torch.no_grad())
        {
            return model.call(x).sum().ToSingle();
        }
    }

    static void Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        Evaluate(model, x, new UnknownReader());
    }"),
                CompilerDiagnostics = CompilerDiagnostics.None,
            };
            return test.RunAsync();
        }

        [Fact]
        public Task ParameterWithABoundCallerThatNeverCallsEval_StillReports()
            => VerifyEval.VerifyAnalyzerAsync(Code(@"
    static float Evaluate(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|}.sum().ToSingle();
        }
    }

    static void Run(Tensor x) => Evaluate(new Net(), x);"),
                VerifyEval.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("model", "created at line 43", NetInTraining));
    }
}
