using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.DirectForwardAnalyzer,
    TorchSharp.Analyzers.CodeFixes.DirectForwardCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH010
{
    /// <summary>TORCH010 positives: receivers, arities, control flow, nested functions, and the two severities.</summary>
    public class DirectForwardDiagnosticsTests
    {
        internal const string NoHooks = "a forward hook or pre-hook registered on it would be skipped (this compilation registers none)";

        internal static string Hooked(string where) => "the forward hooks and pre-hooks registered on it are skipped, and this compilation registers hooks (" + where + ")";

        internal const string Header = @"using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    public readonly Linear fc = nn.Linear(4, 4);
    public Net() : base(nameof(Net)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => fc.call(x);
}

class Pair : nn.Module<Tensor, Tensor, Tensor>
{
    public Pair() : base(nameof(Pair)) { }
    public override Tensor forward(Tensor a, Tensor b) => a + b;
}

class Six : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor>
{
    public Six() : base(nameof(Six)) { }
    public override Tensor forward(Tensor a, Tensor b, Tensor c, Tensor d, Tensor e, Tensor f) => a;
}
";

        internal static DiagnosticResult Suggestion(int location, string receiver)
            => Verify.Diagnostic(DiagnosticIds.DirectForward).WithLocation(location).WithSeverity(DiagnosticSeverity.Hidden).WithArguments(receiver, NoHooks);

        internal static DiagnosticResult Warning(int location, string receiver, string where)
            => Verify.Diagnostic(DiagnosticIds.DirectForward).WithLocation(location).WithArguments(receiver, Hooked(where));

        private static Task Analyze(string code, params DiagnosticResult[] expected)
        {
            var test = new Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>.Test { TestCode = Header + code };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync();
        }

        [Fact]
        public Task Local_NoHookAnywhere_IsASuggestion()
            => Analyze(@"
class C
{
    Tensor Run(Tensor x)
    {
        var model = new Net();
        return model.{|#0:forward|}(x);
    }
}", Suggestion(0, "model"));

        [Fact]
        public Task HookRegisteredInAnotherMethod_IsAWarningThatSaysWhere()
            => Analyze(@"
class C
{
    int seen;
    void Hook(Net model) { model.register_forward_hook((m, input, output) => { seen++; return output; }); }
    Tensor Run(Net model, Tensor x) => model.{|#0:forward|}(x);
}", Warning(0, "model", "register_forward_hook at line 30"));

        [Fact]
        public Task PreHookOnAnotherModule_IsAWarning()
            => Analyze(@"
class C
{
    void Hook(Linear other) { other.register_forward_pre_hook((nn.Module m) => { }); }
    Tensor Run(Net model, Tensor x) => model.{|#0:forward|}(x);
}", Warning(0, "model", "register_forward_pre_hook at line 29"));

        [Fact]
        public Task Field_Parameter_Property_AndTorchSharpModule()
            => Analyze(@"
class C
{
    private readonly Net _net = new Net();
    private Linear Head { get; } = nn.Linear(4, 2);
    Tensor Run(Net given, Tensor x)
    {
        var a = _net.{|#0:forward|}(x);
        var b = given.{|#1:forward|}(a);
        return Head.{|#2:forward|}(b);
    }
}", Suggestion(0, "_net"), Suggestion(1, "given"), Suggestion(2, "Head"));

        [Fact]
        public Task GenericArities_TwoAndSixInputs()
            => Analyze(@"
class C
{
    Tensor Run(Pair pair, Six six, Tensor x)
        => pair.{|#0:forward|}(x, x) + six.{|#1:forward|}(x, x, x, x, x, x);
}", Suggestion(0, "pair"), Suggestion(1, "six"));

        [Fact]
        public Task ThroughTheAbstractBaseType()
            => Analyze(@"
class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x) => model.{|#0:forward|}(x);
}", Suggestion(0, "model"));

        [Fact]
        public Task ChildForwardInsideAModulesForward()
            => Analyze(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly ModuleList<Linear> _layers = new ModuleList<Linear>(nn.Linear(4, 4));
    public Block() : base(nameof(Block)) { RegisterComponents(); }
    public override Tensor forward(Tensor x)
    {
        x = _fc.{|#0:forward|}(x);
        foreach (var layer in _layers)
        {
            x = layer.{|#1:forward|}(x);
        }

        return x;
    }
}", Suggestion(0, "_fc"), Suggestion(1, "layer"));

        [Fact]
        public Task ThisForwardFromAnotherMethodOfTheModule()
            => Analyze(@"
class Classifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    public Classifier() : base(nameof(Classifier)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc.call(x);
    public Tensor Predict(Tensor x) => {|#0:forward|}(x).argmax(1);
    public Tensor Scores(Tensor x) => this.{|#1:forward|}(x).softmax(1);
}", Suggestion(0, "this"), Suggestion(1, "this"));

        [Fact]
        public Task LoopsAndBranches()
            => Analyze(@"
class C
{
    Tensor Run(Net model, Tensor x, bool fast)
    {
        for (var i = 0; i < 3; i++)
        {
            if (fast)
            {
                x = model.{|#0:forward|}(x);
            }
            else
            {
                x = model.call(x);
            }
        }

        while (x.sum().item<float>() > 10) { x = fast ? model.{|#1:forward|}(x) : x / 2; }
        return x;
    }
}", Suggestion(0, "model"), Suggestion(1, "model"));

        [Fact]
        public Task LambdasLocalFunctionsAndMethodGroups()
            => Analyze(@"
class C
{
    Tensor Run(List<Net> models, Net model, Tensor x)
    {
        var outputs = models.Select(m => m.{|#0:forward|}(x)).ToList();
        Tensor Twice(Tensor t) => model.{|#1:forward|}(model.{|#2:forward|}(t));
        Func<Tensor, Tensor> f = model.{|#3:forward|};
        return Twice(f(outputs[0]));
    }
}", Suggestion(0, "m"), Suggestion(1, "model"), Suggestion(2, "model"), Suggestion(3, "model"));

        [Fact]
        public Task ConditionalAccessAndHelperReturningAModule()
            => Analyze(@"
class C
{
    Net Make() => new Net();
    Tensor Run(Net? model, Tensor x) => Make().{|#0:forward|}(x) + model?.{|#1:forward|}(x);
}", Suggestion(0, "Make()"), Suggestion(1, "model"));

        [Fact]
        public Task RuntimeMonitorAttach_CountsAsAHookRegistration_ByOption()
        {
            var test = new Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>.Test
            {
                TestCode = Header + @"
namespace Tools { static class Watcher { public static void Watch(nn.Module module) { } } }
class C
{
    void Setup(Net model) { Tools.Watcher.Watch(model); }
    Tensor Run(Net model, Tensor x) => model.{|#0:forward|}(x);
}",
            };
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\ntorchsharp_analyzers.TORCH010.hook_registering_methods = Tools.Watcher.Watch\n"));
            test.ExpectedDiagnostics.Add(Warning(0, "model", "Watcher.Watch at line 30"));
            return test.RunAsync();
        }

        [Fact]
        public Task HooksRegisteredOption_MakesEveryFindingAWarning()
        {
            var test = new Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>.Test
            {
                TestCode = Header + @"
class C
{
    Tensor Run(Net model, Tensor x) => model.{|#0:forward|}(x);
}",
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH010.hooks_registered = true"));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticIds.DirectForward).WithLocation(0)
                .WithArguments("model", "the forward hooks and pre-hooks registered on it are skipped, and its hooks are registered elsewhere (torchsharp_analyzers.TORCH010.hooks_registered)"));
            return test.RunAsync();
        }

        [Theory]
        [InlineData("none", null)]
        [InlineData("silent", DiagnosticSeverity.Hidden)]
        [InlineData("suggestion", DiagnosticSeverity.Info)]
        [InlineData("warning", DiagnosticSeverity.Warning)]
        [InlineData("nonsense", DiagnosticSeverity.Hidden)]
        public Task SeverityWithoutHooksOption(string value, DiagnosticSeverity? severity)
        {
            var test = new Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>.Test
            {
                TestCode = Header + @"
class C
{
    Tensor Run(Net model, Tensor x) => model." + (severity is null ? "forward" : "{|#0:forward|}") + @"(x);
}",
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH010.severity_without_hooks = " + value));
            if (severity is { } expected)
            {
                test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticIds.DirectForward).WithLocation(0).WithSeverity(expected).WithArguments("model", NoHooks));
            }

            return test.RunAsync();
        }
    }
}
