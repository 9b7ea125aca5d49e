using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH007
{
    /// <summary>TORCH007 positives and negatives: backward() where autograd is off.</summary>
    public class BackwardWithoutGradDiagnosticsTests
    {
        private static DiagnosticResult Expect(int location, string where)
            => Verify.Diagnostic(DiagnosticIds.BackwardWithoutGrad).WithLocation(location).WithArguments(where);

        [Fact]
        public Task BackwardInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            var loss = nn.functional.mse_loss(model.call(x), y);
            {|#0:loss.backward()|};
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task BackwardInsideInferenceMode_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        using var scope = torch.inference_mode();
        {|#0:nn.functional.mse_loss(model.call(x), y).backward()|};
    }"), Expect(0, "inside the inference_mode scope opened at line 37"));

        [Fact]
        public Task BackwardAfterSetGradEnabledFalse_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        torch.set_grad_enabled(false);
        var loss = nn.functional.mse_loss(model.call(x), y);
        {|#0:loss.backward()|};
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task BackwardAfterDiscardedNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        torch.no_grad();
        {|#0:nn.functional.mse_loss(model.call(x), y).backward()|};
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task EnableGradFalse_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss)
    {
        using (torch.enable_grad(false))
        {
            {|#0:loss.backward()|};
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task AutogradBackwardFunction_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss)
    {
        using (torch.no_grad())
        {
            {|#0:torch.autograd.backward(new[] { loss })|};
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task HelperCalledInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => {|#0:loss.backward()|};

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Learn(loss);
        }
    }"), Expect(0, "in 'Learn', which is called at line 41 inside the grad-disabled scope opened at line 39"));

        [Fact]
        public Task HelperCalledOutsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => loss.backward();

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Console.WriteLine(loss);
        }
        Learn(loss);
    }"));

        [Fact]
        public Task EnableGradNestedInNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            using (torch.enable_grad())
            {
                nn.functional.mse_loss(model.call(x), y).backward();
            }
        }
    }"));

        [Fact]
        public Task AfterTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            Console.WriteLine(model.call(x));
        }
        nn.functional.mse_loss(model.call(x), y).backward();
    }"));

        [Fact]
        public Task AfterExplicitDispose_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss)
    {
        var scope = torch.no_grad();
        Console.WriteLine(loss);
        scope.Dispose();
        loss.backward();
    }"));

        [Fact]
        public Task AfterSetGradEnabledTrue_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss)
    {
        torch.set_grad_enabled(false);
        Console.WriteLine(loss);
        torch.set_grad_enabled(true);
        loss.backward();
    }"));

        [Fact]
        public Task OnlyOnOnePath_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss, bool frozen)
    {
        IDisposable scope = frozen ? torch.no_grad() : null;
        loss.backward();
        scope?.Dispose();
    }"));

        [Fact]
        public Task UnknownGradMode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss, bool record)
    {
        using (torch.set_grad_enabled(record))
        {
            loss.backward();
        }
    }"));

        [Fact]
        public Task OptimizerStepInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Net model)
    {
        var optimizer = optim.SGD(model.parameters(), 0.1);
        using (torch.no_grad())
        {
            optimizer.step();
        }
    }"));

        [Fact]
        public Task InsideLoopBody_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        using (torch.no_grad())
        {
            for (var i = 0; i < epochs; i++)
            {
                {|#0:nn.functional.mse_loss(model.call(x), y).backward()|};
            }
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task InsideTryFinallyScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss)
    {
        var scope = torch.no_grad();
        try
        {
            {|#0:loss.backward()|};
        }
        finally
        {
            scope.Dispose();
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task InsideLambdaWithOwnScope_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Action<Tensor> Make()
    {
        return loss =>
        {
            using (torch.no_grad())
            {
                {|#0:loss.backward()|};
            }
        };
    }"), Expect(0, "inside the grad-disabled scope opened at line 39"));

        [Fact]
        public Task LambdaBodyWithoutScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Action<Tensor> Make()
    {
        using (torch.no_grad())
        {
            return loss => loss.backward();
        }
    }"));

        [Fact]
        public Task SwitchCasesAllUnderNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Step(Tensor loss, int n)
    {
        using (torch.no_grad())
        {
            switch (n)
            {
                case 0:
                    Console.WriteLine(n);
                    break;
                default:
                    {|#0:loss.backward()|};
                    break;
            }
        }
    }"), Expect(0, "inside the grad-disabled scope opened at line 37"));

        [Fact]
        public Task TopLevelProgram_Reports()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using TorchSharp;

var x = torch.ones(2, 2).requires_grad_();
using (torch.no_grad())
{
    {|#0:x.sum().backward()|};
}
",
            };
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Expect(0, "inside the grad-disabled scope opened at line 5"));
            return test.RunAsync();
        }
    }
}
