using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;
using Xunit;
using static TorchSharp.Analyzers.Tests.Flow.ModeFlowTestHarness;

namespace TorchSharp.Analyzers.Tests.Flow
{
    /// <summary>
    /// The structural proofs that let a rule skip a body's flow: they hold for the common idioms and fail as soon as
    /// anything between the switch and the pass could change the mode or the grad mode (the flow then decides).
    /// </summary>
    public class SilenceProofsTests
    {
        private static string Code(string body) => @"
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class C
{
    static void MakeTrain(nn.Module m) { m.train(); }
    static nn.Module Shared = nn.Linear(1, 1);
    static void TrainShared() => MakeTrain(Shared);
    static void Log(string text) => Console.WriteLine(text);

    Tensor M(nn.Module<Tensor, Tensor> p, Tensor x, bool flag, int n)
    {
" + body + @"
    }
}";

        [Theory]
        [InlineData("p.eval(); using (torch.no_grad()) { return p.call(x); }", true)]
        [InlineData("p.eval(); Console.WriteLine(x); return p.call(x);", true)]
        [InlineData("p.train(false); return p.call(x);", true)]
        [InlineData("p.eval(); MakeTrain(p); return p.call(x);", false)]
        [InlineData("p.eval(); var q = p; q.train(); return p.call(x);", false)]
        [InlineData("if (flag) p.eval(); return p.call(x);", false)]
        [InlineData("p.eval(); for (var i = 0; i < n; i++) { x = p.call(x); p.train(); } return x;", false)]
        [InlineData("p.eval(); Func<Tensor> f = () => p.call(x); return f();", false)]
        [InlineData("p.train(); return p.call(x);", false)]
        [InlineData("p.eval(); var q = p; q.eval(); return p.call(x);", true)]
        [InlineData("p.eval(); int.TryParse(\"1\", out var k); return p.call(x);", true)]
        [InlineData("p.eval(); TrainShared(); return p.call(x);", false)]
        [InlineData("p.eval(); Log(\"x\"); return p.call(x);", true)]
        public async Task EvalMode(string body, bool proved)
            => Assert.Equal(proved, await Prove(body, (pass, symbols, index) => SilenceProofs.ModeIsSet(pass, train: false, symbols, index)));

        [Theory]
        [InlineData("for (var i = 0; i < n; i++) { p.train(); x = p.call(x); } return x;", true)]
        [InlineData("p.train(true); return p.call(x);", true)]
        [InlineData("p.train(); p = null; return p.call(x);", false)]
        [InlineData("p.train(); p.eval(); return p.call(x);", false)]
        [InlineData("p.train(flag); return p.call(x);", false)]
        [InlineData("p.train(); var (a, b) = (1, 2); return p.call(x);", true)]
        [InlineData("p.train(); (p, n) = (p, 1); return p.call(x);", false)]
        public async Task TrainingMode(string body, bool proved)
            => Assert.Equal(proved, await Prove(body, (pass, symbols, index) => SilenceProofs.ModeIsSet(pass, train: true, symbols, index)));

        [Theory]
        [InlineData("using (torch.no_grad()) { return p.call(x); }", true)]
        [InlineData("using (torch.inference_mode()) { return p.call(x); }", true)]
        [InlineData("using var scope = torch.no_grad(); Console.WriteLine(x); return p.call(x);", true)]
        [InlineData("using (torch.set_grad_enabled(false)) { return p.call(x); }", true)]
        [InlineData("using (torch.no_grad()) { using (torch.enable_grad()) { return p.call(x); } }", false)]
        [InlineData("using (torch.set_grad_enabled(true)) { return p.call(x); }", false)]
        [InlineData("using (var scope = torch.no_grad()) { scope.Dispose(); return p.call(x); }", false)]
        [InlineData("var scope = torch.no_grad(); return p.call(x);", false)]
        [InlineData("using (torch.no_grad()) { } return p.call(x);", false)]
        public async Task GradOff(string body, bool proved)
            => Assert.Equal(proved, await Prove(body, (pass, symbols, index) => SilenceProofs.GradIsOff(pass, symbols, index)));

        [Theory]
        [InlineData("using (torch.no_grad()) { return p.call(x); }", true)]
        [InlineData("p.eval(); return p.call(x);", true)]
        [InlineData("MakeTrain(p); return p.call(x);", false)]
        [InlineData("TrainShared(); return p.call(x);", false)]
        [InlineData("if (flag) { p.train(); } return p.call(x);", false)]
        [InlineData("var local = p; return local.call(x);", false)]
        public async Task EntryModeUnchanged(string body, bool proved)
            => Assert.Equal(proved, await Prove(body, (pass, symbols, index) => SilenceProofs.NothingChangesMode(pass, train: false, symbols, index, out var entered) && entered!.Name == "p"));

        private static async Task<bool> Prove(string body, System.Func<IInvocationOperation, TorchSymbols, CallSyntaxIndex, bool> proof)
        {
            var compilation = await CompileAsync(Code(body));
            var tree = compilation.SyntaxTrees.Single();
            var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "M");
            var root = compilation.GetSemanticModel(tree).GetOperation(method)!;
            var pass = root.Descendants().OfType<IInvocationOperation>().Single(i => i.TargetMethod.Name == "call");
            return proof(pass, TorchSymbols.For(compilation)!, new CallSyntaxIndex(compilation));
        }
    }
}
