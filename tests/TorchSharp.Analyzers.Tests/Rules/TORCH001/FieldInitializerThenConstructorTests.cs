using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A field created by its initializer and put in eval mode by the constructor is in eval mode after construction:
    /// constructors run after the initializers, so the initializer's mode is where they start, not a path beside them.
    /// </summary>
    public class FieldInitializerThenConstructorTests
    {
        [Fact]
        public Task InitializerCreates_ExpressionBodiedConstructorEvals_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    public C() => _model.eval();
    Tensor Score(Tensor x) => _model.call(x);"));

        [Fact]
        public Task InitializerCreates_ConstructorLoadsThenEvals_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    public C(string weights)
    {
        _model.load(weights);
        _model.eval();
    }
    Tensor Predict(Tensor x) => _model.call(x);"));

        [Fact]
        public Task InitializerCreates_OneConstructorEvalsTheOtherDoesNot_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    public C() => _model.eval();
    public C(int seed) { Console.WriteLine(seed); }
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};"),
                Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("_model", "created at line 35", NetInTraining));

        [Fact]
        public Task InitializerCreates_ConstructorOnlyLoads_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    public C(string weights) => _model.load(weights);
    Tensor Predict(Tensor x) => {|#0:_model.call(x)|};"),
                Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("_model", "created at line 35", NetInTraining));
    }
}
