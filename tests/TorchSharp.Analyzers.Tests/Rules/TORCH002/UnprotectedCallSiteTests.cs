using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A helper's inference pass that some call runs inside a grad-disabled scope (issue 14, item 5): reported at every
    /// call proved to record — in the caller's own block, whichever class or file it is in — naming the helper, its pass
    /// and the protected call (additional locations); silent at the helper, and silent when no call is proved to record.
    /// The members start at line 35 of <see cref="Code"/>.
    /// </summary>
    public class UnprotectedCallSiteTests
    {
        private const string Run = @"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#1:model.call(x)|};
    }
";

        private static DiagnosticResult AtRunCall(int call, string protectedLine, int protectedCall = 2)
            => UnprotectedCallExpectation.At(call, 1, protectedCall, "Run()", "model", "line 38", "it is in eval mode", protectedLine);

        [Fact]
        public Task OneCallInsideNoGradOneOutside_ReportsTheCallOutside()
            => Verify.VerifyAnalyzerAsync(Code(Run + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
        }
        var again = {|#0:Run(model, x)|};
    }"), AtRunCall(0, "line 45"));

        [Fact]
        public Task FieldModelInAnInferenceMethod_CallsInALoopAndInAnExpression_EachReported()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#2:_model.call(x)|};

    void Serve(Tensor x, Tensor y)
    {
        using (torch.inference_mode())
        {
            {|#3:Predict(x)|};
        }
        Console.WriteLine({|#0:Predict(x)|}.sum().ToSingle());
        for (var i = 0; i < 3; i++)
        {
            Console.WriteLine({|#1:Predict(y)|}.sum().ToSingle());
        }
    }"),
                UnprotectedCallExpectation.At(0, 2, 3, "Predict()", "_model", "line 36", "'Predict' is an inference method", "line 42"),
                UnprotectedCallExpectation.At(1, 2, 3, "Predict()", "_model", "line 36", "'Predict' is an inference method", "line 42"));

        [Fact]
        public Task LocalModelOfTheHelper_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Score(Tensor x)
    {
        var model = new Net();
        model.eval();
        return {|#1:model.call(x)|};
    }

    static void Main(Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Score(x)|};
        }
        {|#0:Score(x)|};
    }"), UnprotectedCallExpectation.At(0, 1, 2, "Score()", "model", "line 39", "it is in eval mode", "line 46"));

        [Fact]
        public Task CallersInOtherClassesAndFiles_EachReportedInItsOwnFile()
        {
            var test = new Verify.Test
            {
                TestState =
                {
                    Sources =
                    {
                        Code(Run.Replace("static Tensor Run", "internal static Tensor Run") + @"
    static Tensor Quiet(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#2:Run(model, x)|};
        }
    }
}

class Same
{
    static Tensor Loud(Net model, Tensor x) => {|#0:C.Run(model, x)|};"),
                        @"using TorchSharp;
using static TorchSharp.torch;

static class Server
{
    public static Tensor Handle(Net model, Tensor x) => {|#3:C.Run(model, x)|};
}",
                    },
                },
            };
            test.ExpectedDiagnostics.Add(AtRunCall(0, "line 45"));
            test.ExpectedDiagnostics.Add(UnprotectedCallExpectation.At(3, 1, 2, "Run()", "model", "line 38 of Test0.cs", "it is in eval mode", "line 45 of Test0.cs"));
            return test.RunAsync();
        }

        [Fact]
        public Task UnprotectedCallInsideTryAndBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Run + @"
    static void Main(Net model, Tensor x, bool flag)
    {
        try
        {
            if (flag)
            {
                using var noGrad = torch.no_grad();
                {|#2:Run(model, x)|};
            }
            else
            {
                {|#0:Run(model, x)|};
            }
        }
        finally
        {
            model.train();
        }
    }"), AtRunCall(0, "line 48"));

        [Fact]
        public Task UnprotectedCallInALambdaRunInPlace_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Run + @"
    static List<Tensor> Main(Net model, List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, batches[0])|};
        }
        return batches.Select(x => {|#0:Run(model, x)|}).ToList();
    }"), AtRunCall(0, "line 45"));

        [Fact]
        public Task UnprotectedCallInALambdaOnAnotherThread_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Run + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
            new System.Threading.Thread(() => {|#0:Run(model, x)|}).Start();
        }
    }"), AtRunCall(0, "line 45"));

        // No call protects the helper: its own pass is the finding (and the fix puts the scope there), not the calls.
        [Fact]
        public Task NoCallProtects_ReportsThePassInTheHelper()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#0:model.call(x)|};
    }

    static Tensor Main(Net model, Tensor x) => Run(model, x);
    static Tensor Again(Net model, Tensor x) => Run(model, x);"),
                Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "it is in eval mode"));

        // Negatives.

        [Fact]
        public Task EveryCallProtects_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }

    static Tensor Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
            return Run(model, x);
        }
    }"));

        [Fact]
        public Task OtherCallInALambdaOfUnknownSchedule_NoCallProvedToRecord_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }

    static Func<Tensor> Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        return () => Run(model, x);
    }"));

        [Fact]
        public Task OtherCallInALocalFunction_ItsGradModeIsNotKnown_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }

    static Tensor Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        return Again();

        Tensor Again() => Run(model, x);
    }"));

        [Fact]
        public Task UnprotectedCallInACallerThatEveryCallerProtects_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }

    static Tensor Middle(Net model, Tensor x) => Run(model, x);

    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
            Middle(model, x);
        }
    }"));

        [Fact]
        public Task HelperOpensItsOwnScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }

    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        Run(model, x);
    }"));

        [Fact]
        public Task HelperWhoseOutputFeedsBackward_IsNoInference_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Loss(Net model, Tensor x, Tensor y)
    {
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        return loss;
    }

    static void Main(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            Loss(model, x, y);
        }
        Loss(model, x, y);
    }"));
    }
}
