using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A method handed on as a method group (issue 14, item 2) is used where it runs: <c>batches.Select(Predict).ToList()</c>
    /// inside no_grad protects Predict's passes like a call there would; a method group whose schedule is not known, or one
    /// run on another thread, does not.
    /// </summary>
    public class MethodGroupInferenceTests
    {
        private static DiagnosticResult ByName(int location, string callers = "")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments("_model", "'Predict' is an inference method" + callers);

        [Fact]
        public Task OnlyUseIsAMaterializedSelectInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => _model.call(x);
    List<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(Predict).ToList();
        }
    }"));

        [Fact]
        public Task QualifiedMethodGroupInsideNoGrad_AndACallInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => _model.call(x);
    Tensor[] PredictAll(List<Tensor> batches, Tensor one)
    {
        using (torch.no_grad())
        {
            Predict(one);
            return batches.Select(this.Predict).ToArray();
        }
    }"));

        [Fact]
        public Task MaterializedSelectWithoutNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    List<Tensor> PredictAll(List<Tensor> batches) => batches.Select(Predict).ToList();"), ByName(0));

        [Fact]
        public Task LazySelectInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    IEnumerable<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(Predict);
        }
    }"), ByName(0));

        [Fact]
        public Task MethodGroupInsideNoGrad_ButADirectCallOutside_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    Tensor Run(List<Tensor> batches, Tensor one)
    {
        using (torch.no_grad())
        {
            batches.ForEach(x => {|#2:Predict(x)|});
            batches.Select(Predict).ToList();
        }
        return {|#1:Predict(one)|};
    }"), UnprotectedCallExpectation.At(1, 0, 2, "Predict()", "_model", "line 36", "'Predict' is an inference method", "line 41"));

        // A method group converted anywhere else — returned, stored, a conditional's branch — is a delegate that may run
        // anywhere: once the text tier saw method groups only as arguments, and these were silent (found by
        // ShortcutEquivalenceTests.IndirectCalls).
        [Fact]
        public Task MaterializedSelectInsideNoGrad_ButAlsoReturnedAsADelegate_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    List<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(Predict).ToList();
        }
    }
    Func<Tensor, Tensor> Predictor() => Predict;"), ByName(0));

        [Fact]
        public Task MaterializedSelectInsideNoGrad_ButAlsoStoredInADelegate_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    List<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(this.Predict).ToList();
        }
    }
    Tensor One(Tensor x)
    {
        Func<Tensor, Tensor> f = Predict;
        return f(x);
    }"), ByName(0));

        [Fact]
        public Task MaterializedSelectInsideNoGrad_ButAlsoABranchOfAConditional_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    Tensor Identity(Tensor x) => x;
    List<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(new Func<Tensor, Tensor>(Predict)).ToList();
        }
    }
    Func<Tensor, Tensor> Pick(bool fast) => fast ? Identity : Predict;"), ByName(0));

        [Fact]
        public Task MaterializedSelectInsideNoGrad_AndANameofElsewhere_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => _model.call(x);
    List<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(Predict).ToList();
        }
    }
    string Name() => nameof(Predict);"));

        [Fact]
        public Task CalledOnlyFromALambdaRunInPlaceInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => _model.call(x);
    void PrintAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            batches.ForEach(x => Console.WriteLine(Predict(x).sum().ToSingle()));
        }
    }"));

        [Fact]
        public Task CalledOnlyFromALambdaRunInPlace_InAHelperEveryCallerProtects_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => _model.call(x);
    double Score(List<Tensor> batches) => batches.Sum(x => Predict(x).mean().ToDouble());
    double Report(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return Score(batches);
        }
    }"));

        [Fact]
        public Task CalledFromALazyLambdaInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    IEnumerable<Tensor> PredictAll(List<Tensor> batches)
    {
        using (torch.no_grad())
        {
            return batches.Select(x => Predict(x));
        }
    }"), ByName(0));

        [Fact]
        public Task AwaitedTaskRunOfAMethodGroupInsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    Tensor Predict() => {|#0:_model.call(torch.zeros(4))|};
    async System.Threading.Tasks.Task<Tensor> Run()
    {
        using (torch.no_grad())
        {
            return await System.Threading.Tasks.Task.Run(Predict);
        }
    }"), ByName(0));
    }
}
