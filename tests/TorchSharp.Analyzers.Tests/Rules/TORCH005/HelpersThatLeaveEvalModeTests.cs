using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH005
{
    /// <summary>
    /// TORCH005 for helpers that switch the model to eval mode and never switch it back (issue 14, item 4): a sampling or
    /// evaluation helper called every N batches — a method of the trainer, a method given the model, or a method of another
    /// object that holds the same model — leaves the training steps after it in eval mode.
    /// </summary>
    public class HelpersThatLeaveEvalModeTests
    {
        /// <summary>A file with the test models and the given classes.</summary>
        internal static string Source(string classes) => @"
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
" + TORCH001.MissingEvalDiagnosticsTests.Models + @"
" + classes;

        private static DiagnosticResult Expect(int location, string module, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(location).WithArguments(module, why, MissingTrainDiagnosticsTests.NetInEval);

        // The training method every trainer below shares: train() once, then a sampling call every 100 batches.
        private const string FitSamplingEvery100 = @"
    public void Fit(Tensor x, Tensor y, int steps)
    {
        _model.train();
        for (var i = 0; i < steps; i++)
        {
            if (i % 100 == 0)
            {
                SAMPLE;
            }

            _optimizer.zero_grad();
            var loss = nn.functional.mse_loss({|#0:_model.call(x)|}, y);
            loss.backward();
            _optimizer.step();
        }
    }";

        private static string Fit(string sample) => FitSamplingEvery100.Replace("SAMPLE", sample);

        [Fact]
        public Task SamplingMethodOfTheTrainerEveryNBatches_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    private void Sample(Tensor x)
    {
        _model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(_model.call(x).mean().item<float>());
        }
    }
" + Fit("Sample(x)") + @"
}"), Expect(0, "_model", "left in eval mode by 'Sample()' at line 53"));

        [Fact]
        public Task SamplingMethodThatRestoresTrain_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    private void Sample(Tensor x)
    {
        _model.eval();
        try
        {
            using (torch.no_grad())
            {
                Console.WriteLine(_model.call(x).mean().item<float>());
            }
        }
        finally
        {
            _model.train();
        }
    }
" + Fit("Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task CallerRestoresTrainRightAfterTheBranch_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    private void Sample(Tensor x)
    {
        _model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(_model.call(x).mean().item<float>());
        }
    }
" + Fit("Sample(x); _model.train()").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task OverridableSamplingMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    protected virtual void Sample(Tensor x)
    {
        _model.eval();
    }
" + Fit("Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplingMethodGivenTheModel_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    private static void Sample(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(model.call(x).mean().item<float>());
        }
    }
" + Fit("Sample(_model, x)") + @"
}"), Expect(0, "_model", "left in eval mode by 'Sample()' at line 53"));

        [Fact]
        public Task HelperBeforeAStrayStep_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    private float Evaluate(Tensor x)
    {
        _model.eval();
        using (torch.no_grad())
        {
            return _model.call(x).mean().item<float>();
        }
    }

    public void Step(Tensor x, Tensor y)
    {
        _model.train();
        Console.WriteLine(Evaluate(x));
        _optimizer.zero_grad();
        nn.functional.mse_loss({|#0:_model.call(x)|}, y).backward();
        _optimizer.step();
    }
}"), Expect(0, "_model", "left in eval mode by 'Evaluate()' at line 49"));

        // A sampler object that holds the trainer's model: Sample() switches its own field to eval mode.
        private const string Sampler = @"
class Sampler
{
    private readonly Net _model;

    public Sampler(Net model)
    {
        _model = model;
    }

    public void Sample(Tensor x)
    {
        _model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(_model.call(x).mean().item<float>());
        }
    }
}
";

        [Fact]
        public Task SamplerFieldBuiltWithTheSameModel_Reports()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private readonly Net _model;
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer(Net model)
    {
        _model = model;
        _sampler = new Sampler(model);
        _optimizer = optim.Adam(_model.parameters());
    }
" + Fit("_sampler.Sample(x)") + @"
}"), Expect(0, "_model", "left in eval mode by 'Sample()' at line 69"));

        [Fact]
        public Task SamplerFieldBuiltFromTheModelField_Reports()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private Net _model = new Net();
    private Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer()
    {
        _sampler = new Sampler(_model);
        _optimizer = optim.Adam(_model.parameters());
    }
" + Fit("_sampler.Sample(x)") + @"
}"), Expect(0, "_model", "left in eval mode by 'Sample()' at line 68"));

        [Fact]
        public Task SamplerBuiltWithAnotherModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly Net _teacher = new Net();
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer()
    {
        _sampler = new Sampler(_teacher);
        _optimizer = optim.Adam(_model.parameters());
    }
" + Fit("_sampler.Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplerWhoseFieldIsReassigned_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(Sampler.Replace("private readonly Net _model;", "private Net _model;").Replace("    public void Sample", "    public void Retarget(Net model) => _model = model;\n\n    public void Sample") + @"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer()
    {
        _sampler = new Sampler(_model);
        _optimizer = optim.Adam(_model.parameters());
    }
" + Fit("_sampler.Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplerFieldReplacedByTheTrainer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private readonly Net _model = new Net();
    private Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer()
    {
        _sampler = new Sampler(_model);
        _optimizer = optim.Adam(_model.parameters());
    }

    public void UseSampler(Sampler sampler) => _sampler = sampler;
" + Fit("_sampler.Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplerWhoseModelFieldIsReplacedAfterward_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private Net _model;
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer(Net model)
    {
        _model = model;
        _sampler = new Sampler(model);
        _optimizer = optim.Adam(_model.parameters());
    }

    public void Swap(Net model) => _model = model;
" + Fit("_sampler.Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplerCalledInsideALambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Source(Sampler + @"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer()
    {
        _sampler = new Sampler(_model);
        _optimizer = optim.Adam(_model.parameters());
    }
" + Fit("Action later = () => _sampler.Sample(x)").Replace("{|#0:_model.call(x)|}", "_model.call(x)") + @"
}"));

        [Fact]
        public Task SamplingLocalFunction_IsNotFollowedAndStaysSilent()
            => Verify.VerifyAnalyzerAsync(Source(@"
class Trainer
{
    private readonly Net _model = new Net();
    private readonly optim.Optimizer _optimizer;

    public Trainer() => _optimizer = optim.Adam(_model.parameters());

    public void Fit(Tensor x, Tensor y, int steps)
    {
        void Sample() => _model.eval();

        _model.train();
        for (var i = 0; i < steps; i++)
        {
            if (i % 100 == 0)
            {
                Sample();
            }

            _optimizer.zero_grad();
            nn.functional.mse_loss(_model.call(x), y).backward();
            _optimizer.step();
        }
    }
}"));

        [Fact]
        public Task StaticModelAndStaticEvaluation_Reports()
            => Verify.VerifyAnalyzerAsync(Source(@"
static class Program
{
    private static readonly Net Model = new Net();

    private static void Test(Tensor x)
    {
        Model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(Model.call(x).mean().item<float>());
        }
    }

    public static void Train(Tensor x, Tensor y, int epochs)
    {
        var optimizer = optim.Adam(Model.parameters());
        Model.train();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:Model.call(x)|}, y).backward();
            optimizer.step();
            Test(x);
        }
    }
}"), Expect(0, "Model", "left in eval mode by 'Test()' at line 52"));
    }
}
