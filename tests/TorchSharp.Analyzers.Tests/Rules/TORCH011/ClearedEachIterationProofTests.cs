using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Symbols;
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
        // Several loops that step (stages of a training script): each self-contained.
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); model.call(x).sum().backward(); c.step(); }", true)]
        [InlineData("for (var e = 0; e < 9; e++) { foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); model.call(x).sum().backward(); c.step(); } }", true)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); c.step(); model.call(x).sum().backward(); }", false)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); if (k) model.call(x).sum().backward(); c.step(); }", false)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); }", false)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); foreach (var d in batches) { c.zero_grad(); model.call(x).sum().backward(); c.step(); } }", false)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); model.call(x).sum().backward(); c.step(); } model.call(x).sum().backward();", false)]
        [InlineData("foreach (var b in batches) { a.zero_grad(); c.zero_grad(); model.call(x).sum().backward(); a.step(); } foreach (var b in batches) { c.zero_grad(); model.call(x).sum().backward(); c.step(); }", false)]
        public void Holds_OnlyForTheCanonicalLoop(string statements, bool holds)
        {
            var body = SyntaxFactory.ParseStatement("{ " + statements + " }");
            Assert.Equal(holds, ClearedEachIterationProof.Holds(body));
        }

        [Theory]
        [InlineData("var scheduler = optim.lr_scheduler.StepLR(optimizer, 10, 0.5); for (var e = 0; e < 9; e++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); } scheduler.step();", true)]
        [InlineData("var scheduler = new Scheduler(); for (var e = 0; e < 9; e++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); } scheduler.step();", false)]
        [InlineData("for (var e = 0; e < 9; e++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); } Helper(optimizer);", false)]
        [InlineData("for (var e = 0; e < 9; e++) { optimizer.zero_grad(); model.call(x).sum().backward(); optimizer.step(); } optimizer.step();", false)]
        public async Task Holds_WithBinding_IgnoresOnlyWhatTorchSharpDoesNotStep(string statements, bool holds)
        {
            var compilation = await Flow.ModeFlowTestHarness.CompileAsync(Code(@"
    class Scheduler { public void step() { } }
    static void Helper(optim.Optimizer o) { }
    void Fit(Net model, Tensor x, optim.Optimizer optimizer) { " + statements + @" }"));
            var tree = compilation.SyntaxTrees.Single();
            var body = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Fit").Body!;
            var bind = ClearedEachIterationProof.TorchSharpOtherThanStep(compilation.GetSemanticModel(tree), TorchSymbols.For(compilation)!);
            Assert.Equal(holds, ClearedEachIterationProof.Holds(body, bind));

            // Without binding, every step() may be an optimizer's and every call may clear: the proof never holds here.
            Assert.False(ClearedEachIterationProof.Holds(body));
        }

        [Fact]
        public Task LoopWithSchedulerAfterIt_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        var optimizer = optim.Adam(model.parameters());
        var scheduler = optim.lr_scheduler.StepLR(optimizer, 10, 0.5);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }

        scheduler.step();
    }"));

        [Fact]
        public Task LoopWithSchedulerThatNeverClears_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        var optimizer = optim.Adam(model.parameters());
        var scheduler = optim.lr_scheduler.StepLR(optimizer, 10, 0.5);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:optimizer.step()|};
            scheduler.step();
        }
    }"), Never(0));

        [Fact]
        public Task TwoStagesEachClearingItsOptimizer_AreSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        var head = optim.SGD(model.parameters(), 0.01);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            head.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            head.step();
        }

        var full = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            full.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            full.step();
        }
    }"));

        [Fact]
        public Task SecondStageNeverClears_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        var head = optim.SGD(model.parameters(), 0.01);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            head.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            head.step();
        }

        var full = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            nn.functional.mse_loss(model.call(x), y).backward();
            {|#0:full.step()|};
        }
    }"), Never(0, "full"));

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
