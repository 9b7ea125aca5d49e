using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.Rules;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH006
{
    /// <summary>TORCH006 positives: scopes that are lost on some normal path.</summary>
    public class UndisposedGradModeScopeDiagnosticsTests
    {
        private const string Off = "autograd stays off and backward() throws";

        internal static string InMethod(string body) => @"
using System;
using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, bool flag, int n)
    {
" + body + @"
    }
}";

        private static DiagnosticResult Discarded(int location, string call, string effect = Off)
            => Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(location).WithArguments(call, "discarded", effect);

        private static DiagnosticResult Undisposed(int location, string call, string effect = Off)
            => Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(location).WithArguments(call, "not disposed on every path", effect);

        [Fact]
        public Task BareNoGradStatement_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.no_grad()|};
        return model.call(x);"), Discarded(0, "torch.no_grad()"));

        [Fact]
        public Task BareNoGradThroughUsingStatic_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:no_grad()|};
        return model.call(x);"), Discarded(0, "no_grad()"));

        [Fact]
        public Task DiscardAssignment_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        _ = {|#0:torch.no_grad()|};
        return model.call(x);"), Discarded(0, "torch.no_grad()"));

        [Fact]
        public Task BareInferenceMode_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.inference_mode()|};
        return model.call(x);"), Discarded(0, "torch.inference_mode()", "the thread stays in inference mode and backward() throws"));

        [Fact]
        public Task BareInferenceModeFalse_ReportsWithItsEffect()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.inference_mode(false)|};
        return model.call(x);"), Discarded(0, "torch.inference_mode(false)", "inference mode stays off where the caller turned it on"));

        [Fact]
        public Task BareEnableGrad_ReportsThatGradStaysOn()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.enable_grad()|};
        return model.call(x);"), Discarded(0, "torch.enable_grad()", "autograd stays on where the caller turned it off"));

        [Fact]
        public Task BareEnableGradFalse_ReportsThatGradStaysOff()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.enable_grad(false)|};
        return model.call(x);"), Discarded(0, "torch.enable_grad(false)"));

        [Fact]
        public Task BareEnableGradWithVariable_ReportsGenericEffect()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.enable_grad(flag)|};
        return model.call(x);"), Discarded(0, "torch.enable_grad(flag)", "the grad mode it set stays in force"));

        [Fact]
        public Task BareSetGradEnabled_ReportsWhenOptionOn()
        {
            var test = new Verify.Test
            {
                TestCode = InMethod(@"
        {|#0:torch.set_grad_enabled(false)|};
        return model.call(x);"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH006.report_bare_set_grad_enabled = true"));
            test.ExpectedDiagnostics.Add(Discarded(0, "torch.set_grad_enabled(false)"));
            return test.RunAsync();
        }

        [Fact]
        public Task LocalNeverDisposed_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        return model.call(x);"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task LocalDisposedOnOneBranchOnly_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        var y = model.call(x);
        if (flag)
        {
            scope.Dispose();
        }
        return y;"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task EarlyReturnBeforeDispose_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        if (flag)
        {
            return model.call(x);
        }
        var y = model.call(x * 2);
        scope.Dispose();
        return y;"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task CreatedInLoopDisposedAfterLoop_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        IDisposable scope = null;
        for (var i = 0; i < n; i++)
        {
            scope = {|#0:torch.no_grad()|};
            x = model.call(x);
        }
        scope?.Dispose();
        return x;"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task BreakOutOfLoopSkipsDispose_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        for (var i = 0; i < n; i++)
        {
            var scope = {|#0:torch.no_grad()|};
            x = model.call(x);
            if (flag)
            {
                break;
            }
            scope.Dispose();
        }
        return x;"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task ContinueSkipsDispose_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        foreach (var i in new[] { 1, 2, 3 })
        {
            var scope = {|#0:torch.inference_mode()|};
            if (i == 2)
            {
                continue;
            }
            x = model.call(x);
            scope.Dispose();
        }
        return x;"), Undisposed(0, "torch.inference_mode()", "the thread stays in inference mode and backward() throws"));

        [Fact]
        public Task OverwrittenBeforeDispose_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        x = model.call(x);
        scope = torch.enable_grad();
        scope.Dispose();
        return x;"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task DisposedInCatchOnly_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        try
        {
            return model.call(x);
        }
        catch (Exception)
        {
            scope.Dispose();
            throw;
        }"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task SwitchCaseMissesDispose_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = {|#0:torch.no_grad()|};
        switch (n)
        {
            case 0:
                scope.Dispose();
                return x;
            case 1:
                return model.call(x);
            default:
                scope.Dispose();
                return model.call(x);
        }"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task InsideLambda_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        Func<Tensor, Tensor> predict = input =>
        {
            {|#0:torch.no_grad()|};
            return model.call(input);
        };
        return predict(x);"), Discarded(0, "torch.no_grad()"));

        [Fact]
        public Task LocalInsideLambdaNotDisposed_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        Func<Tensor, Tensor> predict = input =>
        {
            var scope = {|#0:torch.no_grad()|};
            return model.call(input);
        };
        return predict(x);"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task LocalInsideLocalFunctionNotDisposedOnEveryPath_Reports()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        return Predict(x);

        Tensor Predict(Tensor input)
        {
            var scope = {|#0:torch.no_grad()|};
            if (flag)
            {
                return input;
            }
            var y = model.call(input);
            scope.Dispose();
            return y;
        }"), Undisposed(0, "torch.no_grad()"));

        [Fact]
        public Task TopLevelStatements_Reports()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using TorchSharp;
using static TorchSharp.torch;

var model = nn.Linear(4, 2);
{|#0:torch.no_grad()|};
var y = model.call(torch.ones(1, 4));
",
            };
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Discarded(0, "torch.no_grad()"));
            return test.RunAsync();
        }

        [Fact]
        public Task InConstructorAndPropertyGetter_Reports()
            => Verify.VerifyAnalyzerAsync(@"
using TorchSharp;

class C
{
    C()
    {
        {|#0:torch.no_grad()|};
    }

    bool Flag
    {
        get
        {
            var s = {|#1:torch.inference_mode()|};
            return torch.is_inference_mode_enabled();
        }
    }
}",
                Discarded(0, "torch.no_grad()"),
                Undisposed(1, "torch.inference_mode()", "the thread stays in inference mode and backward() throws"));

        [Fact]
        public Task LongCallIsAbbreviatedInMessage()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        {|#0:torch.enable_grad(
            flag && n > 0 && x.shape.Length > 1 && x.shape[0] > 1 && x.shape[1] > 1)|};
        return model.call(x);"), Discarded(0, "torch.enable_grad(…)", "the grad mode it set stays in force"));
    }
}
