using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A call bound to a method that an override overrides (or an interface method it implements) may run the override:
    /// it is one of the override's call sites. A template method of a base class that opens no_grad and calls its abstract
    /// step protects every override's forward pass.
    /// </summary>
    public class VirtualDispatchCallerTests
    {
        [Fact]
        public Task AbstractStepCalledByTheBaseInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    abstract class Encoder
    {
        public Tensor Encode(Tensor ids)
        {
            using var noGrad = torch.no_grad();
            return EncodeTokens(ids);
        }
        protected abstract Tensor EncodeTokens(Tensor ids);
    }

    sealed class NetEncoder : Encoder
    {
        private readonly Net _model = new Net();
        protected override Tensor EncodeTokens(Tensor ids)
        {
            _model.eval();
            return _model.call(ids);
        }
    }"));

        [Fact]
        public Task AbstractStepCalledByTheBaseWithoutNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    abstract class Encoder
    {
        public Tensor Encode(Tensor ids) => EncodeTokens(ids);
        protected abstract Tensor EncodeTokens(Tensor ids);
    }

    sealed class NetEncoder : Encoder
    {
        private readonly Net _model = new Net();
        protected override Tensor EncodeTokens(Tensor ids)
        {
            _model.eval();
            return {|#0:_model.call(ids)|};
        }
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("_model", "it is in eval mode"));

        [Fact]
        public Task InterfaceMethodCalledInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    interface IScorer { Tensor Score(Tensor x); }

    sealed class NetScorer : IScorer
    {
        private readonly Net _model = new Net();
        public NetScorer() => _model.eval();
        public Tensor Score(Tensor x) => _model.call(x);
    }

    static Tensor Run(IScorer scorer, Tensor x)
    {
        using (torch.no_grad())
        {
            return scorer.Score(x);
        }
    }"));

        [Fact]
        public Task InterfaceMethodCalledOnceInsideNoGradAndOnceOutside_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    interface IScorer { Tensor Predict(Tensor x); }

    sealed class NetScorer : IScorer
    {
        private readonly Net _model = new Net();
        public Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
    }

    static Tensor Run(IScorer scorer, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:scorer.Predict(x)|};
        }
        return {|#1:scorer.Predict(x)|};
    }"), UnprotectedCallExpectation.At(1, 0, 2, "Predict()", "_model", "line 40", "'Predict' is an inference method", "line 47"));
    }
}
