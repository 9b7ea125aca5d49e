using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.Rules;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH006.UndisposedGradModeScopeDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH006
{
    /// <summary>
    /// TORCH006 and a discard assignment: <c>using (_ = torch.no_grad())</c> disposes the value of the assignment, the
    /// scope (measured in tests/TorchSharp.Analyzers.Runtime.Tests/DiscardUsingScopeTests.cs); the bare statement
    /// <c>_ = torch.no_grad();</c> drops it.
    /// </summary>
    public class UndisposedGradModeScopeDiscardUsingTests
    {
        [Theory]
        [InlineData("using (_ = torch.no_grad()) { return model.call(x); }")]
        [InlineData("using (_ = torch.inference_mode()) { return model.call(x); }")]
        [InlineData("using (_ = inference_mode()) { return model.call(x); }")]
        [InlineData("using (_ = torch.set_grad_enabled(false)) { return model.call(x); }")]
        [InlineData("using (_ = torch.enable_grad(false)) { return model.call(x); }")]
        [InlineData("using (_ = (torch.no_grad())) { return model.call(x); }")]
        [InlineData("using (NewDisposeScope()) using (_ = torch.inference_mode()) { return model.call(x); }")]
        [InlineData("using (var scope = (_ = torch.no_grad())) { return model.call(x); }")]
        public Task UsingStatementOverADiscard_IsSilent(string body)
            => Verify.VerifyAnalyzerAsync(InMethod(body));

        [Fact]
        public Task BareDiscardNextToAUsingOverADiscard_ReportsOnlyTheBareOne()
            => Verify.VerifyAnalyzerAsync(
                InMethod(@"
        using (_ = torch.inference_mode())
        {
            model.call(x);
        }
        _ = {|#0:torch.no_grad()|};
        return model.call(x);"),
                Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(0)
                    .WithArguments("torch.no_grad()", "discarded", "autograd stays off and backward() throws"));

        [Fact]
        public Task DiscardInsideTheUsingBlock_Reports()
            => Verify.VerifyAnalyzerAsync(
                InMethod(@"
        using (_ = torch.inference_mode())
        {
            _ = {|#0:torch.no_grad()|};
            return model.call(x);
        }"),
                Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(0)
                    .WithArguments("torch.no_grad()", "discarded", "autograd stays off and backward() throws"));
    }
}
