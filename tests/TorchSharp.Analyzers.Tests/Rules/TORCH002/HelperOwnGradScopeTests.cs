using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A helper called both inside and outside a grad-disabled scope whose passes sit in a grad-disabled scope of its own:
    /// its calls have nothing to be told, and the rule answers that from the helper's syntax before binding its body
    /// (GradOffScopeSyntax). Where the syntax only looks like such a scope — the scope disposed before the pass, a pass
    /// outside it — the helper is judged as before and its unprotected calls are reported. The members start at line 35
    /// of <see cref="Code"/>.
    /// </summary>
    public class HelperOwnGradScopeTests
    {
        private const string Callers = @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
        }
        var again = {|#0:Run(model, x)|};
    }";

        [Fact]
        public Task PassInAUsingBlockOfNoGrad_CallsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }
" + Callers.Replace("{|#2:", "").Replace("{|#0:", "").Replace("x)|}", "x)")));

        [Fact]
        public Task PassAfterAUsingDeclarationOfInferenceMode_InsideTry_CallsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        try
        {
            using var scope = torch.inference_mode();
            var y = model.forward(x);
            return y;
        }
        finally
        {
            Console.WriteLine(""done"");
        }
    }
" + Callers.Replace("{|#2:", "").Replace("{|#0:", "").Replace("x)|}", "x)")));

        [Fact]
        public Task ScopeDisposedBeforeThePass_UnprotectedCallReported()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        using var scope = torch.no_grad();
        scope.Dispose();
        return {|#1:model.call(x)|};
    }
" + Callers), UnprotectedCallExpectation.At(0, 1, 2, "Run()", "model", "line 40", "it is in eval mode", "line 47"));

        [Fact]
        public Task OnePassInsideTheScopeOneAfterIt_UnprotectedCallReported()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            model.call(x);
        }
        return {|#1:model.call(x)|};
    }
" + Callers), UnprotectedCallExpectation.At(0, 1, 2, "Run()", "model", "line 42", "it is in eval mode", "line 49"));
    }
}
