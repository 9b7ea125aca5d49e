using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// An explicit interface implementation is named <c>IPredictor.Predict</c>, but its calls are written
    /// <c>p.Predict(x)</c>: the text tier once looked for the former and found no caller, so a predictor whose every call
    /// runs inside no_grad was reported (found by ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class ExplicitInterfaceCallerTests
    {
        private const string Predictor = @"
public interface IPredictor { Tensor Predict(Tensor x); }

public sealed class Predictor : IPredictor
{
    private readonly Net _model = new Net();
    public Predictor() { _model.eval(); }
    Tensor IPredictor.Predict(Tensor x) => {|#0:_model.call(x)|};
}
";

        [Fact]
        public Task EveryCallThroughTheInterfaceInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + Predictor.Replace("{|#0:", string.Empty).Replace("|}", string.Empty) + @"
public static class Use
{
    public static Tensor Run(IPredictor p, Tensor x) { using (torch.no_grad()) { return p.Predict(x); } }
}");

        [Fact]
        public Task ACallThroughTheInterfaceOutsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Header + Predictor + @"
public static class Use
{
    public static Tensor Run(IPredictor p, Tensor x) { using (torch.no_grad()) { return {|#2:p.Predict(x)|}; } }
    public static Tensor Open(IPredictor p, Tensor x) => {|#1:p.Predict(x)|};
}", UnprotectedCallExpectation.At(1, 0, 2, "Predict()", "_model", "line 20", "it is in eval mode", "line 25"));
    }
}
