using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH006.UndisposedGradModeScopeDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH006
{
    /// <summary>TORCH006 negatives: correct code that must stay silent.</summary>
    public class UndisposedGradModeScopeValidTests
    {
        [Theory]
        [InlineData("using (torch.no_grad()) { return model.call(x); }")]
        [InlineData("using (var scope = torch.no_grad()) { return model.call(x); }")]
        [InlineData("using var scope = torch.no_grad(); return model.call(x);")]
        [InlineData("using var _ = torch.inference_mode(); return model.call(x);")]
        [InlineData("using (torch.enable_grad(flag)) { return model.call(x); }")]
        [InlineData("using (torch.set_grad_enabled(false)) { return model.call(x); }")]
        [InlineData("using (torch.no_grad()) using (torch.enable_grad()) { return model.call(x); }")]
        public Task UsingStatementsAndDeclarations_AreSilent(string body)
            => Verify.VerifyAnalyzerAsync(InMethod(body));

        [Fact]
        public Task BareSetGradEnabled_IsSilentByDefault()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        torch.set_grad_enabled(false);
        var y = model.call(x);
        torch.set_grad_enabled(true);
        return y;"));

        [Fact]
        public Task DisposedInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        try
        {
            if (flag)
            {
                return x;
            }
            return model.call(x);
        }
        finally
        {
            scope.Dispose();
        }"));

        [Fact]
        public Task DisposedInNestedFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        try
        {
            try
            {
                return model.call(x);
            }
            finally
            {
                Console.WriteLine(""inner"");
            }
        }
        finally
        {
            scope.Dispose();
        }"));

        [Fact]
        public Task DisposedWithNullConditional_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        IDisposable scope = null;
        if (flag)
        {
            scope = torch.no_grad();
        }
        var y = model.call(x);
        scope?.Dispose();
        return y;"));

        [Fact]
        public Task DisposedAfterNullCheck_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        IDisposable scope = flag ? null : torch.no_grad();
        var y = model.call(x);
        if (scope != null)
        {
            scope.Dispose();
        }
        return y;"));

        [Fact]
        public Task DisposedOnEveryBranch_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        if (flag)
        {
            scope.Dispose();
            return x;
        }
        var y = model.call(x);
        scope.Dispose();
        return y;"));

        [Fact]
        public Task DisposedOnEveryLoopIteration_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        for (var i = 0; i < n; i++)
        {
            var scope = torch.no_grad();
            x = model.call(x);
            scope.Dispose();
        }
        return x;"));

        [Fact]
        public Task DisposedThroughUsingOnExistingLocal_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        using (scope)
        {
            return model.call(x);
        }"));

        [Fact]
        public Task DisposedInSwitchOnEveryCase_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        switch (n)
        {
            case 0:
                scope.Dispose();
                return x;
            default:
                var y = model.call(x);
                scope.Dispose();
                return y;
        }"));

        [Fact]
        public Task ThrowPathsAreNotFollowed_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        if (n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n));
        }
        var y = model.call(x);
        scope.Dispose();
        return y;"));

        [Fact]
        public Task ReturnedToCaller_IsSilent()
            => Verify.VerifyAnalyzerAsync(@"
using System;
using TorchSharp;

class C
{
    IDisposable Direct() => torch.no_grad();

    IDisposable ThroughLocal(bool inference)
    {
        var scope = inference ? torch.inference_mode() : torch.no_grad();
        return scope;
    }

    IDisposable Declared()
    {
        IDisposable scope = torch.no_grad();
        return scope;
    }
}");

        [Fact]
        public Task StoredInFieldOrProperty_IsSilent()
            => Verify.VerifyAnalyzerAsync(@"
using System;
using TorchSharp;

class Session : IDisposable
{
    private IDisposable _scope;
    public IDisposable Other { get; set; }

    public void Begin()
    {
        _scope = torch.no_grad();
        var local = torch.inference_mode();
        Other = local;
    }

    public void Dispose()
    {
        _scope?.Dispose();
        Other?.Dispose();
    }
}");

        [Fact]
        public Task PassedToAMethodThatTakesOwnership_IsSilent()
            => Verify.VerifyAnalyzerAsync(@"
using System;
using System.Collections.Generic;
using TorchSharp;

class C
{
    private readonly List<IDisposable> _owned = new List<IDisposable>();

    void Own(IDisposable scope) => _owned.Add(scope);

    void Run()
    {
        Own(torch.no_grad());
        var scope = torch.inference_mode();
        Own(scope);
        _owned.Add(torch.enable_grad(false));
    }
}");

        [Fact]
        public Task CapturedByLambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        Action close = () => scope.Dispose();
        var y = model.call(x);
        close();
        return y;"));

        [Fact]
        public Task LocalFunctionDisposesCapturedLocal_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        var y = model.call(x);
        Close();
        return y;

        void Close() => scope.Dispose();"));

        [Fact]
        public Task ExpressionBodiedLambdaReturningScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        Func<IDisposable> open = () => torch.no_grad();
        using (open())
        {
            return model.call(x);
        }"));

        [Fact]
        public Task ReadingTheLocalWithoutGivingItAway_StillRequiresDispose()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        var scope = torch.no_grad();
        Console.WriteLine(scope is null);
        Console.WriteLine(scope.GetHashCode());
        var y = model.call(x);
        scope.Dispose();
        return y;"));

        [Fact]
        public Task WithoutTorchSharp_IsSilent()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using System;

static class torch
{
    public static IDisposable no_grad() => null;
}

class C
{
    void Run()
    {
        torch.no_grad();
    }
}",
            };
            test.TestState.AdditionalReferences.Clear();
            return test.RunAsync();
        }

        [Fact]
        public Task OtherMethodsOfTorch_AreSilent()
            => Verify.VerifyAnalyzerAsync(InMethod(@"
        torch.is_grad_enabled();
        torch.manual_seed(1);
        return model.call(x);"));

        [Fact]
        public Task GeneratedCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(@"
// <auto-generated/>
using TorchSharp;

class C
{
    void Run()
    {
        torch.no_grad();
    }
}");
    }
}
