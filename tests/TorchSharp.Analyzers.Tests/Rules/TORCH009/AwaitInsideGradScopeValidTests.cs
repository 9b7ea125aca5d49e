using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH009.AwaitInsideGradScopeDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.AwaitInsideGradScopeAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH009
{
    /// <summary>TORCH009 negatives: awaits that do not suspend inside a grad-mode scope of the same body.</summary>
    public class AwaitInsideGradScopeValidTests
    {
        [Fact]
        public Task AwaitBeforeTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<Tensor> Predict(Net model, Func<Task<Tensor>> load)
    {
        var x = await load();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }"));

        [Fact]
        public Task AwaitAfterTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<float> Predict(Net model, Tensor x, Func<float, Task> save)
    {
        float result;
        using (torch.no_grad())
        {
            result = model.call(x).sum().item<float>();
        }

        await save(result);
        return result;
    }"));

        [Fact]
        public Task ScopeClosedAndReopenedAroundTheAwait_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x, Func<Task> wait)
    {
        using (torch.no_grad())
        {
            model.call(x);
        }

        await wait();
        using (torch.no_grad())
        {
            model.call(x);
        }
    }"));

        [Fact]
        public Task ScopeDisposedByHandBeforeTheAwait_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Predict(Net model, Tensor x)
    {
        var scope = torch.no_grad();
        model.call(x);
        scope.Dispose();
        await Task.Delay(1);
    }"));

        [Fact]
        public Task CompletedTasks_AreSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task<int> Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            await Task.CompletedTask;
            await Task.CompletedTask.ConfigureAwait(false);
            var a = await Task.FromResult(1);
            await Task.Delay(0);
            await default(ValueTask);
            await new ValueTask();
            var b = await new ValueTask<int>(2);
            await ValueTask.CompletedTask;
            var c = await ValueTask.FromResult(3);
            model.call(x);
            return a + b + c;
        }
    }"));

        [Fact]
        public Task AwaitInsideALambdaDefinedInTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<Task> Make(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            model.call(x);
            return async () => await Task.Delay(1);
        }
    }"));

        [Fact]
        public Task AwaitInsideALocalFunctionDefinedInTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Task Run(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            model.call(x);
            return Later();
        }

        async Task Later() => await Task.Delay(1);
    }"));

        [Fact]
        public Task AwaitInACalleeWithoutScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static async Task Wait() => await Task.Delay(1);

    void Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            model.call(x);
            Wait().Wait();
        }
    }"));

        [Fact]
        public Task EnableGradOnAGradOnThread_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Step(Net model, Tensor x)
    {
        using (torch.enable_grad())
        {
            await Task.Delay(1);
            model.call(x).sum().backward();
        }
    }"));

        [Fact]
        public Task EnableGradInsideNoGradOfTheSameBody_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Step(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            model.call(x);
        }

        using (torch.no_grad())
        using (torch.enable_grad())
        {
            model.call(x).sum().backward();
        }
    }"));

        [Fact]
        public Task SetGradEnabledWithAFlag_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Run(Net model, Tensor x, bool training)
    {
        using (torch.set_grad_enabled(training))
        {
            await Task.Delay(1);
            model.call(x);
        }
    }"));

        [Fact]
        public Task BareSwitchWithoutScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Run(Net model, Tensor x)
    {
        torch.set_grad_enabled(false);
        await Task.Delay(1);
        model.call(x);
        torch.set_grad_enabled(true);
    }"));

        [Fact]
        public Task AsyncMethodWithoutGradSwitch_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    async Task Run(Net model, Tensor x)
    {
        await Task.Delay(1);
        model.call(x);
    }"));

        [Fact]
        public Task SingleThreadedContextAssumed_IsSilent()
            => new Verify.Test
            {
                TestCode = Code(@"
    async Task Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            await Task.Delay(1);
            model.call(x);
        }
    }"),
                TestState =
                {
                    AnalyzerConfigFiles = { TorchSharp.Analyzers.Tests.Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH009.assume_single_threaded_context = true") },
                },
            }.RunAsync();

        [Fact]
        public Task CallerUnderNoGradAwaitsOutsideAnyScopeOfItsOwn_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static async Task Helper(Net model, Tensor x)
    {
        await Task.Delay(1);
        model.call(x);
    }

    void Predict(Net model, Tensor x)
    {
        using (torch.no_grad())
        {
            Helper(model, x).Wait();
        }
    }"));
    }
}
