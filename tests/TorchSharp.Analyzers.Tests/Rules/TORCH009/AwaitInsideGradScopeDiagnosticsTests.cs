using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.AwaitInsideGradScopeAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH009
{
    /// <summary>TORCH009 positives: an await while a grad-mode scope of the same body is open.</summary>
    public class AwaitInsideGradScopeDiagnosticsTests
    {
        internal const string Off = "the code after it may resume on another thread with autograd recording, and the thread that opened the scope keeps autograd off";
        internal const string Inference = "the code after it may resume on another thread outside inference mode, with autograd recording, and the thread that opened the scope stays in inference mode";
        internal const string OnUnderOff = "the code after it may resume on another thread, and the scope's Dispose there switches autograd off on that thread";

        /// <summary>The members go into class C; the first line of <paramref name="members"/> after its leading newline is line <see cref="FirstLine"/>.</summary>
        internal static string Code(string members) => @"using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear fc = nn.Linear(4, 2);
    public Net() : base(nameof(Net)) => RegisterComponents();
    public override Tensor forward(Tensor x) => fc.call(x);
}

class C
{" + members + @"
}";

        /// <summary>The line of the first member line.</summary>
        internal const int FirstLine = 16;

        internal static DiagnosticResult Expect(int location, string kind, string scope, int line, string consequence = Off)
            => Verify.Diagnostic(DiagnosticIds.AwaitInsideGradScope).WithLocation(location)
                .WithArguments(kind, "the '" + scope + "' scope opened at line " + line, consequence);

        [Fact]
        public Task AwaitInsideUsingNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<Tensor> Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#0:await|} Task.Delay(10);
            return model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AwaitAfterUsingDeclaration_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<Tensor> Predict(Net model, Func<Task<Tensor>> load)
    {
        using var scope = torch.no_grad();
        var x = {|#0:await|} load();
        return model.call(x);
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task InferenceMode_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<Tensor> Predict(Net model, Tensor x)
    {
        using (torch.inference_mode())
        {
            {|#0:await|} Task.Yield();
            return model.call(x);
        }
    }"), Expect(0, "await", "torch.inference_mode()", FirstLine + 2, Inference));

        [Fact]
        public Task SetGradEnabledFalse_ConfigureAwaitFalse_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<Tensor> Predict(Net model, Tensor x)
    {
        using var _ = torch.set_grad_enabled(false);
        {|#0:await|} Task.Run(() => 1).ConfigureAwait(false);
        return model.call(x);
    }"), Expect(0, "await", "torch.set_grad_enabled(false)", FirstLine + 2));

        [Fact]
        public Task EnableGradFalse_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x)
    {
        using (torch.enable_grad(false))
        {
            {|#0:await|} Task.Delay(1);
        }
    }"), Expect(0, "await", "torch.enable_grad(false)", FirstLine + 2));

        [Fact]
        public Task AwaitForeach_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, IAsyncEnumerable<Tensor> batches)
    {
        using (torch.no_grad())
        {
            {|#0:await|} foreach (var x in batches)
            {
                model.call(x);
            }
        }
    }"), Expect(0, "await foreach", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AwaitUsing_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, Func<IAsyncDisposable> open)
    {
        using (torch.no_grad())
        {
            {|#0:await|} using (open())
            {
                model.call(x);
            }
        }
    }"), Expect(0, "await using", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AwaitUsingDeclaration_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, Func<IAsyncDisposable> open)
    {
        using var scope = torch.no_grad();
        {|#0:await|} using var resource = open();
        model.call(x);
    }"), Expect(0, "await using", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AwaitInsideLoopInsideScope_ReportsOnce()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor[] xs)
    {
        using (torch.no_grad())
        {
            foreach (var x in xs)
            {
                model.call(x);
                {|#0:await|} Task.Delay(1);
            }
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task ScopeInsideLoop_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor[] xs)
    {
        for (var i = 0; i < xs.Length; i++)
        {
            using var scope = torch.no_grad();
            model.call(xs[i]);
            {|#0:await|} Task.Delay(1);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 4));

        [Fact]
        public Task AwaitInOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, bool slow)
    {
        using (torch.no_grad())
        {
            if (slow)
            {
                {|#0:await|} Task.Delay(1);
            }

            model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AwaitInsideTryFinallyInsideScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            try
            {
                {|#0:await|} Task.Delay(1);
            }
            finally
            {
                model.call(x);
            }
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task AsyncLambdaWithItsOwnScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Task> Make(Net model, Tensor x)
        => async () =>
        {
            using (torch.no_grad())
            {
                {|#0:await|} Task.Delay(1);
                model.call(x);
            }
        };"), Expect(0, "await", "torch.no_grad()", FirstLine + 3));

        [Fact]
        public Task AsyncLocalFunctionWithItsOwnScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Task Run(Net model, Tensor x)
    {
        return Local();

        async Task Local()
        {
            using var scope = torch.no_grad();
            {|#0:await|} Task.Delay(1);
            model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 6));

        [Fact]
        public Task AwaitOfAHelperInsideScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static async Task<Tensor> Load() { await Task.Delay(1); return torch.ones(4); }

    async Task<Tensor> Predict(Net model)
    {
        using (torch.no_grad())
        {
            var x = {|#0:await|} Load();
            return model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 4));

        [Fact]
        public Task ScopeFromAHelperOfThisCompilation_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IDisposable NoGrad() => torch.no_grad();

    async Task Predict(Net model, Tensor x)
    {
        using (NoGrad())
        {
            {|#0:await|} Task.Delay(1);
            model.call(x);
        }
    }"), Expect(0, "await", "NoGrad()", FirstLine + 4));

        [Fact]
        public Task EnableGradWhereASwitchTurnedGradOff_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Step(Net model, Tensor x)
    {
        torch.set_grad_enabled(false);
        using (torch.enable_grad())
        {
            {|#0:await|} Task.Delay(1);
            model.call(x).sum().backward();
        }

        torch.set_grad_enabled(true);
    }"), Expect(0, "await", "torch.enable_grad()", FirstLine + 3, OnUnderOff));

        [Fact]
        public Task ScopeHeldInALocalDisposedByHand_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x)
    {
        var scope = torch.no_grad();
        {|#0:await|} Task.Delay(1);
        model.call(x);
        scope.Dispose();
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task ValueTaskThatMayBePending_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, Task<int> pending)
    {
        using (torch.no_grad())
        {
            {|#0:await|} new ValueTask<int>(pending);
            model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));

        [Fact]
        public Task SingleThreadedContextAssumed_ConfigureAwaitFalseStillReports()
            => new Verify.Test
            {
                TestCode = Code(@"
    async Task Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            await Task.Delay(1);
            {|#0:await|} Task.Delay(1).ConfigureAwait(false);
            model.call(x);
        }
    }"),
                TestState =
                {
                    AnalyzerConfigFiles = { TorchSharp.Analyzers.Tests.Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH009.assume_single_threaded_context = true") },
                },
                ExpectedDiagnostics = { Expect(0, "await", "torch.no_grad()", FirstLine + 2) },
            }.RunAsync();

        [Fact]
        public Task TopLevelStatements_Report()
            => new Verify.Test
            {
                TestCode = @"using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

var model = nn.Linear(4, 2);
using (torch.no_grad())
{
    {|#0:await|} Task.Delay(1);
    model.call(torch.ones(1, 4));
}
",
                TestState = { OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication },
                ExpectedDiagnostics = { Expect(0, "await", "torch.no_grad()", 6) },
            }.RunAsync();

        [Fact]
        public Task AwaitInCatchInsideScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, Func<Task> log)
    {
        using (torch.no_grad())
        {
            try
            {
                model.call(x);
            }
            catch (Exception)
            {
                {|#0:await|} log();
            }

            model.call(x);
        }
    }"), Expect(0, "await", "torch.no_grad()", FirstLine + 2));
    }
}
