using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A lambda run in place inherits its creator's grad-off scope and the modes of the modules it captures (issue 14,
    /// item 2): a module still in training mode, run by a materialized LINQ query inside no_grad, is TORCH001's business
    /// as if the pass were written in the statement. A lambda run on another thread does not inherit the scope.
    /// </summary>
    public class LambdaInferenceRegionTests
    {
        private static DiagnosticResult Expect(int location, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location).WithArguments("model", why, NetInTraining);

        [Fact]
        public Task MaterializedSelectInsideNoGrad_OverAFreshModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(List<Tensor> batches)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            return batches.Select(x => {|#0:model.call(x)|}).ToList();
        }
    }"), Expect(0, "created at line 37"));

        [Fact]
        public Task MaterializedSelectInsideNoGrad_AfterEval_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return batches.Select(x => model.call(x)).ToList();
        }
    }"));

        [Fact]
        public Task LazySelectInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<Tensor> Run(List<Tensor> batches)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            return batches.Select(x => model.call(x));
        }
    }"));

        [Fact]
        public Task ThreadStartedInsideNoGrad_DoesNotInheritTheScope_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad())
        {
            var worker = new System.Threading.Thread(() => Console.WriteLine(model.call(x).sum().ToSingle()));
            worker.Start();
            worker.Join();
        }
    }"));
    }
}
