using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>TORCH002 positives and negatives: inference forward passes that record a graph nobody uses.</summary>
    public class MissingNoGradDiagnosticsTests
    {
        private const string InEval = "it is in eval mode";

        private static DiagnosticResult Expect(int location, string module, string why = InEval)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, why);

        [Fact]
        public Task EvalWithoutNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        return {|#0:model.call(x)|}.argmax(1);
    }"), Expect(0, "model"));

        [Fact]
        public Task ForwardOfMultiArgumentModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor a, Tensor b)
    {
        var pair = new Pair();
        pair.eval();
        return {|#0:pair.forward(a, b)|};
    }"), Expect(0, "pair"));

        [Fact]
        public Task ModelWithoutModeDependentLayers_StillReports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Plain();
        model.eval();
        return {|#0:model.call(x)|};
    }"), Expect(0, "model"));

        [Fact]
        public Task EvalOnEveryBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, bool flag)
    {
        var model = new Net();
        if (flag)
        {
            model.eval();
        }
        else
        {
            model.train(false);
        }
        return {|#0:model.call(x)|};
    }"), Expect(0, "model"));

        [Fact]
        public Task EvalInOneBranchOnly_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, bool flag)
    {
        var model = new Net();
        if (flag)
        {
            model.eval();
        }
        return model.call(x);
    }"));

        [Fact]
        public Task AfterNoGradScopeEnds_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            x = model.call(x);
        }
        return {|#0:model.call(x)|};
    }"), Expect(0, "model"));

        [Fact]
        public Task InsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task InsideUsingDeclarationOfInferenceMode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using var scope = torch.inference_mode();
        return model.call(x);
    }"));

        [Fact]
        public Task InsideDisposedInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        var scope = torch.no_grad();
        try
        {
            return model.call(x);
        }
        finally
        {
            scope.Dispose();
        }
    }"));

        [Fact]
        public Task EnableGradInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        using (torch.enable_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model"));

        [Fact]
        public Task ScopeReturnedByAHelper_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IDisposable NoGrad() => torch.no_grad();

    static IDisposable Inference()
    {
        return torch.inference_mode();
    }

    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (NoGrad())
        {
            x = model.call(x);
        }
        using (Inference())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task ConditionalScopeReturnedByAHelper_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IDisposable Grad(bool training) => training ? torch.enable_grad() : torch.no_grad();

    static class Scopes
    {
        public static IDisposable ForInference(bool strict)
        {
            return strict ? torch.inference_mode() : torch.no_grad();
        }
    }

    Tensor Run(Tensor x, bool training)
    {
        var model = new Net();
        model.eval();
        using (Grad(training))
        {
            x = model.call(x);
        }
        using (Scopes.ForInference(true))
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task HelperReturningNullOrNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IDisposable? Maybe(bool training) => training ? null : torch.no_grad();

    Tensor Run(Tensor x, bool training)
    {
        var model = new Net();
        model.eval();
        using (Maybe(training))
        {
            return model.call(x);
        }
    }"));

        /// <summary>A module with a helper method of its own that leaves the mode alone, and one that trains it.</summary>
        private const string MaskedModel = @"
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Masked : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Masked() : base(nameof(Masked)) { RegisterComponents(); }
    public Tensor Mask(long size) => torch.ones(size, size);
    public virtual Tensor Prior(long size) => torch.zeros(size);
    public void Reset() { train(); }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}

class C
{
";

        [Fact]
        public Task OwnMethodThatLeavesTheModeAlone_KeepsEval_Reports()
            => Verify.VerifyAnalyzerAsync(MaskedModel + @"
    Tensor Run(Tensor x)
    {
        var model = new Masked();
        model.eval();
        var mask = model.Mask(4);
        return {|#0:model.call(x + mask)|};
    }
}", Expect(0, "model"));

        [Fact]
        public Task OwnVirtualMethodOrOneThatTrains_ModeNotEval_Silent()
            => Verify.VerifyAnalyzerAsync(MaskedModel + @"
    Tensor Virtual(Tensor x)
    {
        var model = new Masked();
        model.eval();
        var prior = model.Prior(4);
        return model.call(x + prior);
    }

    Tensor Trains(Tensor x)
    {
        var model = new Masked();
        model.eval();
        model.Reset();
        return model.call(x);
    }
}");

        [Fact]
        public Task SequentialOfAListBuiltByAHelper_IsNotParameterFree_Reports()
            => Verify.VerifyAnalyzerAsync(@"
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

class ResNetLike : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _layers;

    public ResNetLike() : base(nameof(ResNetLike))
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        AddStage(modules, 4);
        _layers = nn.Sequential(modules);
        RegisterComponents();
    }

    private static void AddStage(List<(string, nn.Module<Tensor, Tensor>)> modules, int width)
        => modules.Add((""fc"", nn.Linear(width, width)));

    public override Tensor forward(Tensor x) => _layers.call(x);
}

class C
{
    Tensor Predict(float[] pixels)
    {
        var net = new ResNetLike();
        net.eval();
        var input = torch.tensor(pixels).unsqueeze(0);
        return {|#0:net.forward(input)|};
    }
}", Expect(0, "net"));

        [Fact]
        public Task HelperReturningSomethingElse_StillReports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IDisposable Timer() => new System.IO.MemoryStream();

    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (Timer())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model"));

        [Fact]
        public Task UnknownGradMode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, bool record)
    {
        var model = new Net();
        model.eval();
        using (torch.set_grad_enabled(record))
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task SaliencyWithBackward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Saliency(Tensor x)
    {
        var model = new Net();
        model.eval();
        x.requires_grad = true;
        var score = model.call(x).max();
        score.backward();
        return x.grad.abs();
    }"));

        [Fact]
        public Task AdversarialInputWithAutogradBackward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Attack(Tensor x, Tensor y)
    {
        var model = new Net();
        model.eval();
        x.requires_grad = true;
        var loss = nn.functional.cross_entropy(model.call(x), y);
        torch.autograd.backward(new[] { loss });
        return x + 0.01 * x.grad.sign();
    }"));

        [Fact]
        public Task ValidationInsideEpochLoopWithTraining_ReportsThroughItsOutput()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            model.eval();
            Console.WriteLine({|#0:model.call(x)|}.mean().item<float>());
        }
    }"), Expect(0, "model", "its output is only read through item()"));

        [Fact]
        public Task EvaluateHelperCalledFromTrainingLoop_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static double Evaluate(Net model, Tensor x, Tensor y)
    {
        model.eval();
        return {|#0:model.call(x)|}.argmax(1).eq(y).to_type(ScalarType.Float32).mean().item<float>();
    }

    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
            optimizer.step();
            Console.WriteLine(Evaluate(model, x, y));
        }
    }"), Expect(0, "model"));

        [Fact]
        public Task HelperWhoseEveryCallerHoldsNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Forward(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }

    Tensor Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            return Forward(model, x);
        }
    }"));

        [Fact]
        public Task HelperWithOneCallerOutsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Forward(Net model, Tensor x)
    {
        model.eval();
        return {|#0:model.call(x)|};
    }

    Tensor Safe(Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#2:Forward(new Net(), x)|};
        }
    }

    Tensor Unsafe(Tensor x) => {|#1:Forward(new Net(), x)|};"), UnprotectedCallExpectation.At(1, 0, 2, "Forward()", "model", "line 38", InEval, "line 45"));

        [Fact]
        public Task ParameterPassedInEvalByEveryCaller_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Forward(nn.Module<Tensor, Tensor> model, Tensor x) => {|#0:model.call(x)|};

    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        return Forward(model, x);
    }"), Expect(0, "model"));

        [Fact]
        public Task InferenceMethodByName_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public Tensor PredictBatch(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        return {|#0:model.call(x)|}.softmax(1);
    }"), Expect(0, "model", "'PredictBatch' is an inference method"));

        [Fact]
        public Task MethodNamedLikeInferenceButTraining_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public void PredictAndLearn(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        nn.functional.mse_loss(model.call(x), y).backward();
    }"));

        [Fact]
        public Task PredictorClassEvalInConstructor_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;

    C(string path)
    {
        _model = new Net();
        _model.load(path);
        _model.eval();
    }

    public Tensor Run(Tensor x) => {|#0:_model.call(x)|};"), Expect(0, "_model"));

        [Fact]
        public Task InsideLambda_IsSilentBecauseGradModeIsUnknown()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Tensor, Tensor> Make()
    {
        return x =>
        {
            var model = new Net();
            model.eval();
            return model.call(x);
        };
    }"));

        [Fact]
        public Task InsideLambdaWithOwnNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Tensor, Tensor> Make()
    {
        return x =>
        {
            var model = new Net();
            model.eval();
            using (torch.no_grad())
            {
                return model.call(x);
            }
        };
    }"));

        [Fact]
        public Task LoopOverBatchesInEval_ReportsEachCall()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Score(IEnumerable<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        foreach (var batch in batches)
        {
            Console.WriteLine({|#0:model.call(batch)|}.sum().item<float>());
        }
    }"), Expect(0, "model"));

        [Fact]
        public Task SwitchOnModeBeforeForward_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, int mode)
    {
        var model = new Net();
        switch (mode)
        {
            case 0:
                model.eval();
                break;
            default:
                model.train(false);
                break;
        }
        return {|#0:model.call(x)|};
    }"), Expect(0, "model"));

        [Fact]
        public Task DiscardedNoGradStillDisablesGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        torch.no_grad();
        return model.call(x);
    }"));

        [Fact]
        public Task LossModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, Tensor y)
    {
        var loss = nn.CrossEntropyLoss();
        loss.eval();
        return loss.call(x, y);
    }"));

        [Fact]
        public Task TopLevelProgram_Reports()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using TorchSharp;

var model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5));
model.eval();
System.Console.WriteLine({|#0:model.call(torch.ones(1, 4))|});
",
            };
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Expect(0, "model"));
            return test.RunAsync();
        }
    }
}
