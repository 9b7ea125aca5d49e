using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingTrainAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingTrainCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH005
{
    /// <summary>TORCH005 fix: train() at the start of the loop body or the method; Fix All inserts it once.</summary>
    public class MissingTrainCodeFixTests
    {
        private const string Key = MissingTrainCodeFixProvider.InsertTrainKey;

        private static DiagnosticResult Expect(int location, string module, string why, string consequence = MissingTrainDiagnosticsTests.NetInEval)
            => Verify.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(location).WithArguments(module, why, consequence);

        [Fact]
        public Task EpochLoop_InsertsTrainAtTheTopOfTheLoopBody()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            // one epoch
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
            model.eval();
        }
    }"),
                new[] { Expect(0, "model", "eval() in 'Fit' at line 45") },
                Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            // one epoch
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            model.eval();
        }
    }"),
                Key);

        [Fact]
        public Task DeconstructingForeach_IsALoopToo()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit((Tensor, Tensor)[] batches)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        foreach (var (x, y) in batches)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
            model.eval();
        }
    }"),
                new[] { Expect(0, "model", "eval() in 'Fit' at line 44") },
                Code(@"
    void Fit((Tensor, Tensor)[] batches)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        foreach (var (x, y) in batches)
        {
            model.train();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            model.eval();
        }
    }"),
                Key);

        [Fact]
        public Task NoLoop_InsertsTrainAtTheStartOfTheMethod()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    C() => _optimizer = optim.Adam(_model.parameters());

    public void TrainStep(Tensor x, Tensor y)
    {
        _optimizer.zero_grad();
        nn.functional.mse_loss({|#0:_model.call(x)|}, y).backward();
        _optimizer.step();
    }

    public void Validate() => _model.eval();"),
                new[] { Expect(0, "_model", "eval() in 'Validate' at line 47") },
                Code(@"
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    C() => _optimizer = optim.Adam(_model.parameters());

    public void TrainStep(Tensor x, Tensor y)
    {
        _model.train();
        _optimizer.zero_grad();
        nn.functional.mse_loss(_model.call(x), y).backward();
        _optimizer.step();
    }

    public void Validate() => _model.eval();"),
                Key);

        [Fact]
        public Task FixAll_TwoForwardPassesInOneLoop_OneTrain()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    void Fit(Tensor x, Tensor y, Tensor x2, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss({|#0:model.call(x)|}, y) + nn.functional.mse_loss({|#1:model.call(x2)|}, y);
            loss.backward();
            optimizer.step();
            model.eval();
        }
    }"),
                new[] { Expect(0, "model", "eval() in 'Fit' at line 45"), Expect(1, "model", "eval() in 'Fit' at line 45") },
                Code(@"
    void Fit(Tensor x, Tensor y, Tensor x2, int epochs)
    {
        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y) + nn.functional.mse_loss(model.call(x2), y);
            loss.backward();
            optimizer.step();
            model.eval();
        }
    }"),
                Key);

        [Fact]
        public Task TrainingHelper_InsertsAtTheStartOfTheHelper()
            => Verify.VerifyCodeFixAsync(
                Code(@"
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
    }"),
                new[] { Expect(0, "model", "eval() in 'Fit' at line 49") },
                Code(@"
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
    }"),
                Key);

        [Fact]
        public Task ModuleDeclaredInsideTheLoop_NoFixAtLoopStart()
        {
            var source = Code(@"
    void Fit(Tensor x, Tensor y, int epochs)
    {
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var model = new Net();
            var optimizer = optim.Adam(model.parameters());
            model.eval();
            nn.functional.mse_loss({|#0:model.call(x)|}, y).backward();
            optimizer.step();
        }
    }");
            return Verify.VerifyCodeFixAsync(source, new[] { Expect(0, "model", "eval() in 'Fit' at line 41") }, source, Key);
        }
    }
}
