using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using TorchSharp.Analyzers.Rules.Training;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using static TorchSharp.Analyzers.Tests.Rules.TORCH011.GradientsNotClearedDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>
    /// The syntactic proof that spares the commonest correct loop a gradient flow: it holds for that loop, and each near
    /// miss that can be wrong goes to the flow, which reports it.
    /// </summary>
    public class ClearedEachIterationProofTests
    {
        [Theory]
        [InlineData("for (var i = 0; i < 9; i++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); }", true)]
        [InlineData("foreach (var (a, b) in batches) { this.opt.zero_grad(); optimizer.zero_grad(); model.call(a).sum().backward(); this.opt.step(); optimizer.step(); }", true)]
        [InlineData("for (var i = 0; i < 9; i++) { model.call(x).sum().backward(); optimizer.step(); optimizer.zero_grad(); }", false)]
        [InlineData("for (var i = 0; i < 9; i++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); model.call(x).sum().backward(); optimizer.step(); }", false)]
        [InlineData("for (var i = 0; i < 9; i++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); Helper(optimizer); }", false)]
        [InlineData("model.call(x).sum().backward(); for (var i = 0; i < 9; i++) { optimizer.zero_grad(); optimizer.step(); }", false)]
        [InlineData("for (var i = 0; i < 9; i++) { optimizer.zero_grad(); for (var k = 0; k < 2; k++) { model.call(x).sum().backward(); optimizer.step(); } }", false)]
        [InlineData("for (var i = 0; i < 9; i++) { optimizer.zero_grad(); model.call(x).sum().backward(); if (i > 2) optimizer.zero_grad(); optimizer.step(); }", false)]
        [InlineData("foreach (var (a, b) in batches) { using var scope = torch.NewDisposeScope(); var (c, d) = (a, b); optimizer.zero_grad(); model.call(c).sum().backward(); optimizer.step(); }", true)]
        [InlineData("foreach (var (a, b) in batches) { var loss = Run(model, a); optimizer.zero_grad(); loss.backward(); optimizer.step(); }", false)]
        [InlineData("foreach (var (a, b) in batches) { model.call(a).sum().backward(); var s = torch.NewDisposeScope(); optimizer.zero_grad(); optimizer.step(); }", false)]
        public void Holds_OnlyForTheCanonicalLoop(string statements, bool holds)
        {
            var body = SyntaxFactory.ParseStatement("{ " + statements + " }");
            Assert.Equal(holds, ClearedEachIterationProof.Holds(body));
        }

        [Fact]
        public Task ClearAtTheTopButTwoStepsPerIteration_StillReports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), 0.05);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
        }
    }"), Never(0));

        [Fact]
        public Task CanonicalLoop_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int steps)
    {
        var optimizer = optim.SGD(model.parameters(), 0.05);
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
    }"));
    }
}
