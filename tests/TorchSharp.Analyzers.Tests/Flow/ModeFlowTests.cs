using System.Threading.Tasks;
using TorchSharp.Analyzers.Flow.Modes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Flow.ModeFlowTestHarness;

namespace TorchSharp.Analyzers.Tests.Flow
{
    /// <summary>The mode-flow engine on small methods: the lattice, not the rules.</summary>
    public class ModeFlowTests
    {
        private static string Code(string body) => @"
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class C
{
    static void MakeEval(nn.Module m) => m.eval();
    static void MakeTrain(nn.Module m) { m.train(); }
    static void Touch(nn.Module m) { Console.WriteLine(m.training); }
    static void MaybeEval(nn.Module m, bool c) { if (c) m.eval(); }
    static void Recurse(nn.Module m, int n) { if (n > 0) Recurse(m, n - 1); else m.eval(); }

    Tensor M(nn.Module<Tensor, Tensor> p, Tensor x, bool flag, int n, Action<nn.Module> unknown)
    {
" + body + @"
    }
}";

        private static async Task<ModeFact> ModeAt(string body, string receiver = "model", int index = 0)
        {
            var (result, _) = await AnalyzeAsync(Code(body), "M");
            return result.Pass(receiver, index).Module!.Value;
        }

        private static async Task<GradFact> GradAt(string body, string receiver = "model", int index = 0)
        {
            var (result, _) = await AnalyzeAsync(Code(body), "M");
            return result.Pass(receiver, index).Grad;
        }

        [Fact]
        public async Task CreatedModuleStartsInTrain()
            => Assert.Equal(ModeFlags.Train, (await ModeAt("var model = nn.Dropout(); return model.call(x);")).Flags);

        [Fact]
        public async Task EvalThenTrain()
        {
            Assert.Equal(ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); model.eval(); return model.call(x);")).Flags);
            var train = await ModeAt("var model = nn.Dropout(); model.eval(); model.train(); return model.call(x);");
            Assert.Equal(ModeFlags.Train, train.Flags);
            Assert.Equal(TrainOriginKind.TrainCall, train.TrainOrigin!.Kind);
        }

        [Fact]
        public async Task BranchesMergeIntoMaySets()
            => Assert.Equal(ModeFlags.Train | ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); if (flag) model.eval(); return model.call(x);")).Flags);

        [Fact]
        public async Task LoopBodyMayNotRun()
            => Assert.Equal(ModeFlags.Train | ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); for (var i = 0; i < n; i++) model.eval(); return model.call(x);")).Flags);

        [Fact]
        public async Task LoopCarriesStateToNextIteration()
            => Assert.Equal(
                ModeFlags.Train | ModeFlags.Eval,
                (await ModeAt("var model = nn.Dropout(); Tensor y = x; while (flag) { y = model.call(y); model.eval(); } return y;")).Flags);

        [Fact]
        public async Task ParameterStartsAsEntry()
        {
            var mode = await ModeAt("return p.call(x);", "p");
            Assert.Equal(ModeFlags.Entry, mode.Flags);
            Assert.Equal("p", mode.EntrySymbol!.Name);
        }

        [Fact]
        public async Task AliasesShareTheirValue()
            => Assert.Equal(ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); var net = model; net.eval(); return model.call(x);")).Flags);

        [Fact]
        public async Task ReassignmentTracksTheNewValue()
            => Assert.Equal(ModeFlags.Train, (await ModeAt("var model = nn.Dropout(); model.eval(); model = nn.Dropout(); return model.call(x);")).Flags);

        [Fact]
        public async Task SummaryOfHelpers()
        {
            Assert.Equal(ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); MakeEval(model); return model.call(x);")).Flags);
            Assert.Equal(ModeFlags.Train, (await ModeAt("var model = nn.Dropout(); model.eval(); MakeTrain(model); return model.call(x);")).Flags);
            Assert.Equal(ModeFlags.Eval, (await ModeAt("var model = nn.Dropout(); model.eval(); Touch(model); return model.call(x);")).Flags);
            Assert.Equal(ModeFlags.Unknown, (await ModeAt("var model = nn.Dropout(); MaybeEval(model, flag); return model.call(x);")).Flags);
        }

        [Fact]
        public async Task RecursionEndsInUnknownOrAnswer()
        {
            var mode = await ModeAt("var model = nn.Dropout(); Recurse(model, n); return model.call(x);");
            Assert.True(mode.Flags == ModeFlags.Unknown || mode.Flags == ModeFlags.Eval, mode.Flags.ToString());
        }

        [Fact]
        public async Task UnknownCodeMakesItUnknown()
            => Assert.Equal(ModeFlags.Unknown, (await ModeAt("var model = nn.Dropout(); model.eval(); unknown(model); return model.call(x);")).Flags);

        [Fact]
        public async Task TryFinallyAndEarlyReturn()
            => Assert.Equal(
                ModeFlags.Eval,
                (await ModeAt("var model = nn.Dropout(); try { model.eval(); if (flag) return x; } finally { Console.WriteLine(); } return model.call(x);")).Flags);

        [Fact]
        public async Task CatchSeesStatesFromTheWholeTry()
            => Assert.Equal(
                ModeFlags.Train | ModeFlags.Eval,
                (await ModeAt("var model = nn.Dropout(); try { model.eval(); x = x + 1; } catch (Exception) { return model.call(x); } return x;")).Flags);

        [Fact]
        public async Task SwitchAndPatterns()
            => Assert.Equal(
                ModeFlags.Eval,
                (await ModeAt("var model = nn.Dropout(); switch (n) { case 0: model.eval(); break; case > 0: model.train(false); break; default: model.eval(); break; } return model.call(x);")).Flags);

        [Fact]
        public async Task BreakAndContinue()
            => Assert.Equal(
                ModeFlags.Train | ModeFlags.Eval,
                (await ModeAt("var model = nn.Dropout(); foreach (var i in new[] { 1, 2 }) { if (i == n) continue; model.eval(); if (flag) break; model.train(); } return model.call(x);")).Flags);

        [Fact]
        public async Task GradModeIsScopedByUsing()
        {
            Assert.Equal(GradFlags.Entry, (await GradAt("var model = nn.Dropout(); return model.call(x);")).Flags);
            Assert.Equal(GradFlags.Disabled, (await GradAt("var model = nn.Dropout(); using (torch.no_grad()) { return model.call(x); }")).Flags);
            Assert.Equal(GradFlags.Entry, (await GradAt("var model = nn.Dropout(); using (torch.no_grad()) { x = x + 1; } return model.call(x);")).Flags);
            Assert.Equal(GradFlags.Inference, (await GradAt("var model = nn.Dropout(); using var s = torch.inference_mode(); return model.call(x);")).Flags);
            Assert.Equal(GradFlags.Enabled, (await GradAt("var model = nn.Dropout(); using (torch.no_grad()) using (torch.enable_grad()) { return model.call(x); }")).Flags);
            Assert.Equal(GradFlags.Unknown, (await GradAt("var model = nn.Dropout(); using (torch.set_grad_enabled(flag)) { return model.call(x); }")).Flags);
        }

        [Fact]
        public async Task GradModeMergesAcrossBranches()
            => Assert.Equal(
                GradFlags.Disabled | GradFlags.Entry,
                (await GradAt("var model = nn.Dropout(); IDisposable s = null; if (flag) s = torch.no_grad(); var y = model.call(x); s?.Dispose(); return y;")).Flags);

        [Fact]
        public async Task ExplicitDisposeRestoresGradMode()
            => Assert.Equal(
                GradFlags.Entry,
                (await GradAt("var model = nn.Dropout(); var s = torch.no_grad(); x = x * 2; s.Dispose(); return model.call(x);")).Flags);

        [Fact]
        public async Task TrainingStepsAreCollected()
        {
            var (result, _) = await AnalyzeAsync(Code("var model = nn.Dropout(); var y = model.call(x); y.sum().backward(); return y;"), "M");
            Assert.Single(result.TrainingSteps);
        }

        [Fact]
        public async Task CallSitesRecordArgumentModes()
        {
            var (result, _) = await AnalyzeAsync(Code("var model = nn.Dropout(); model.eval(); using (torch.no_grad()) { Touch(model); } return x;"), "M");
            var site = Assert.Single(result.CallSites);
            Assert.Equal("Touch", site.Callee.Name);
            Assert.Equal(ModeFlags.Eval, site.Arguments[0].Flags);
            Assert.True(site.Grad.IsOff);
        }
    }
}
