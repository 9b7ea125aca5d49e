using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;
using VerifyBackward = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>;
using VerifyFix = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// Issue 14, item 2, part B: an iterator (<c>yield return</c>) runs its body when it is enumerated, not where it is
    /// called. A call tells the grad mode of the body only when its result is enumerated right there — a <c>foreach</c> over
    /// the call, or LINQ chained on it that enumerates it (<c>.ToList()</c>, <c>.First()</c>, <c>.Take(5)</c> then
    /// <c>foreach</c>); a result that escapes (a local, a return, an argument) is enumerated in a grad mode nobody can read,
    /// and the passes in the iterator stay silent.
    /// </summary>
    public class IteratorInferenceTests
    {
        /// <summary>A text generator written as an iterator: one token per step, no grad scope of its own.</summary>
        private const string Generator = @"
    static IEnumerable<Tensor> Generate(Net model, Tensor x, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            x = {|#0:model.call(x)|}.argmax(1);
            yield return x;
        }
    }
";

        private static DiagnosticResult ByName(int location, string method = "Generate", string module = "model")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "'" + method + "' is an inference method");

        // Positives: enumerated in place with autograd on.

        [Fact]
        public Task ForeachOverTheCall_WithGradOn_Reports()
            // The mode the caller passes reaches the iterator's parameter: enumerated in place, it is the mode at the pass.
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static void Print(Net model, Tensor x)
    {
        model.eval();
        foreach (var token in Generate(model, x, 8))
        {
            Console.WriteLine(token.ToString());
        }
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "it is in eval mode"));

        [Fact]
        public Task MaterializedInTheSameExpression_WithGradOn_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static List<Tensor> All(Net model, Tensor x) => Generate(model, x, 8).ToList();"), ByName(0));

        [Fact]
        public Task DeferredOperatorsThenFirst_WithGradOn_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static Tensor Third(Net model, Tensor x) => Generate(model, x, 8).Skip(2).First();"), ByName(0));

        [Fact]
        public Task ForeachOverTakeOfTheCall_WithGradOn_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static int Count(Net model, Tensor x)
    {
        var n = 0;
        foreach (var token in Generate(model, x, 8).Take(5))
        {
            n++;
        }
        return n;
    }"), ByName(0));

        [Fact]
        public Task CalledNowhere_IsAnEntryPoint_Reports()
            // As for any other method: nothing here calls it, so its callers run it in the default grad mode.
            => Verify.VerifyAnalyzerAsync(Code(Generator), ByName(0));

        [Fact]
        public Task EnumeratedInPlaceInOneBranchWithGradOn_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static int Run(Net model, Tensor x, bool quiet)
    {
        if (quiet)
        {
            using (torch.no_grad())
            {
                return {|#2:Generate(model, x, 4)|}.Count();
            }
        }
        return {|#1:Generate(model, x, 4)|}.Count();
    }"), UnprotectedCallExpectation.At(1, 0, 2, "Generate()", "model", "line 39", "'Generate' is an inference method", "line 50"));

        [Fact]
        public Task OneCallerEnumeratesInPlaceWithGradOn_AnotherLetsItEscape_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Generator + @"
    static IEnumerable<Tensor> Lazy(Net model, Tensor x) => Generate(model, x, 4);
    static Tensor[] Eager(Net model, Tensor x) => Generate(model, x, 4).ToArray();"), ByName(0));

        [Fact]
        public Task IteratorWhoseOutputEndsTheGraph_NotNamedLikeInference_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<long> Labels(Net model, IEnumerable<Tensor> batches)
    {
        foreach (var batch in batches)
        {
            yield return {|#0:model.call(batch)|}.argmax(1).sum().ToInt64();
        }
    }

    static long Total(Net model, List<Tensor> batches) => Labels(model, batches).Sum();"),
                Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "its output is only read through argmax()"));

        [Fact]
        public Task AsyncIteratorUnderAwaitForeach_WithGradOn_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static async IAsyncEnumerable<Tensor> GenerateAsync(Net model, Tensor x)
    {
        for (int i = 0; i < 4; i++)
        {
            x = {|#0:model.call(x)|}.argmax(1);
            yield return x;
            await System.Threading.Tasks.Task.Yield();
        }
    }

    static async System.Threading.Tasks.Task Print(Net model, Tensor x)
    {
        await foreach (var token in GenerateAsync(model, x))
        {
            Console.WriteLine(token.ToString());
        }
    }"), ByName(0, "GenerateAsync"));

        [Fact]
        public Task LocalIteratorEnumeratedInPlace_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static int Run(Net model, Tensor x)
    {
        var n = 0;
        foreach (var t in sample())
        {
            n++;
        }
        return n;

        IEnumerable<Tensor> sample()
        {
            yield return {|#0:model.call(x)|}.argmax(1);
        }
    }"), ByName(0, "sample"));

        [Fact]
        public Task ModulesOwnGenerateIterator_OverSubmodules_Reports()
            => Verify.VerifyAnalyzerAsync(@"
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class TinyLm : nn.Module<Tensor, Tensor>
{
    private readonly Linear lm_head = nn.Linear(8, 8);
    public TinyLm() : base(nameof(TinyLm)) => RegisterComponents();
    public override Tensor forward(Tensor h) => lm_head.call(h);

    public IEnumerable<Tensor> generate(Tensor h, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            h = {|#0:lm_head.call(h)|}.softmax(-1);
            yield return h.argmax(-1);
        }
    }
}

class Program
{
    static Tensor[] Run(TinyLm lm, Tensor h) => lm.generate(h, 4).ToArray();
}", ByName(0, "generate", "lm_head"));

        // Negatives: enumerated in place inside no_grad, a result that escapes, a scope inside the iterator.

        [Fact]
        public Task ForeachOverTheCall_InsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static void Print(Net model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            foreach (var token in Generate(model, x, 8))
            {
                Console.WriteLine(token.ToString());
            }
        }
    }"));

        [Fact]
        public Task MaterializedInsideAUsingDeclaration_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static List<Tensor> All(Net model, Tensor x)
    {
        using var noGrad = torch.no_grad();
        return Generate(model, x, 8).Where(t => t.numel() > 0).ToList();
    }"));

        [Fact]
        public Task InsideNoGradDisposedInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static int Count(Net model, Tensor x)
    {
        var scope = torch.no_grad();
        try
        {
            var n = 0;
            foreach (var token in Generate(model, x, 8))
            {
                n++;
            }
            return n;
        }
        finally
        {
            scope.Dispose();
        }
    }"));

        [Fact]
        public Task ResultStoredThenEnumeratedInsideNoGrad_Escapes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static void Print(Net model, Tensor x)
    {
        var sequence = Generate(model, x, 8);
        using (torch.no_grad())
        {
            foreach (var token in sequence)
            {
                Console.WriteLine(token.ToString());
            }
        }
    }"));

        [Fact]
        public Task ResultStoredThenEnumeratedWithGradOn_Escapes_IsSilent()
            // Precision first: where the local is enumerated is not followed; the grad mode of the body is unknown.
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static int Count(Net model, Tensor x)
    {
        var sequence = Generate(model, x, 8);
        return sequence.Count();
    }"));

        [Fact]
        public Task ResultReturnedOrPassedOn_Escapes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static IEnumerable<Tensor> Lazy(Net model, Tensor x) => Generate(model, x, 8);
    static List<Tensor> Copy(Net model, Tensor x) => new List<Tensor>(Generate(model, x, 8));
    static string Joined(Net model, Tensor x) => string.Join("","", Generate(model, x, 8));"));

        [Fact]
        public Task CalledInsideALambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static Func<List<Tensor>> Later(Net model, Tensor x) => () => Generate(model, x, 8).ToList();"));

        [Fact]
        public Task ForeachBodyThatSwitchesGradForTheNextStep_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Generator.Replace("{|#0:model.call(x)|}", "model.call(x)") + @"
    static void Print(Net model, Tensor x)
    {
        foreach (var token in Generate(model, x, 8))
        {
            torch.set_grad_enabled(false);
            Console.WriteLine(token.ToString());
        }
    }"));

        [Fact]
        public Task NoGradInsideTheIterator_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<Tensor> Generate(Net model, Tensor x, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using (torch.no_grad())
            {
                x = model.call(x).argmax(1);
            }
            yield return x;
        }
    }

    static List<Tensor> All(Net model, Tensor x) => Generate(model, x, 8).ToList();"));

        [Fact]
        public Task LambdaAroundThePassInsideTheIterator_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<Func<Tensor>> Generate(Net model, Tensor x)
    {
        yield return () => model.call(x).argmax(1);
    }

    static List<Func<Tensor>> All(Net model, Tensor x) => Generate(model, x).ToList();"));

        [Fact]
        public Task LocalIteratorWhoseResultEscapes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(Net model, Tensor x)
    {
        var tokens = sample();
        using (torch.no_grad())
        {
            return tokens.ToList();
        }

        IEnumerable<Tensor> sample()
        {
            yield return model.call(x).argmax(1);
        }
    }"));

        [Fact]
        public Task IteratorThatTrains_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<float> Generate(Net model, Tensor x, Tensor y)
    {
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        yield return loss.ToSingle();
    }

    static float[] Losses(Net model, Tensor x, Tensor y) => Generate(model, x, y).ToArray();"));

        // The engine's answer is shared: TORCH007 (backward() where autograd is off) counts only a call enumerated in place.

        [Fact]
        public Task Torch007_IteratorEnumeratedInPlaceInsideNoGrad_Reports()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<float> Steps(Net model, Tensor x, Tensor y)
    {
        var loss = nn.functional.mse_loss(model.call(x), y);
        {|#0:loss.backward()|};
        yield return loss.ToSingle();
    }

    static float[] Run(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            return Steps(model, x, y).ToArray();
        }
    }"), VerifyBackward.Diagnostic(DiagnosticIds.BackwardWithoutGrad).WithLocation(0).WithArguments("in 'Steps', which is called at line 46 inside the grad-disabled scope opened at line 44"));

        [Fact]
        public Task Torch007_IteratorWhoseResultEscapesTheNoGradScope_IsSilent()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<float> Steps(Net model, Tensor x, Tensor y)
    {
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        yield return loss.ToSingle();
    }

    static float[] Run(Net model, Tensor x, Tensor y)
    {
        IEnumerable<float> steps;
        using (torch.no_grad())
        {
            steps = Steps(model, x, y);
        }
        return steps.ToArray();
    }"));

        // The fix: never a scope held across a yield (it would stay open while the caller runs).

        [Fact]
        public Task Fix_WrapsTheStepBeforeTheYield()
            => VerifyFix.VerifyCodeFixAsync(
                IteratorSource(@"            x = {|#0:model.call(x)|}.argmax(1);
            yield return x;"),
                new[] { VerifyFix.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'Generate' is an inference method") },
                IteratorSource(@"            using (torch.no_grad())
            {
                x = model.call(x).argmax(1);
            }
            yield return x;"),
                MissingNoGradCodeFixProvider.UsingBlockKey);

        [Fact]
        public Task Fix_UsingDeclarationWouldSpanTheYield_NotOffered()
        {
            var source = IteratorSource(@"            x = {|#0:model.call(x)|}.argmax(1);
            yield return x;");
            return VerifyFix.VerifyCodeFixAsync(
                source,
                new[] { VerifyFix.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'Generate' is an inference method") },
                source,
                MissingNoGradCodeFixProvider.UsingDeclarationKey);
        }

        [Fact]
        public Task Fix_PassInTheYieldItself_NotOffered()
        {
            var source = IteratorSource(@"            yield return {|#0:model.call(x)|}.argmax(1);");
            return VerifyFix.VerifyCodeFixAsync(
                source,
                new[] { VerifyFix.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("model", "'Generate' is an inference method") },
                source,
                MissingNoGradCodeFixProvider.UsingBlockKey);
        }

        private static string IteratorSource(string loopBody) => @"using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

class C
{
    static IEnumerable<Tensor> Generate(nn.Module<Tensor, Tensor> model, Tensor x, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
" + loopBody + @"
        }
    }

    static List<Tensor> All(nn.Module<Tensor, Tensor> model, Tensor x) => Generate(model, x, 4).ToList();
}";
    }
}
