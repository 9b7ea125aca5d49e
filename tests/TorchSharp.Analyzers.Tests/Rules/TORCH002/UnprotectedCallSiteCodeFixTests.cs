using System.Threading.Tasks;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>The fix for a helper that some calls protect and others do not: the scope goes into the helper, so every call is protected.</summary>
    public class UnprotectedCallSiteCodeFixTests
    {
        [Fact]
        public Task TheHelperIsWrapped()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#0:model.call(x)|};
    }

    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        var again = {|#1:Run(model, x)|};
        Console.WriteLine(again.sum().ToSingle());
    }"),
                new[]
                {
                    Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithLocation(1)
                        .WithArguments("model", "it is in eval mode; the call at line 45 runs it inside a grad-disabled scope, the call at line 47 does not"),
                },
                Code(@"
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
        var again = Run(model, x);
        Console.WriteLine(again.sum().ToSingle());
    }"),
                MissingNoGradCodeFixProvider.UsingBlockKey);
    }
}
