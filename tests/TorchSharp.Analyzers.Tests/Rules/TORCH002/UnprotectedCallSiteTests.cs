using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A helper's inference pass that some call runs inside a grad-disabled scope (issue 14, item 5): reported at the pass
    /// (a diagnostic of the helper's own block, which the IDE and the fixes need), naming the protected call and every call
    /// proved to record, which are also its additional locations; silent when no call is proved to record.
    /// </summary>
    public class UnprotectedCallSiteTests
    {
        private static DiagnosticResult Mixed(int pass, string module, string because, int protectedLine, params (int Location, int Line)[] unprotected)
        {
            var result = Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(pass);
            foreach (var call in unprotected)
            {
                result = result.WithLocation(call.Location);
            }

            var lines = string.Join(", ", System.Linq.Enumerable.Select(unprotected, call => "line " + call.Line));
            return result.WithArguments(module, because + "; the call at line " + protectedLine + " runs it inside a grad-disabled scope, "
                + (unprotected.Length == 1 ? "the call at " + lines + " does not" : "the calls at " + lines + " do not"));
        }

        [Fact]
        public Task OneCallInsideNoGradOneOutside_NamesTheCallOutside()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#1:model.call(x)|};
    }

    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        var again = {|#0:Run(model, x)|};
    }"), Mixed(1, "model", "it is in eval mode", 45, (0, 47)));

        [Fact]
        public Task InferenceMethodByName_TwoUnprotectedCalls_NamesBoth()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#2:_model.call(x)|};

    void Serve(Tensor x, Tensor y)
    {
        using (torch.inference_mode())
        {
            Predict(x);
        }
        Console.WriteLine({|#0:Predict(x)|}.sum().ToSingle());
        for (var i = 0; i < 3; i++)
        {
            Console.WriteLine({|#1:Predict(y)|}.sum().ToSingle());
        }
    }"), Mixed(2, "_model", "'Predict' is an inference method", 42, (0, 44), (1, 47)));

        [Fact]
        public Task NoCallProtects_ReportsWithoutNamingCalls()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#0:model.call(x)|};
    }

    static Tensor Main(Net model, Tensor x) => Run(model, x);"),
                Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "it is in eval mode"));

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
        public Task UnprotectedCallInsideTryAndBranch_IsNamed()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#1:model.call(x)|};
    }

    static void Main(Net model, Tensor x, bool flag)
    {
        try
        {
            if (flag)
            {
                using var noGrad = torch.no_grad();
                Run(model, x);
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
    }"), Mixed(1, "model", "it is in eval mode", 48, (0, 52)));
    }
}
