using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// The fix at a call that runs a helper with autograd on while another call protects it: the call follows its
    /// callers' convention — its statement goes under the scope (a block or a using declaration), or the body of the
    /// lambda it is written in does; Fix All wraps every such call.
    /// </summary>
    public class UnprotectedCallSiteCodeFixTests
    {
        private const string Run = @"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return {|#1:model.call(x)|};
    }
";

        private const string RunFixed = @"
    static Tensor Run(Net model, Tensor x)
    {
        model.eval();
        return model.call(x);
    }
";

        private static DiagnosticResult AtRunCall(int call, string protectedLine)
            => UnprotectedCallExpectation.At(call, 1, 2, "Run()", "model", "line 38", "it is in eval mode", protectedLine);

        [Fact]
        public Task TheCallIsWrappedInAUsingBlock_WithItsComment()
            => Verify.VerifyCodeFixAsync(
                Code(Run + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
        }
        // scored again for the log
        var again = {|#0:Run(model, x)|};
        Console.WriteLine(again.sum().ToSingle());
    }"),
                new[] { AtRunCall(0, "line 45") },
                Code(RunFixed + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        // scored again for the log
        using (torch.no_grad())
        {
            var again = Run(model, x);
            Console.WriteLine(again.sum().ToSingle());
        }
    }"),
                MissingNoGradCodeFixProvider.UsingBlockKey);

        [Fact]
        public Task AUsingDeclarationBeforeTheCall()
            => Verify.VerifyCodeFixAsync(
                Code(Run + @"
    static Tensor Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
        }
        return {|#0:Run(model, x)|};
    }"),
                new[] { AtRunCall(0, "line 45") },
                Code(RunFixed + @"
    static Tensor Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        using var noGrad = torch.no_grad();
        return Run(model, x);
    }"),
                MissingNoGradCodeFixProvider.UsingDeclarationKey);

        [Fact]
        public Task ACallInALambdaOnAnotherThread_TheScopeGoesInsideTheLambda()
            => Verify.VerifyCodeFixAsync(
                Code(Run + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
            new System.Threading.Thread(() => {|#0:Run(model, x)|}).Start();
        }
    }"),
                new[] { AtRunCall(0, "line 45") },
                Code(RunFixed + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
            new System.Threading.Thread(() =>
            {
                using (torch.no_grad())
                {
                    Run(model, x);
                }
            }).Start();
        }
    }"),
                MissingNoGradCodeFixProvider.UsingBlockKey);

        [Fact]
        public Task FixAll_WrapsEveryUnprotectedCall_AcrossMethods()
        {
            var test = new Verify.Test
            {
                TestCode = Code(Run + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Run(model, x)|};
        }
        Console.WriteLine({|#0:Run(model, x)|}.sum().ToSingle());
    }

    static Tensor Other(Net model, Tensor x) => {|#3:Run(model, x)|};"),
                FixedCode = Code(RunFixed + @"
    static void Main(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Run(model, x);
        }
        using (torch.no_grad())
        {
            Console.WriteLine(Run(model, x).sum().ToSingle());
        }
    }

    static Tensor Other(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            return Run(model, x);
        }
    }"),
                CodeActionEquivalenceKey = MissingNoGradCodeFixProvider.UsingBlockKey,
            };
            test.ExpectedDiagnostics.Add(AtRunCall(0, "line 45"));
            test.ExpectedDiagnostics.Add(AtRunCall(3, "line 45"));
            return test.RunAsync();
        }
    }
}
