using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer,
    TorchSharp.Analyzers.CodeFixes.UndisposedGradModeScopeCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH006
{
    /// <summary>TORCH006 fixes: both actions, trivia, free names, Fix All, places where a shape does not fit.</summary>
    public class UndisposedGradModeScopeCodeFixTests
    {
        private const string Declaration = UndisposedGradModeScopeCodeFixProvider.UsingDeclarationKey;
        private const string Block = UndisposedGradModeScopeCodeFixProvider.UsingBlockKey;

        private static string Method(string body) => @"using System;
using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x, bool flag)
    {
" + body + @"
    }
}";

        private static DiagnosticResult Discarded(int location, string call = "torch.no_grad()")
            => Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(location)
                .WithArguments(call, "discarded", "autograd stays off and backward() throws");

        private static DiagnosticResult Undisposed(int location, string call = "torch.no_grad()")
            => Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(location)
                .WithArguments(call, "not disposed on every path", "autograd stays off and backward() throws");

        [Fact]
        public Task Discarded_UsingDeclaration_KeepsComments()
            => Verify.VerifyCodeFixAsync(
                Method(@"        // inference only
        {|#0:torch.no_grad()|}; // no graph
        return model.call(x);"),
                new[] { Discarded(0) },
                Method(@"        // inference only
        using var noGrad = torch.no_grad(); // no graph
        return model.call(x);"),
                Declaration);

        [Fact]
        public Task Discarded_UsingBlock_WrapsTheRestOfTheBlock()
            => Verify.VerifyCodeFixAsync(
                Method(@"        // inference only
        {|#0:torch.no_grad()|};
        var y = model.call(x); // forward
        return y;"),
                new[] { Discarded(0) },
                Method(@"        // inference only
        using (torch.no_grad())
        {
            var y = model.call(x); // forward
            return y;
        }"),
                Block);

        [Fact]
        public Task DiscardAssignment_UsingDeclaration()
            => Verify.VerifyCodeFixAsync(
                Method(@"        _ = {|#0:torch.no_grad()|};
        return model.call(x);"),
                new[] { Discarded(0) },
                Method(@"        using var noGrad = torch.no_grad();
        return model.call(x);"),
                Declaration);

        [Fact]
        public Task InferenceMode_GetsItsOwnName()
            => Verify.VerifyCodeFixAsync(
                Method(@"        {|#0:torch.inference_mode()|};
        return model.call(x);"),
                new[]
                {
                    Verify.Diagnostic(DiagnosticIds.UndisposedGradModeScope).WithLocation(0)
                        .WithArguments("torch.inference_mode()", "discarded", "the thread stays in inference mode and backward() throws"),
                },
                Method(@"        using var inferenceMode = torch.inference_mode();
        return model.call(x);"),
                Declaration);

        [Fact]
        public Task NameInUse_PicksAFreeOne()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var noGrad = 1;
        {|#0:torch.no_grad()|};
        if (flag)
        {
            var noGrad2 = noGrad;
        }
        return model.call(x);"),
                new[] { Discarded(0) },
                Method(@"        var noGrad = 1;
        using var noGrad3 = torch.no_grad();
        if (flag)
        {
            var noGrad2 = noGrad;
        }
        return model.call(x);"),
                Declaration);

        [Fact]
        public Task UndisposedLocal_UsingDeclaration()
            => Verify.VerifyCodeFixAsync(
                Method(@"        /* scope */ var scope = {|#0:torch.no_grad()|};
        return model.call(x);"),
                new[] { Undisposed(0) },
                Method(@"        /* scope */ using var scope = torch.no_grad();
        return model.call(x);"),
                Declaration);

        [Fact]
        public Task UndisposedLocal_UsingBlock()
            => Verify.VerifyCodeFixAsync(
                Method(@"        IDisposable scope = {|#0:torch.no_grad()|};
        var y = model.call(x);
        return y;"),
                new[] { Undisposed(0) },
                Method(@"        using (IDisposable scope = torch.no_grad())
        {
            var y = model.call(x);
            return y;
        }"),
                Block);

        [Fact]
        public Task LocalDisposedAtTheEndButNotOnEarlyReturn_UsingDeclarationRemovesTheDispose()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var scope = {|#0:torch.no_grad()|};
        if (flag)
        {
            return x;
        }
        x = model.call(x);
        scope.Dispose();"),
                new[] { Undisposed(0), DiagnosticResult.CompilerError("CS0161").WithSpan(7, 12, 7, 15).WithArguments("C.Run(TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>, TorchSharp.torch.Tensor, bool)") },
                Method(@"        using var scope = torch.no_grad();
        if (flag)
        {
            return x;
        }
        x = model.call(x);"),
                Declaration);

        [Fact]
        public Task LocalDisposedMidBlock_UsingBlockEndsWhereDisposeWas()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var scope = {|#0:torch.no_grad()|};
        if (flag)
        {
            return x;
        }
        var y = model.call(x);
        scope.Dispose();
        Console.WriteLine(torch.is_grad_enabled());
        return x;"),
                new[] { Undisposed(0) },
                Method(@"        using (var scope = torch.no_grad())
        {
            if (flag)
            {
                return x;
            }
            var y = model.call(x);
        }
        Console.WriteLine(torch.is_grad_enabled());
        return x;"),
                Block);

        [Fact]
        public Task LocalDisposedMidBlock_NoUsingDeclaration()
        {
            // A using declaration would keep grad off until the end of the block, past the Dispose: not offered.
            var source = Method(@"        var scope = {|#0:torch.no_grad()|};
        if (flag)
        {
            return x;
        }
        scope.Dispose();
        return model.call(x);");
            return Verify.VerifyCodeFixAsync(source, new[] { Undisposed(0) }, source, Declaration);
        }

        [Fact]
        public Task WrappingWouldHideAVariable_NoUsingBlock()
        {
            var source = Method(@"        var scope = {|#0:torch.no_grad()|};
        if (flag)
        {
            return x;
        }
        var y = model.call(x);
        scope.Dispose();
        return y;");
            return Verify.VerifyCodeFixAsync(source, new[] { Undisposed(0) }, source, Block);
        }

        [Fact]
        public Task ReassignedLocal_NoFix()
        {
            var source = Method(@"        var scope = {|#0:torch.no_grad()|};
        x = model.call(x);
        scope = {|#1:torch.no_grad()|};
        return x;");
            return Verify.VerifyCodeFixAsync(source, new[] { Undisposed(0), Undisposed(1) }, source, Declaration);
        }

        [Fact]
        public Task EmbeddedStatement_NoFix()
        {
            var source = Method(@"        if (flag)
            {|#0:torch.no_grad()|};
        return model.call(x);");
            return Verify.VerifyCodeFixAsync(source, new[] { Discarded(0) }, source, Block);
        }

        [Fact]
        public Task CSharp7_OffersOnlyTheUsingBlock()
        {
            var source = Method(@"        {|#0:torch.no_grad()|};
        return model.call(x);");
            var declarationTest = new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = Declaration, LanguageVersion = LanguageVersion.CSharp7_3 };
            declarationTest.ExpectedDiagnostics.Add(Discarded(0));
            return declarationTest.RunAsync();
        }

        [Fact]
        public Task CSharp7_UsingBlock()
        {
            var test = new Verify.Test
            {
                TestCode = Method(@"        {|#0:torch.no_grad()|};
        return model.call(x);"),
                FixedCode = Method(@"        using (torch.no_grad())
        {
            return model.call(x);
        }"),
                CodeActionEquivalenceKey = Block,
                LanguageVersion = LanguageVersion.CSharp7_3,
            };
            test.ExpectedDiagnostics.Add(Discarded(0));
            return test.RunAsync();
        }

        [Fact]
        public Task SwitchSection_UsingBlockOnly()
            => Verify.VerifyCodeFixAsync(
                Method(@"        switch (flag)
        {
            case true:
                {|#0:torch.no_grad()|};
                x = model.call(x);
                break;
        }
        return x;"),
                new[] { Discarded(0) },
                Method(@"        switch (flag)
        {
            case true:
                using (torch.no_grad())
                {
                    x = model.call(x);
                    break;
                }
        }
        return x;"),
                Block);

        [Fact]
        public Task TopLevelStatements_UsingDeclaration()
        {
            var test = new Verify.Test
            {
                TestCode = @"using TorchSharp;

var model = torch.nn.Linear(4, 2);
{|#0:torch.no_grad()|};
var y = model.call(torch.ones(1, 4));
",
                FixedCode = @"using TorchSharp;

var model = torch.nn.Linear(4, 2);
using var noGrad = torch.no_grad();
var y = model.call(torch.ones(1, 4));
",
                CodeActionEquivalenceKey = Declaration,
            };
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Discarded(0));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_UsingBlock_NestsScopesAndKeepsEveryFix()
        {
            var test = new Verify.Test
            {
                TestCode = Method(@"        {|#0:torch.no_grad()|};
        var y = model.call(x);
        {|#1:torch.enable_grad(false)|};
        return model.call(y);"),
                FixedCode = Method(@"        using (torch.no_grad())
        {
            var y = model.call(x);
            using (torch.enable_grad(false))
            {
                return model.call(y);
            }
        }"),
                CodeActionEquivalenceKey = Block,
            };
            test.ExpectedDiagnostics.Add(Discarded(0));
            test.ExpectedDiagnostics.Add(Discarded(1, "torch.enable_grad(false)"));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_UsingDeclaration_AcrossMethodsAndDocuments()
        {
            var test = new Verify.Test
            {
                CodeActionEquivalenceKey = Declaration,
            };
            test.TestState.Sources.Add(@"using TorchSharp;

class A
{
    void One()
    {
        {|#0:torch.no_grad()|};
        {|#1:torch.no_grad()|};
    }
}");
            test.TestState.Sources.Add(@"using TorchSharp;

class B
{
    void Two()
    {
        var s = {|#2:torch.no_grad()|};
    }
}");
            test.FixedState.Sources.Add(@"using TorchSharp;

class A
{
    void One()
    {
        using var noGrad = torch.no_grad();
        using var noGrad2 = torch.no_grad();
    }
}");
            test.FixedState.Sources.Add(@"using TorchSharp;

class B
{
    void Two()
    {
        using var s = torch.no_grad();
    }
}");
            test.ExpectedDiagnostics.Add(Discarded(0));
            test.ExpectedDiagnostics.Add(Discarded(1));
            test.ExpectedDiagnostics.Add(Undisposed(2));
            return test.RunAsync();
        }
    }
}
