using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.Tests.Verifiers;
using Xunit;

namespace TorchSharp.Analyzers.Tests.CrossProject
{
    /// <summary>
    /// Issue 13, item 3: every rule in a solution of two projects, where the tested project references a library project as
    /// an IDE does (a compilation reference: the library's symbols have syntax trees that are not in the tested
    /// compilation). The library's bodies are not read — a build sees them as metadata — so what it does to a module or to
    /// grad mode is unknown, and nothing throws.
    /// </summary>
    public class CrossProjectRuleTests
    {
        private const string Library = @"
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lib
{
    public class LibNet : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc = nn.Linear(4, 4);
        private readonly Dropout _drop = nn.Dropout(0.5);
        public LibNet() : base(nameof(LibNet)) { RegisterComponents(); }
        public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
    }

    public static class Helpers
    {
        public static void Prepare(nn.Module module) { module.eval(); }
        public static void Resume(nn.Module module) { module.train(); }
        public static IDisposable NoGrad() => torch.no_grad();
        public static void Freeze(nn.Module module) { foreach (var p in module.parameters()) p.requires_grad = false; }
        public static void Unfreeze(nn.Module module) { foreach (var p in module.parameters()) p.requires_grad = true; }
        public static void ClearGradients(optim.Optimizer optimizer) { optimizer.zero_grad(); }
        public static void Report(string text) { Console.WriteLine(text); }
        public static Tensor Apply(nn.Module<Tensor, Tensor> module, Tensor x) => module.call(x);
    }
}";

        private static string Code(string members) => @"
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Lib;

class C
{
" + members + @"
}";

        private static Task VerifyAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
            where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
        {
            var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source };
            TwoProjects.AddLibrary(test.TestState, Library);
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        private static DiagnosticResult Diagnostic<TAnalyzer>(string id)
            where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
            => CSharpAnalyzerVerifier<TAnalyzer>.Diagnostic(id);

        [Fact]
        public Task TORCH001_LibraryHelperLeavesTheModeUnknown_OwnCodeStillReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>(Code(@"
    Tensor Prepared(Tensor x)
    {
        var model = new LibNet();
        Helpers.Prepare(model);
        using (torch.no_grad()) return model.call(x);
    }

    Tensor Forgotten(Tensor x)
    {
        var model = new LibNet();
        using (torch.no_grad()) return {|#0:model.call(x)|};
    }"), Diagnostic<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("model", "created at line 21", Rules.TORCH001.MissingEvalDiagnosticsTests.UnknownInTraining));

        [Fact]
        public Task TORCH002_LibraryScopeMakesGradUnknown_OwnCodeStillReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>(Code(@"
    Tensor Scoped(Tensor x)
    {
        var model = new LibNet();
        model.eval();
        using (Helpers.NoGrad()) return model.call(x);
    }

    Tensor Recording(Tensor x)
    {
        var model = new LibNet();
        model.eval();
        return {|#0:model.call(x)|};
    }"), Diagnostic<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "it is in eval mode"));

        // A library method is no helper whose calls are judged (its body is not in this compilation); a helper of this
        // project named like it still is.
        [Fact]
        public Task TORCH002_LibraryMethodCalledInsideAndOutsideNoGrad_OnlyOwnHelpersCallIsReported()
            => VerifyAsync<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>(Code(@"
    static Tensor Apply(LibNet model, Tensor x)
    {
        model.eval();
        return {|#1:model.call(x)|};
    }

    static void Main(LibNet model, Tensor x)
    {
        using (torch.no_grad())
        {
            {|#2:Apply(model, x)|};
            Helpers.Apply(model, x);
        }
        {|#0:Apply(model, x)|};
        Helpers.Apply(model, x);
    }"), Rules.TORCH002.UnprotectedCallExpectation.At(0, 1, 2, "Apply()", "model", "line 15", "it is in eval mode", "line 22"));

        [Fact]
        public Task TORCH003_LibraryFreezeIsUnknown_Silent()
            => VerifyAsync<TorchSharp.Analyzers.Rules.OptimizerOverFrozenParametersAnalyzer>(Code(@"
    void Build()
    {
        var model = new LibNet();
        Helpers.Freeze(model);
        var optimizer = torch.optim.Adam(model.parameters());
        optimizer.step();
    }"));

        [Fact]
        public Task TORCH004_LibraryUnfreezeIsUnknown_Silent()
            => VerifyAsync<TorchSharp.Analyzers.Rules.UnfrozenAfterOptimizerAnalyzer>(Code(@"
    void Build()
    {
        var model = new LibNet();
        foreach (var p in model.parameters()) p.requires_grad = false;
        var optimizer = torch.optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        Helpers.Unfreeze(model);
        optimizer.step();
    }"));

        [Fact]
        public Task TORCH005_LibraryHelperLeavesTheModeUnknown_Silent()
            => VerifyAsync<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>(Code(@"
    void Fit(Tensor x, Tensor y)
    {
        var model = new LibNet();
        var optimizer = torch.optim.Adam(model.parameters());
        model.eval();
        Helpers.Resume(model);
        var loss = torch.nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        optimizer.step();
    }"));

        [Fact]
        public Task TORCH006_LibraryScopeDiscarded_OnlyTorchSharpsIsReported()
            => VerifyAsync<TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer>(Code(@"
    void Discarded()
    {
        Helpers.NoGrad();
        {|#0:torch.no_grad()|};
    }"), Diagnostic<TorchSharp.Analyzers.Rules.UndisposedGradModeScopeAnalyzer>(DiagnosticIds.UndisposedGradModeScope).WithLocation(0)
                .WithArguments("torch.no_grad()", "discarded", "autograd stays off and backward() throws"));

        [Fact]
        public Task TORCH007_LibraryScopeIsUnknown_OwnScopeReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>(Code(@"
    void Unknown(Tensor x)
    {
        var model = new LibNet();
        using (Helpers.NoGrad()) { model.call(x).sum().backward(); }
    }

    void Off(Tensor x)
    {
        var model = new LibNet();
        using (torch.no_grad()) { {|#0:model.call(x).sum().backward()|}; }
    }"), Diagnostic<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>(DiagnosticIds.BackwardWithoutGrad).WithLocation(0).WithArguments("inside the grad-disabled scope opened at line 21"));

        [Fact]
        public Task TORCH008_SubclassOfALibraryModule_FieldAfterRegistrationReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Lib;

class Holder : nn.Module<Tensor, Tensor>
{
    private readonly LibNet _inner = new LibNet();
    private readonly Dropout {|#0:_late|};
    public Holder() : base(nameof(Holder)) { RegisterComponents(); _late = nn.Dropout(0.1); }
    public override Tensor forward(Tensor x) => _late.call(_inner.call(x));
}", Diagnostic<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>(DiagnosticIds.UnregisteredSubmodule).WithLocation(0)
                .WithArguments("_late", "Holder", "assigned after RegisterComponents() at line 11"));

        [Fact]
        public Task TORCH009_LibraryScopeIsUnknown_OwnScopeReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.AwaitInsideGradScopeAnalyzer>(Code(@"
    async System.Threading.Tasks.Task Unknown(Tensor x)
    {
        var model = new LibNet();
        using (Helpers.NoGrad()) { await System.Threading.Tasks.Task.Delay(1); model.call(x); }
    }

    async System.Threading.Tasks.Task Off(Tensor x)
    {
        var model = new LibNet();
        using (torch.no_grad()) { {|#0:await|} System.Threading.Tasks.Task.Delay(1); model.call(x); }
    }"), Diagnostic<TorchSharp.Analyzers.Rules.AwaitInsideGradScopeAnalyzer>(DiagnosticIds.AwaitInsideGradScope).WithLocation(0)
                .WithArguments("await", "the 'torch.no_grad()' scope opened at line 21", TorchSharp.Analyzers.Tests.Rules.TORCH009.AwaitInsideGradScopeDiagnosticsTests.Off));

        [Fact]
        public Task TORCH010_ForwardOfALibraryModule_IsSilentWithoutHooks()
            => VerifyAsync<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>(Code(@"
    Tensor Run(Tensor x)
    {
        var model = new LibNet();
        return model.{|#0:forward|}(x);
    }"), Diagnostic<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>(DiagnosticIds.DirectForward).WithLocation(0)
                .WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden)
                .WithArguments("model", Rules.TORCH010.DirectForwardDiagnosticsTests.NoHooks));

        [Fact]
        public Task TORCH011_LibraryHelperGivenTheOptimizerMayClear_OwnLoopStillReports()
            => VerifyAsync<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>(Code(@"
    void Cleared(LibNet model, optim.Optimizer optimizer, Tensor x)
    {
        for (var i = 0; i < 10; i++)
        {
            Helpers.ClearGradients(optimizer);
            model.call(x).sum().backward();
            optimizer.step();
        }
    }

    void Forgotten(LibNet model, optim.Optimizer optimizer, Tensor x)
    {
        for (var i = 0; i < 10; i++)
        {
            Helpers.Report(""step"");
            model.call(x).sum().backward();
            {|#0:optimizer.step()|};
        }
    }"), Diagnostic<TorchSharp.Analyzers.Rules.GradientsNotClearedAnalyzer>(DiagnosticIds.GradientsNotCleared).WithLocation(0)
                .WithArguments("optimizer", TorchSharp.Analyzers.Tests.Rules.TORCH011.GradientsNotClearedDiagnosticsTests.NeverWhat, "call optimizer.zero_grad() at the start of each iteration"));
    }
}
