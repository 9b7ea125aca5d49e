using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using VerifyFix = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;
using VerifyEval = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;
using VerifyNoGrad = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;
using VerifyTrain = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// Issue 14, item 2, part A: nanoGPT's <c>GPT.generate</c> (decorated with <c>@torch.no_grad()</c> in PyTorch) ported as a
    /// method of the module class, which runs the module itself (<c>this.forward</c>, <c>call</c>) or its submodules in a
    /// loop. The module's mode there is its caller's (eval() on the owner reaches its submodules), but the grad mode of
    /// an inference method is its own business: TORCH002 reports such a pass when the method is an inference entry point
    /// by name or the pass's output ends the graph, and autograd provably records. The module's own forward and the
    /// pieces of it stay silent; TORCH001 and TORCH005 do not change.
    /// </summary>
    public class ModuleOwnInferenceMethodTests
    {
        /// <summary>A small language model whose class holds the members under test.</summary>
        private static string Lm(string members, string outside = "") => @"
using System;
using System.Linq;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class TinyLm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tok = nn.Embedding(16, 8);
    private readonly Linear lm_head = nn.Linear(8, 16);

    public TinyLm() : base(nameof(TinyLm)) => RegisterComponents();

    public override Tensor forward(Tensor idx) => lm_head.call(tok.call(idx));
" + members + @"
}
" + outside;

        private static DiagnosticResult ByName(int location, string module, string method)
            => VerifyNoGrad.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "'" + method + "' is an inference method");

        private static DiagnosticResult ByOutput(int location, string module, string consumer)
            => VerifyNoGrad.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "its output is only read through " + consumer);

        // Positives: the module itself, explicit or implicit `this`, forward or call, in a loop.

        [Fact]
        public Task GenerateThroughThisForward_InALoop_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx, int max_new_tokens)
    {
        for (int i = 0; i < max_new_tokens; i++)
        {
            var logits = {|#0:this.forward(idx)|};
            var next = logits.softmax(-1).multinomial(1);
            idx = torch.cat(new[] { idx, next }, 1);
        }
        return idx;
    }"), ByName(0, "this", "generate"));

        [Fact]
        public Task GenerateThroughImplicitForward_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Generate(Tensor idx, int steps)
    {
        while (steps-- > 0)
        {
            idx = torch.cat(new[] { idx, {|#0:forward(idx)|}.argmax(-1) }, 1);
        }
        return idx;
    }"), ByName(0, "this", "Generate"));

        [Fact]
        public Task SampleThroughCall_ExplicitAndImplicit_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor sample(Tensor idx)
    {
        var first = {|#0:this.call(idx)|}.argmax(-1);
        return {|#1:call(first)|}.argmax(-1);
    }"), ByName(0, "this", "sample"), ByName(1, "this", "sample"));

        // Positives: submodules of `this` in a method named like inference.

        [Fact]
        public Task GenerateThroughSubmodules_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx, int max_new_tokens)
    {
        for (int i = 0; i < max_new_tokens; i++)
        {
            var h = {|#0:tok.call(idx)|};
            var logits = {|#1:lm_head.forward(h)|};
            idx = torch.cat(new[] { idx, logits.argmax(-1) }, 1);
        }
        return idx;
    }"), ByName(0, "tok", "generate"), ByName(1, "lm_head", "generate"));

        [Fact]
        public Task SubmoduleOutputEndsTheGraph_InAMethodNotNamedLikeInference_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Labels(Tensor h) => {|#0:lm_head.call(h)|}.argmax(1);"), ByOutput(0, "lm_head", "argmax()"));

        [Fact]
        public Task GenerateInBothBranches_ReportsBoth()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx, bool greedy)
    {
        Tensor next;
        if (greedy)
        {
            next = {|#0:call(idx)|}.argmax(-1);
        }
        else
        {
            next = {|#1:call(idx)|}.softmax(-1).multinomial(1);
        }
        return torch.cat(new[] { idx, next }, 1);
    }"), ByName(0, "this", "generate"), ByName(1, "this", "generate"));

        [Fact]
        public Task GenerateInsideTryFinally_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx)
    {
        try
        {
            return {|#0:lm_head.call({|#1:tok.call(idx)|})|}.argmax(-1);
        }
        finally
        {
            Console.WriteLine(""done"");
        }
    }"), ByName(0, "lm_head", "generate"), ByName(1, "tok", "generate"));

        [Fact]
        public Task GenerateCalledOnceWithGradOn_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx) => {|#0:call(idx)|}.argmax(-1);", @"
class Program
{
    static Tensor Quiet(TinyLm lm, Tensor idx)
    {
        using (torch.no_grad())
        {
            return {|#2:lm.generate(idx)|};
        }
    }

    static Tensor Loud(TinyLm lm, Tensor idx) => {|#1:lm.generate(idx)|};
}"), UnprotectedCallExpectation.At(1, 0, 2, "generate()", "this", "line 18", "'generate' is an inference method", "line 27"));

        [Fact]
        public Task LocalFunctionNamedLikeInference_CalledWithGradOn_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Continue(Tensor idx)
    {
        for (int i = 0; i < 4; i++)
        {
            idx = sample_next(idx);
        }
        return idx;

        Tensor sample_next(Tensor x) => torch.cat(new[] { x, {|#0:lm_head.call({|#1:tok.call(x)|})|}.argmax(-1) }, 1);
    }"), ByName(0, "lm_head", "sample_next"), ByName(1, "tok", "sample_next"));

        // Negatives: correct code, the module's own forward pass, and what is not inference.

        [Fact]
        public Task GenerateUnderNoGrad_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx, int max_new_tokens)
    {
        using (torch.no_grad())
        {
            for (int i = 0; i < max_new_tokens; i++)
            {
                var logits = lm_head.call(tok.call(idx));
                idx = torch.cat(new[] { idx, this.forward(idx).argmax(-1), logits.argmax(-1) }, 1);
            }
        }
        return idx;
    }"));

        [Fact]
        public Task GenerateUnderAUsingDeclaration_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Generate(Tensor idx)
    {
        using var noGrad = torch.no_grad();
        return call(idx).argmax(-1);
    }"));

        [Fact]
        public Task GenerateWithScopeDisposedInFinally_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx)
    {
        var scope = torch.no_grad();
        try
        {
            return lm_head.call(tok.call(idx)).argmax(-1);
        }
        finally
        {
            scope.Dispose();
        }
    }"));

        [Fact]
        public Task GenerateWhoseEveryCallerDisablesGrad_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx) => lm_head.call(tok.call(idx)).argmax(-1);", @"
class Program
{
    static Tensor Run(TinyLm lm, Tensor idx)
    {
        lm.eval();
        using (torch.no_grad())
        {
            return lm.generate(idx);
        }
    }
}"));

        [Fact]
        public Task EvaluateWhoseOnlyCallerIsALocalFunction_AfterADiscardedNoGrad_IsSilent()
            // HarugumoFM/TorchSharpTest (docs/real-world.md): the only call is in a local function, after `no_grad();`,
            // which switches autograd off for the rest of the thread. A caller whose facts cannot be read proves nothing.
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor evaluate(Tensor idx) => lm_head.call(tok.call(idx)).argmax(-1);", @"
class Program
{
    static void Main()
    {
        void translate()
        {
            var lm = new TinyLm();
            no_grad();
            Console.WriteLine(lm.evaluate(torch.zeros(1, 4, dtype: ScalarType.Int64)).ToString());
        }

        translate();
    }
}"));

        [Fact]
        public Task GenerateWhoseOnlyCallerIsALambda_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx) => lm_head.call(tok.call(idx)).argmax(-1);", @"
class Program
{
    static Func<Tensor, Tensor> Later(TinyLm lm) => idx => lm.generate(idx);
}"));

        [Fact]
        public Task GenerateCalledThroughTwoMethodsWithGradOn_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx) => {|#0:lm_head.call(h(idx))|}.argmax(-1);
    private Tensor h(Tensor idx) => tok.call(idx);", @"
class Program
{
    static Tensor Run(TinyLm lm, Tensor idx) => Twice(lm, idx);
    static Tensor Twice(TinyLm lm, Tensor idx) => lm.generate(lm.generate(idx));
}"), ByName(0, "lm_head", "generate"));

        [Fact]
        public Task GenerateInOneBranchUnderNoGrad_ReportsOnlyTheOther()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx, bool quiet)
    {
        if (quiet)
        {
            using (torch.no_grad())
            {
                return call(idx).argmax(-1);
            }
        }
        return {|#0:call(idx)|}.argmax(-1);
    }"), ByName(0, "this", "generate"));

        [Fact]
        public Task OwnForward_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(string.Empty));

        [Fact]
        public Task OwnForwardWhoseOutputEndsTheGraph_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Tagger : nn.Module<Tensor, Tensor>
{
    private readonly Linear head = nn.Linear(8, 4);
    public Tagger() : base(nameof(Tagger)) => RegisterComponents();
    public override Tensor forward(Tensor x) => head.call(x).argmax(-1);
}");

        [Fact]
        public Task HelperPieceOfTheForward_NotNamedLikeInference_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Lm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tok = nn.Embedding(16, 8);
    private readonly Linear head = nn.Linear(8, 16);
    public Lm() : base(nameof(Lm)) => RegisterComponents();
    public override Tensor forward(Tensor idx) => Logits(Embed(idx));
    private Tensor Embed(Tensor idx) => tok.call(idx);
    private Tensor Logits(Tensor h) => head.call(h);
}

class Program
{
    static long Run(Lm lm, Tensor idx)
    {
        lm.eval();
        using (torch.no_grad())
        {
            return lm.call(idx).argmax(-1).sum().ToInt64();
        }
    }
}");

        [Fact]
        public Task HelperCalledByTheForward_WhoseOutputEndsTheGraph_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Router : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate = nn.Linear(8, 4);
    private readonly Linear expert = nn.Linear(8, 8);
    public Router() : base(nameof(Router)) => RegisterComponents();
    public override Tensor forward(Tensor x) => expert.call(x) * Choice(x).unsqueeze(-1);
    private Tensor Choice(Tensor x) => gate.call(x).argmax(-1);
}");

        [Fact]
        public Task PredictCalledByTheForward_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Decode(Tensor idx) => predict_tokens(idx);
    public Tensor predict_tokens(Tensor idx) => lm_head.call(tok.call(idx));").Replace(
                "public override Tensor forward(Tensor idx) => lm_head.call(tok.call(idx));",
                "public override Tensor forward(Tensor idx) => predict_tokens(idx);"));

        [Fact]
        public Task SampleReachedFromTheForwardThroughAnotherMethod_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    private Tensor Decode(Tensor idx) => sample_tokens(tok.call(idx));
    private Tensor sample_tokens(Tensor h) => lm_head.call(h).softmax(-1).multinomial(1);").Replace(
                "public override Tensor forward(Tensor idx) => lm_head.call(tok.call(idx));",
                "public override Tensor forward(Tensor idx) => Decode(idx);"));

        [Fact]
        public Task GenerateThatTrains_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public void generate_and_learn(Tensor idx, Tensor target)
    {
        var logits = lm_head.call(tok.call(idx));
        nn.functional.cross_entropy(logits, target).backward();
    }"));

        [Fact]
        public Task SubmoduleInAMethodNotNamedLikeInference_OutputReturned_IsSilentEvenWhenTheCallerCallsEval()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor Logits(Tensor idx) => lm_head.call(tok.call(idx));", @"
class Program
{
    static Tensor Run(TinyLm lm, Tensor idx)
    {
        lm.eval();
        return lm.Logits(idx);
    }
}"));

        [Fact]
        public Task SubmoduleInsideALambdaRunInPlaceInGenerate_Reports()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public IEnumerable<long> generate(IEnumerable<Tensor> batches)
        => batches.Select(b => {|#0:lm_head.call({|#1:tok.call(b)|})|}.argmax(-1).sum().ToInt64()).ToList();"),
                ByOutput(0, "lm_head", "argmax()"), ByOutput(1, "tok", "argmax()"));

        [Fact]
        public Task SubmoduleInsideALazyLambdaOfGenerate_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public IEnumerable<long> generate(IEnumerable<Tensor> batches)
        => batches.Select(b => lm_head.call(tok.call(b)).argmax(-1).sum().ToInt64());"));

        [Fact]
        public Task SubmoduleInsideALocalFunctionNotNamedLikeInference_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx)
    {
        return step(idx);

        Tensor step(Tensor x) => lm_head.call(tok.call(x));
    }"));

        [Fact]
        public Task ParameterFreeSubmoduleOnPlainInput_IsSilent()
            => VerifyNoGrad.VerifyAnalyzerAsync(@"
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Sampler : nn.Module<Tensor, Tensor>
{
    private readonly Softmax soft = nn.Softmax(-1);
    public Sampler() : base(nameof(Sampler)) => RegisterComponents();
    public override Tensor forward(Tensor x) => soft.call(x);
    public Tensor sample(int n) => soft.call(torch.randn(n, 4)).multinomial(1);
}");

        // TORCH001 and TORCH005 are unchanged for these passes: the module's mode is its caller's.

        [Fact]
        public Task Torch001_StaysSilentForSubmodulesInGenerate()
            => VerifyEval.VerifyAnalyzerAsync(Lm(@"
    public Tensor generate(Tensor idx) => lm_head.call(tok.call(idx)).argmax(-1);", @"
class Program
{
    static Tensor Run(Tensor idx) => new TinyLm().generate(idx);
}"));

        [Fact]
        public Task Torch005_StaysSilentForSubmodulesInAModuleMethodThatTrains()
            => VerifyTrain.VerifyAnalyzerAsync(Lm(@"
    public void Learn(Tensor idx, Tensor target, optim.Optimizer opt)
    {
        opt.zero_grad();
        nn.functional.cross_entropy(lm_head.call(tok.call(idx)), target).backward();
        opt.step();
    }"));
        // The fix: the scope goes inside the module's method, around the region of the pass.

        [Fact]
        public Task Fix_WrapsTheRegionInsideGenerate()
            => VerifyFix.VerifyCodeFixAsync(
                Lm(@"
    public Tensor generate(Tensor h)
    {
        var logits = {|#0:lm_head.call(h)|};
        return logits.argmax(-1);
    }"),
                new[] { VerifyFix.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("lm_head", "'generate' is an inference method") },
                Lm(@"
    public Tensor generate(Tensor h)
    {
        using (torch.no_grad())
        {
            var logits = lm_head.call(h);
            return logits.argmax(-1);
        }
    }"),
                MissingNoGradCodeFixProvider.UsingBlockKey);

        [Fact]
        public Task Fix_UsingDeclarationInsideTheLoopOfGenerate()
            => VerifyFix.VerifyCodeFixAsync(
                Lm(@"
    public Tensor generate(Tensor idx, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            var logits = {|#0:call(idx)|};
            idx = torch.cat(new[] { idx, logits.argmax(-1) }, 1);
        }
        return idx;
    }"),
                new[] { VerifyFix.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("this", "'generate' is an inference method") },
                Lm(@"
    public Tensor generate(Tensor idx, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using var noGrad = torch.no_grad();
            var logits = call(idx);
            idx = torch.cat(new[] { idx, logits.argmax(-1) }, 1);
        }
        return idx;
    }"),
                MissingNoGradCodeFixProvider.UsingDeclarationKey);
    }
}
