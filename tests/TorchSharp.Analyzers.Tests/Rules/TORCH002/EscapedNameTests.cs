using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// An identifier written with a Unicode escape (<c>Pr\u0065dict</c>) names what its unescaped text names, but the word
    /// index reads text: a call, a method group or a field mention so written was invisible to the text tier (found by
    /// ShortcutEquivalenceTests.IndirectCalls). Flow/EscapedNames.cs adds them to every text question.
    /// </summary>
    public class EscapedNameTests
    {
        [Fact]
        public Task OnlyCallWrittenWithAnEscapeInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Runner() { _model.eval(); }
    public Tensor Apply(Tensor x) => _model.call(x);
    public Tensor Run(Tensor x) { using (torch.no_grad()) { return \u0041pply(x); } }
}");

        [Fact]
        public Task MethodGroupWrittenWithAnEscapeReturned_Reports()
            => Verify.VerifyAnalyzerAsync(Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    public System.Collections.Generic.List<Tensor> All(System.Collections.Generic.List<Tensor> xs)
    {
        using (torch.no_grad()) { return System.Linq.Enumerable.ToList(System.Linq.Enumerable.Select(xs, Predict)); }
    }
    public Func<Tensor, Tensor> Get() => Pr\u0065dict;
}", Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("_model", "'Predict' is an inference method"));

        [Fact]
        public Task FieldSetToTrainingThroughAnEscapedName_IsNotInEvalMode()
            => Verify.VerifyAnalyzerAsync(Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Runner() { _model.eval(); }
    public Tensor Apply(Tensor x) => _model.call(x);
    public void Train() { _m\u006fdel.train(); }
}");
    }
}
