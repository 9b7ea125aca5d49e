using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.OptimizerOverFrozenParametersAnalyzer,
    TorchSharp.Analyzers.CodeFixes.OptimizerOverFrozenParametersCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH003
{
    /// <summary>TORCH003 fix: filter on requires_grad, materialized; System.Linq added when missing; no fix when all are frozen.</summary>
    public class OptimizerOverFrozenParametersCodeFixTests
    {
        private const string Key = OptimizerOverFrozenParametersCodeFixProvider.FilterTrainableKey;
        private const string Some = OptimizerOverFrozenParametersDiagnosticsTests.Some;

        private static string Code(string usings, string body) => usings + @"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Backbone : nn.Module<Tensor, Tensor>
{
    public readonly Linear encoder = nn.Linear(8, 8);
    public readonly Linear head = nn.Linear(8, 2);
    public Backbone() : base(nameof(Backbone)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => head.call(encoder.call(x));
}

class C
{
    optim.Optimizer FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
" + body + @"
    }
}";

        private static DiagnosticResult Expect(int location, string optimizer, int line, string module = "model")
            => Verify.Diagnostic(DiagnosticIds.OptimizerOverFrozenParameters).WithLocation(location).WithArguments(optimizer, module, string.Format(Some, line));

        [Fact]
        public Task Parameters_FilteredAndMaterialized_AddsLinq()
            => Verify.VerifyCodeFixAsync(
                Code("using System;", "        return {|#0:optim.Adam(model.parameters(), lr: 0.001)|}; // fine-tune"),
                new[] { Expect(0, "Adam", 21) },
                Code("using System;\nusing System.Linq;", "        return optim.Adam(model.parameters().Where(p => p.requires_grad).ToList(), lr: 0.001); // fine-tune"),
                Key);

        [Fact]
        public Task ExistingLinqUsing_IsNotDuplicated()
            => Verify.VerifyCodeFixAsync(
                Code("using System.Linq;", "        return {|#0:optim.SGD(model.parameters(), 0.01)|};"),
                new[] { Expect(0, "SGD", 21) },
                Code("using System.Linq;", "        return optim.SGD(model.parameters().Where(p => p.requires_grad).ToList(), 0.01);"),
                Key);

        [Fact]
        public Task NamedParameters_FilterOnTheTupleParameter()
            => Verify.VerifyCodeFixAsync(
                Code("using System.Linq;", "        return {|#0:optim.Adam(model.named_parameters())|};"),
                new[] { Expect(0, "Adam", 21) },
                Code("using System.Linq;", "        return optim.Adam(model.named_parameters().Where(np => np.parameter.requires_grad).ToList());"),
                Key);

        [Fact]
        public Task LambdaNameInUse_PicksAFreeOne()
            => Verify.VerifyCodeFixAsync(
                Code("using System.Linq;", "        var np = 0;\n        return {|#0:optim.Adam(model.named_parameters())|};"),
                new[] { Expect(0, "Adam", 21) },
                Code("using System.Linq;", "        var np = 0;\n        return optim.Adam(model.named_parameters().Where(np2 => np2.parameter.requires_grad).ToList());"),
                Key);

        [Fact]
        public Task ParamGroups_FilterEachGroup()
            => Verify.VerifyCodeFixAsync(
                Code("using System.Linq;", "        return {|#0:optim.Adam(new[] { new Adam.ParamGroup(model.parameters(), lr: 0.01) })|};"),
                new[] { Expect(0, "Adam", 21) },
                Code("using System.Linq;", "        return optim.Adam(new[] { new Adam.ParamGroup(model.parameters().Where(p => p.requires_grad).ToList(), lr: 0.01) });"),
                Key);

        [Fact]
        public Task OptimizerConstructor_Filtered()
            => Verify.VerifyCodeFixAsync(
                Code("using System.Linq;", "        return {|#0:new SGD(model.parameters(), 0.1)|};"),
                new[] { Expect(0, "SGD", 21) },
                Code("using System.Linq;", "        return new SGD(model.parameters().Where(p => p.requires_grad).ToList(), 0.1);"),
                Key);

        [Fact]
        public Task AllFrozen_NoFix()
        {
            var source = Code("using System.Linq;", @"        foreach (var q in model.parameters())
        {
            q.requires_grad = false;
        }
        return {|#0:optim.Adam(model.parameters())|};");
            var expected = Verify.Diagnostic(DiagnosticIds.OptimizerOverFrozenParameters).WithLocation(0)
                .WithArguments("Adam", "model", string.Format(OptimizerOverFrozenParametersDiagnosticsTests.All, 21));
            return Verify.VerifyCodeFixAsync(source, new[] { expected }, source, Key);
        }

        [Fact]
        public Task FixAll_TwoOptimizersInTwoDocuments()
        {
            var test = new Verify.Test { CodeActionEquivalenceKey = Key };
            test.TestState.Sources.Add(Code("using System;", "        var a = {|#0:optim.Adam(model.parameters())|};\n        return {|#1:optim.SGD(model.parameters(), 0.1)|};"));
            test.TestState.Sources.Add(@"using TorchSharp;

static class Other
{
    static torch.optim.Optimizer Build()
    {
        var net = torch.nn.Linear(2, 2);
        net.weight.requires_grad = false;
        return {|#2:torch.optim.Adam(net.parameters())|};
    }
}");
            test.FixedState.Sources.Add(Code("using System;\nusing System.Linq;", "        var a = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());\n        return optim.SGD(model.parameters().Where(p => p.requires_grad).ToList(), 0.1);"));
            test.FixedState.Sources.Add(@"using System.Linq;
using TorchSharp;

static class Other
{
    static torch.optim.Optimizer Build()
    {
        var net = torch.nn.Linear(2, 2);
        net.weight.requires_grad = false;
        return torch.optim.Adam(net.parameters().Where(p => p.requires_grad).ToList());
    }
}");
            test.ExpectedDiagnostics.Add(Expect(0, "Adam", 21));
            test.ExpectedDiagnostics.Add(Expect(1, "SGD", 21));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticIds.OptimizerOverFrozenParameters).WithLocation(2)
                .WithArguments("Adam", "net", string.Format(Some, 8)));
            return test.RunAsync();
        }
    }
}
