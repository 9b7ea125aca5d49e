using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.AwaitInsideGradScopeAnalyzer,
    TorchSharp.Analyzers.CodeFixes.AwaitInsideGradScopeCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH009
{
    /// <summary>TORCH009 fixes: the split, the move, comments, Fix All, and where no fix keeps the meaning.</summary>
    public class AwaitInsideGradScopeCodeFixTests
    {
        private const string Key = AwaitInsideGradScopeCodeFixProvider.EndScopeAroundAwaitKey;

        private static string Method(string body) => @"using System;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

class C
{
    async Task<Tensor> Run(nn.Module<Tensor, Tensor> model, Tensor x, Func<Task<Tensor>> load)
    {
" + body + @"
    }
}";

        /// <summary>The first line of the body.</summary>
        private const int Body = 10;

        private static DiagnosticResult Expect(int location, int line, string scope = "torch.no_grad()")
            => Verify.Diagnostic(DiagnosticIds.AwaitInsideGradScope).WithLocation(location)
                .WithArguments("await", "the '" + scope + "' scope opened at line " + line, AwaitInsideGradScopeDiagnosticsTests.Off);

        [Fact]
        public Task AwaitFirstInTheScope_MovesBeforeIt()
            => Verify.VerifyCodeFixAsync(
                Method(@"        using (torch.no_grad())
        {
            var data = {|#0:await|} load(); // fetch
            return model.call(data);
        }"),
                new[] { Expect(0, Body) },
                Method(@"        var data = await load(); // fetch
        using (torch.no_grad())
        {
            return model.call(data);
        }"),
                Key);

        [Fact]
        public Task AwaitInTheMiddle_SplitsTheScope()
            => Verify.VerifyCodeFixAsync(
                Method(@"        // inference
        using (torch.no_grad())
        {
            model.call(x);
            var data = {|#0:await|} load();
            return model.call(data);
        }"),
                new[] { Expect(0, Body + 1) },
                Method(@"        // inference
        using (torch.no_grad())
        {
            model.call(x);
        }

        var data = await load();
        using (torch.no_grad())
        {
            return model.call(data);
        }"),
                Key);

        [Fact]
        public Task AwaitLastInTheScope_EndsTheScopeBeforeIt()
            => Verify.VerifyCodeFixAsync(
                Method(@"        Tensor y;
        using (torch.no_grad())
        {
            y = model.call(x);
            {|#0:await|} Task.Delay(1);
        }

        return y;"),
                new[] { Expect(0, Body + 1) },
                Method(@"        Tensor y;
        using (torch.no_grad())
        {
            y = model.call(x);
        }

        await Task.Delay(1);

        return y;"),
                Key);

        [Fact]
        public Task UsingDeclaration_SplitsAndKeepsTheDeclarationForTheRest()
            => Verify.VerifyCodeFixAsync(
                Method(@"        using var scope = torch.no_grad();
        model.call(x);
        var data = {|#0:await|} load();
        return model.call(data);"),
                new[] { Expect(0, Body) },
                Method(@"        using (torch.no_grad())
        {
            model.call(x);
        }

        var data = await load();
        using var scope = torch.no_grad();
        return model.call(data);"),
                Key);

        [Fact]
        public Task UsingDeclaration_AwaitRightAfter_MovesBeforeIt()
            => Verify.VerifyCodeFixAsync(
                Method(@"        using var scope = torch.inference_mode();
        var data = {|#0:await|} load();
        return model.call(data);"),
                new[]
                {
                    Verify.Diagnostic(DiagnosticIds.AwaitInsideGradScope).WithLocation(0).WithArguments(
                        "await", "the 'torch.inference_mode()' scope opened at line " + Body, AwaitInsideGradScopeDiagnosticsTests.Inference),
                },
                Method(@"        var data = await load();
        using var scope = torch.inference_mode();
        return model.call(data);"),
                Key);

        [Fact]
        public Task TwoAwaits_FixAllSplitsTwice()
            => Verify.VerifyCodeFixAsync(
                Method(@"        using (torch.no_grad())
        {
            model.call(x);
            var a = {|#0:await|} load();
            model.call(a);
            var b = {|#1:await|} load();
            return model.call(b);
        }"),
                new[] { Expect(0, Body), Expect(1, Body) },
                Method(@"        using (torch.no_grad())
        {
            model.call(x);
        }

        var a = await load();
        using (torch.no_grad())
        {
            model.call(a);
        }

        var b = await load();
        using (torch.no_grad())
        {
            return model.call(b);
        }"),
                Key);

        [Fact]
        public Task LocalOfTheFirstPartUsedAfterTheAwait_NoFix()
            => Verify.VerifyAnalyzerAsync(
                Method(@"        using (torch.no_grad())
        {
            var y = model.call(x);
            {|#0:await|} Task.Delay(1);
            return model.call(y);
        }"),
                Expect(0, Body));

        [Fact]
        public Task AwaitNestedInAnExpression_NoFix()
            => Verify.VerifyAnalyzerAsync(
                Method(@"        using (torch.no_grad())
        {
            return model.call({|#0:await|} load());
        }"),
                Expect(0, Body));

        [Fact]
        public Task AwaitInsideAnIfInTheScope_NoFix()
            => Verify.VerifyAnalyzerAsync(
                Method(@"        using (torch.no_grad())
        {
            if (x.numel() > 4)
            {
                x = {|#0:await|} load();
            }

            return model.call(x);
        }"),
                Expect(0, Body));

        [Fact]
        public Task ScopeVariableUsedBeforeTheAwait_NoFix()
            => Verify.VerifyAnalyzerAsync(
                Method(@"        using var scope = torch.no_grad();
        GC.KeepAlive(scope);
        var data = {|#0:await|} load();
        return model.call(data);"),
                Expect(0, Body));

        [Fact]
        public Task DeclaredLocalNamedAgainAfterTheScope_NoFix()
            => Verify.VerifyAnalyzerAsync(
                Method(@"        using (torch.no_grad())
        {
            var data = {|#0:await|} load();
            model.call(data);
        }

        {
            var data = x;
            return data;
        }"),
                Expect(0, Body));
    }
}
