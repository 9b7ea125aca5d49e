using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH005
{
    /// <summary>TORCH005 positives and negatives: training steps that may run with the module in eval mode.</summary>
    public class MissingTrainDiagnosticsTests
    {
        /// <summary>What TORCH005 says is off for <c>Net</c> (a Dropout and a BatchNorm).</summary>
        internal const string NetInEval = "its Dropout is off and its BatchNorm normalizes with frozen running statistics";

        private static DiagnosticResult Expect(int location, string module, string why, string consequence = MissingTrainDiagnosticsTests.NetInEval)
            => Verify.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(location).WithArguments(module, why, consequence);

        [Fact]
        public Task EpochLoopValidatesAndNeverTrainsAgain_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, Tensor vx, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss({|#0:model.call(x)|}, y);
            loss.backward();
            optimizer.step();
            model.eval();
            using (torch.no_grad())
            {
                Console.WriteLine(model.call(vx).mean().item<float>());
            }
        }
    }"), Expect(0, "model", "eval() in 'Fit' at line 45"));

        [Fact]
        public Task TrainAtTheTopOfTheEpoch_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, Tensor vx, int epochs)
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
            using (torch.no_grad())
            {
                Console.WriteLine(model.call(vx).mean().item<float>());
            }
        }
    }"));

        [Fact]
        public Task TrainAfterValidation_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            model.eval();
            Console.WriteLine(epoch);
            model.train();
        }
    }"));

        [Fact]
        public Task EvalBeforeTrainingWithoutLoop_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.eval();
        var output = {|#0:model.call(x)|};
        var loss = nn.functional.cross_entropy(output, y);
        loss.backward();
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'Step' at line 39"));

        [Fact]
        public Task EvalOnOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y, bool check)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        if (check)
        {
            model.eval();
        }
        nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'Step' at line 41"));

        [Fact]
        public Task EvaluationHelperBetweenEpochs_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static float Evaluate(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x).mean().item<float>();
        }
    }

    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
            Console.WriteLine(Evaluate(model, x));
        }
    }"), Expect(0, "model", "left in eval mode by 'Evaluate()' at line 53"));

        [Fact]
        public Task TrainingHelperWhoseCallerEvaluatesInBetween_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void TrainEpoch(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        optimizer.zero_grad();
        nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
        optimizer.step();
    }

    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            TrainEpoch(model, optimizer, x, y);
            model.eval();
        }
    }"), Expect(0, "model", "eval() in 'Fit' at line 49"));

        [Fact]
        public Task TrainingHelperThatCallsTrain_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void TrainEpoch(Net model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        model.train();
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }

    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            TrainEpoch(model, optimizer, x, y);
            model.eval();
        }
    }"));

        [Fact]
        public Task FieldEvaluatedByAnotherMethod_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    C() => _optimizer = optim.Adam(_model.parameters());

    public void TrainEpoch(Tensor x, Tensor y)
    {
        _optimizer.zero_grad();
        nn.functional.mse_loss({|#0:_model.call(x)|}, y).backward();
        _optimizer.step();
    }

    public float Validate(Tensor x)
    {
        _model.eval();
        using (torch.no_grad())
        {
            return _model.call(x).mean().item<float>();
        }
    }"), Expect(0, "_model", "eval() in 'Validate' at line 49"));

        [Fact]
        public Task FieldTrainedExplicitly_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    C() => _optimizer = optim.Adam(_model.parameters());

    public void TrainEpoch(Tensor x, Tensor y)
    {
        _model.train();
        _optimizer.zero_grad();
        nn.functional.mse_loss(_model.call(x), y).backward();
        _optimizer.step();
    }

    public void Validate() => _model.eval();"));

        [Fact]
        public Task FieldNeverEvaluated_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    C() => _optimizer = optim.Adam(_model.parameters());

    public void TrainEpoch(Tensor x, Tensor y)
    {
        _optimizer.zero_grad();
        nn.functional.mse_loss(_model.call(x), y).backward();
        _optimizer.step();
    }"));

        [Fact]
        public Task SaliencyWithoutOptimizerStep_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Saliency(Tensor x)
    {
        var model = new Net();
        model.eval();
        x.requires_grad = true;
        model.call(x).max().backward();
        return x.grad.abs();
    }"));

        [Fact]
        public Task ValidationForwardThatDoesNotFeedBackward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, Tensor vx, int epochs)
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
            var validation = model.call(vx);
            Console.WriteLine(validation.mean().item<float>());
        }
    }"));

        [Fact]
        public Task UnknownModeWithoutEvalInSight_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }"));

        [Fact]
        public Task ModelWithoutModeDependentLayers_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y)
    {
        var model = new Plain();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.eval();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }"));

        [Fact]
        public Task LossThroughSeveralLocals_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.train(false);
        var logits = {|#0:model.call(x)|};
        var probabilities = logits.softmax(1);
        Tensor loss = null;
        loss = nn.functional.nll_loss(probabilities.log(), y);
        loss.backward();
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'Step' at line 39"));

        [Fact]
        public Task AutogradBackwardFunction_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.eval();
        var loss = nn.functional.mse_loss({|#0:model.call(x)|}, y);
        torch.autograd.backward(new[] { loss });
        optimizer.step();
    }"), Expect(0, "model", "eval() in 'Step' at line 39"));

        [Fact]
        public Task TryFinallyRestoresTrain_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            try
            {
                model.eval();
                Console.WriteLine(epoch);
            }
            finally
            {
                model.train();
            }
        }
    }"));

        [Fact]
        public Task InsideNoGrad_IsNotATrainingStep()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor x, Tensor y)
    {
        var model = new Net();
        var optimizer = optim.SGD(model.parameters(), 0.1);
        model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(model.call(x));
        }
        optimizer.step();
    }"));

        [Fact]
        public Task InsideLambdaTrainingStep_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Action Make(Tensor x, Tensor y)
    {
        return () =>
        {
            var model = new Net();
            var optimizer = optim.SGD(model.parameters(), 0.1);
            model.eval();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
        };
    }"), Expect(0, "model", "eval() in 'Make' at line 41"));

        [Fact]
        public Task WhileLoopWithEvalAtTheEnd_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Tensor x, Tensor y, Func<bool> more)
    {
        var model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4));
        var optimizer = optim.Adam(model.parameters());
        while (more())
        {
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
            model.eval();
        }
    }"), Expect(0, "model", "eval() in 'Fit' at line 44", "its BatchNorm normalizes with frozen running statistics"));
    }
}
