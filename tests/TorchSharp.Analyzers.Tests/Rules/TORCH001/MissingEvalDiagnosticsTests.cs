using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>TORCH001 positives and negatives: inference regions that may see a module in training mode.</summary>
    public class MissingEvalDiagnosticsTests
    {
        /// <summary>A model with Dropout and BatchNorm (mode-dependent) and one without (Linear only).</summary>
        internal const string Models = @"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly BatchNorm1d _norm = nn.BatchNorm1d(4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Net() : base(nameof(Net)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_norm.call(_fc.call(x)));
}

class Plain : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    public Plain() : base(nameof(Plain)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc.call(x);
}

class Pair : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Pair() : base(nameof(Pair)) { RegisterComponents(); }
    public override Tensor forward(Tensor a, Tensor b) => _drop.call(a + b);
}";

        internal static string Code(string members) => @"
using System;
using System.Linq;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
" + Models + @"

class C
{
" + members + @"
}";

        /// <summary>What TORCH001 says stays in training behaviour for <c>Net</c> (a Dropout and a BatchNorm).</summary>
        internal const string NetInTraining = "its Dropout stays active and its BatchNorm overwrites its running statistics";

        /// <summary>What TORCH001 says for a module whose composition is not known.</summary>
        internal const string UnknownInTraining = "any Dropout or BatchNorm it holds stays in training behaviour";

        private static DiagnosticResult Expect(int location, string module, string why, string consequence = NetInTraining)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location).WithArguments(module, why, consequence);

        [Fact]
        public Task CreatedAndUsedUnderNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "created at line 37"));

        [Fact]
        public Task ForwardInsteadOfCall_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        using var scope = torch.inference_mode();
        return {|#0:model.forward(x)|};
    }"), Expect(0, "model", "created at line 37"));

        [Fact]
        public Task TwoArgumentModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor a, Tensor b)
    {
        var pair = new Pair();
        using (torch.no_grad())
        {
            return {|#0:pair.call(a, b)|};
        }
    }"), Expect(0, "pair", "created at line 37", "its Dropout stays active"));

        [Fact]
        public Task SequentialWithDropout_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = nn.Sequential((""fc"", nn.Linear(4, 4)), (""drop"", nn.Dropout(0.2)));
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "created at line 37", "its Dropout stays active"));

        [Fact]
        public Task TrainCalledRightBeforeRegion_IsDeliberate()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor GenerateFakes(Net generator, Tensor noise)
    {
        generator.train();
        using (torch.no_grad())
        {
            return generator.call(noise);
        }
    }"));

        [Fact]
        public Task TrainThenTrainingStepThenRegion_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Net model, Tensor x, Tensor y)
    {
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.train();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "train() at line 38"));

        [Fact]
        public Task TrainThenTrainingHelperThenRegion_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void TrainEpoch(Net model, Tensor x, Tensor y) => nn.functional.mse_loss(model.call(x), y).backward();

    Tensor Run(Net model, Tensor x, Tensor y)
    {
        model.train();
        TrainEpoch(model, x, y);
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "train() at line 39"));

        [Fact]
        public Task SubmoduleUsedInAModuleMethod_InheritsTheOwnersMode()
            => Verify.VerifyAnalyzerAsync(Code(@"
    class AutoEncoder : nn.Module<Tensor, Tensor>
    {
        private readonly Net _encoder = new Net();
        public AutoEncoder() : base(nameof(AutoEncoder)) { RegisterComponents(); }
        public Tensor Encode(Tensor x)
        {
            using (torch.no_grad())
            {
                return _encoder.call(x);
            }
        }
        public override Tensor forward(Tensor x) => _encoder.call(x);
    }"));

        [Fact]
        public Task EvalInOneBranchOnly_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, bool flag)
    {
        var model = new Net();
        if (flag)
        {
            model.eval();
        }
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "created at line 37"));

        [Fact]
        public Task EvalInsideLoopThatMayRunZeroTimes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, int n)
    {
        var model = new Net();
        for (var i = 0; i < n; i++)
        {
            model.eval();
        }
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "created at line 37"));

        [Fact]
        public Task EpochLoopWithoutEvalBeforeValidation_Reports()
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
            using (torch.no_grad())
            {
                Console.WriteLine({|#0:model.call(x)|}.mean().item<float>());
            }
        }
    }"), Expect(0, "model", "train() at line 41"));

        [Fact]
        public Task AliasOfModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        var net = model;
        using (torch.no_grad())
        {
            return {|#0:net.call(x)|};
        }
    }"), Expect(0, "net", "created at line 37"));

        [Fact]
        public Task EvalOnAliasCountsForOriginal_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        var net = model;
        net.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task ParameterWithoutCallers_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "received as parameter 'model', and no caller puts it in eval mode", UnknownInTraining));

        [Fact]
        public Task ParameterWhoseCallersPassEval_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }

    void Caller(Tensor x)
    {
        var model = new Net();
        model.eval();
        Run(model, x);
    }"));

        [Fact]
        public Task ParameterWithOneCallerInTrainingMode_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }

    void Good(Tensor x)
    {
        var model = new Net();
        model.eval();
        Run(model, x);
    }

    void Bad(Tensor x)
    {
        var model = new Net();
        Run(model, x);
    }"), Expect(0, "model", "created at line 52", UnknownInTraining));

        [Fact]
        public Task EvalByHelperMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Prepare(Net model)
    {
        model.eval();
    }

    Tensor Run(Tensor x)
    {
        var model = new Net();
        Prepare(model);
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task TrainByHelperMethod_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Restore(Net model)
    {
        model.train();
    }

    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        Restore(model);
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }"), Expect(0, "model", "left in training mode by 'Restore()' at line 44"));

        [Fact]
        public Task PassedToUnknownCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, Action<nn.Module> configure)
    {
        var model = new Net();
        configure(model);
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task PredictorFieldCreatedInConstructorWithoutEval_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;

    C()
    {
        _model = new Net();
        _model.load(""weights.bin"");
    }

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:_model.call(x)|};
        }
    }"), Expect(0, "_model", "created at line 39"));

        [Fact]
        public Task PredictorFieldPutInEvalInConstructor_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;

    C()
    {
        _model = new Net();
        _model.load(""weights.bin"");
        _model.eval();
    }

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }"));

        // An inference method of the predictor: the pass TORCH001 judges by the mode the constructors leave _model in.
        private const string PredictUnderNoGrad = @"
    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:_model.call(x)|};
        }
    }";

        // The constructor's exit is read from its structure only when every normal exit passes through the final eval().
        [Fact]
        public Task PredictorConstructorThatMayReturnBeforeItsEval_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;

    C(string path)
    {
        _model = new Net();
        if (path == null) return;
        _model.eval();
    }
" + PredictUnderNoGrad), Expect(0, "_model", "created at line 39"));

        [Fact]
        public Task PredictorConstructorThatMayThrowBeforeItsEval_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;

    C(string path)
    {
        _model = new Net();
        if (path == null) throw new ArgumentNullException(nameof(path));
        _model.load(path);
        _model.eval();
    }
" + PredictUnderNoGrad.Replace("{|#0:_model.call(x)|}", "_model.call(x)")));

        [Fact]
        public Task PredictorConstructorEndingInEvalOfAnotherModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model;
    private readonly Net _teacher = new Net();

    C()
    {
        _model = new Net();
        _teacher.eval();
    }
" + PredictUnderNoGrad), Expect(0, "_model", "created at line 40"));

        [Fact]
        public Task FieldWhoseModeAnotherMethodChanges_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();

    public void PrepareForServing() => _model.eval();

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }"));

        [Fact]
        public Task FieldInitializerWithoutEval_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:_model.call(x)|};
        }
    }"), Expect(0, "_model", "created at line 35"));

        [Fact]
        public Task MonteCarloDropout_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Sample(Net model, Tensor x, int n)
    {
        using (torch.no_grad())
        {
            model.train();
            var samples = new List<Tensor>();
            for (var i = 0; i < n; i++)
            {
                samples.Add(model.call(x));
            }
            return torch.stack(samples).mean(new long[] { 0 });
        }
    }"));

        [Fact]
        public Task ModelWithoutModeDependentLayers_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Plain();
        var linear = nn.Sequential(nn.Linear(4, 4), nn.ReLU());
        using (torch.no_grad())
        {
            return linear.call(model.call(x));
        }
    }"));

        [Fact]
        public Task EvalBeforeNoGrad_IsSilent()
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
        public Task TrainFalse_CountsAsEval()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        model.train(false);
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task EvalInTryFinallyBeforeRegion_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new Net();
        try
        {
            model.eval();
            using (torch.no_grad())
            {
                return model.call(x);
            }
        }
        finally
        {
            model.train();
        }
    }"));

        [Fact]
        public Task TrainingForwardOutsideRegion_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }"));

        [Fact]
        public Task LossModules_AreNeverTracked()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x, Tensor y)
    {
        var loss = nn.CrossEntropyLoss();
        using (torch.no_grad())
        {
            return loss.call(x, y);
        }
    }"));

        [Fact]
        public Task InsideLambda_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Tensor, Tensor> Make()
    {
        return x =>
        {
            var model = new Net();
            using (torch.no_grad())
            {
                return {|#0:model.call(x)|};
            }
        };
    }"), Expect(0, "model", "created at line 39"));

        [Fact]
        public Task InsideLocalFunction_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        return Infer(x);

        static Tensor Infer(Tensor input)
        {
            var model = new Net();
            using (torch.no_grad())
            {
                return {|#0:model.call(input)|};
            }
        }
    }"), Expect(0, "model", "created at line 41"));

        [Fact]
        public Task InsideLocalFunctionNamedLikeInference_WithoutNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        return Infer(x);

        static Tensor Infer(Tensor input)
        {
            var model = new Net();
            return {|#0:model.call(input)|};
        }
    }"), Expect(0, "model", "created at line 41"));

        [Fact]
        public Task InsideLocalFunctionWithAnotherName_WithoutNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        return Apply(x);

        static Tensor Apply(Tensor input)
        {
            var model = new Net();
            return model.call(input);
        }
    }"));

        [Fact]
        public Task CapturedModuleInLambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Tensor, Tensor> Make()
    {
        var model = new Net();
        return x =>
        {
            using (torch.no_grad())
            {
                return model.call(x);
            }
        };
    }"));

        [Fact]
        public Task InferenceMethodByName_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    public Tensor Predict(Tensor x)
    {
        var model = new Net();
        model.load(""weights.bin"");
        return {|#0:model.call(x)|};
    }"), Expect(0, "model", "created at line 37"));

        [Fact]
        public Task InferenceMethodHeuristicSwitchedOff_IsSilent()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
    public Tensor Predict(Tensor x)
    {
        var model = new Net();
        return model.call(x);
    }"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.inference_method_heuristic = false"));
            return test.RunAsync();
        }

        [Fact]
        public Task InferenceMethodNamesConfigured_Reports()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
    public Tensor Serve(Tensor x)
    {
        var model = new Net();
        return {|#0:model.call(x)|};
    }

    public Tensor Predict(Tensor x)
    {
        var model = new Net();
        return model.call(x);
    }"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.inference_method_names = Serve"));
            test.ExpectedDiagnostics.Add(Expect(0, "model", "created at line 37"));
            return test.RunAsync();
        }

        [Fact]
        public Task OwnForwardOfAModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    class Wrapper : nn.Module<Tensor, Tensor>
    {
        private readonly Net _inner = new Net();
        public Wrapper() : base(nameof(Wrapper)) { RegisterComponents(); }
        public override Tensor forward(Tensor x)
        {
            using (torch.no_grad())
            {
                return _inner.call(x);
            }
        }
    }"));

        [Fact]
        public Task HelperCalledOnlyUnderNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Forward(Net model, Tensor x) => {|#0:model.call(x)|};

    Tensor Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            return Forward(model, x);
        }
    }"), Expect(0, "model", "created at line 39"));

        [Fact]
        public Task TopLevelProgram_Reports()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using TorchSharp;
using static TorchSharp.torch;

var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5));
using (torch.no_grad())
{
    System.Console.WriteLine({|#0:model.call(torch.ones(1, 4))|});
}
",
            };
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Expect(0, "model", "created at line 5", "its Dropout stays active"));
            return test.RunAsync();
        }

        [Fact]
        public Task WithoutTorchSharp_IsSilent()
        {
            var test = new Verify.Test { TestCode = "class C { void M() { } }" };
            test.TestState.AdditionalReferences.Clear();
            return test.RunAsync();
        }
    }
}
