using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Flow.ModeFlowTestHarness;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using VerifyBackward = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer>;
using VerifyEval = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Flow
{
    /// <summary>
    /// The questions the engine answers from syntax before it binds anything (which callers might run a method with
    /// grad off, which calls are written with a method's name, which methods of a class might change a field): each
    /// shortcut must give the answer the bound analysis gives, in both directions.
    /// </summary>
    public class SyntaxFirstAnswersTests
    {
        private static DiagnosticResult BackwardAt(int location, string where)
            => VerifyBackward.Diagnostic(DiagnosticIds.BackwardWithoutGrad).WithLocation(location).WithArguments(where);

        private static DiagnosticResult EvalAt(int location, string module, string why, string consequence = Rules.TORCH001.MissingEvalDiagnosticsTests.NetInTraining)
            => VerifyEval.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location).WithArguments(module, why, consequence);

        [Fact]
        public Task CallerHoldsAScopeReturnedByAHelper_Reports()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static IDisposable Frozen() => torch.no_grad();
    static void Learn(Tensor loss) => {|#0:loss.backward()|};

    void Run(Tensor loss)
    {
        using (Frozen())
        {
            Learn(loss);
        }
    }"), BackwardAt(0, "in 'Learn', which is called at line 42 inside the grad-disabled scope opened at line 40"));

        [Fact]
        public Task CallWrittenWithVerbatimNameAndSpace_IsFound()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => {|#0:loss.backward()|};

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            @Learn (loss);
        }
    }"), BackwardAt(0, "in 'Learn', which is called at line 41 inside the grad-disabled scope opened at line 39"));

        [Fact]
        public Task CallWithACommentOrTypeArgumentsBeforeItsArguments_IsFound()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static void Learn<T>(Tensor loss) => {|#0:loss.backward()|};

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Learn<int> /* the epoch */ (loss);
        }
    }"), BackwardAt(0, "in 'Learn', which is called at line 41 inside the grad-disabled scope opened at line 39"));

        [Fact]
        public Task CallerTwoLevelsUp_Reports()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => {|#0:loss.backward()|};
    static void Middle(Tensor loss) => Learn(loss);

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Middle(loss);
        }
    }"), BackwardAt(0, "in 'Learn', which is called at line 36 inside the grad-disabled scope"));

        [Fact]
        public Task SameNameOfAnotherClassInsideNoGrad_IsSilent()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static class Other { public static void Learn(Tensor loss) { } }
    static void Learn(Tensor loss) => loss.backward();

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Other.Learn(loss);
        }
        Learn(loss);
    }"));

        [Fact]
        public Task OverloadsWithOtherArgumentCounts_AreToldApart()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => {|#0:loss.backward()|};
    static void Learn(Tensor loss, double scale) => (loss * scale).backward();

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Learn(loss);
        }
        Learn(loss, 0.5);
    }"), BackwardAt(0, "in 'Learn', which is called at line 42 inside the grad-disabled scope opened at line 40"));

        [Fact]
        public Task CallOnlyInACommentOrString_IsNoCallSite()
            => VerifyBackward.VerifyAnalyzerAsync(Code(@"
    static void Learn(Tensor loss) => loss.backward();

    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            // Learn(loss);
            Console.WriteLine(""Learn(loss)"");
        }
    }"));

        [Fact]
        public async Task WhatIsFoundInAFile_FollowsItsEdits()
        {
            // What the text search finds is kept per syntax tree, across compilations (an editor's next compilation reuses
            // every tree but the edited one): the unchanged file's findings are reused, the edited file's are new.
            const string Helper = @"
using TorchSharp;
using static TorchSharp.torch;
static class Helpers
{
    public static void Learn(Tensor loss) => loss.backward();
}";
            const string Caller = @"
using TorchSharp;
using static TorchSharp.torch;
class Runner
{
    void Run(Tensor loss)
    {
        using (torch.no_grad())
        {
            Helpers.Learn(loss);
        }
    }
}";
            var compilation = await CompileAsync(Helper, Caller);
            Assert.Equal(1, await BackwardFindingsAsync(compilation));

            var caller = compilation.SyntaxTrees.Last();
            var edited = caller.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Caller.Replace("Helpers.Learn(loss);", "System.Console.WriteLine(loss);")));
            var afterEdit = compilation.ReplaceSyntaxTree(caller, edited);
            Assert.Same(compilation.SyntaxTrees.First(), afterEdit.SyntaxTrees.First());
            Assert.Equal(0, await BackwardFindingsAsync(afterEdit));

            var restored = afterEdit.ReplaceSyntaxTree(edited, edited.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Caller)));
            Assert.Equal(1, await BackwardFindingsAsync(restored));
        }

        private static async Task<int> BackwardFindingsAsync(Microsoft.CodeAnalysis.Compilation compilation)
        {
            var analyzers = System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new TorchSharp.Analyzers.Rules.BackwardWithoutGradAnalyzer());
            var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
            return diagnostics.Count(d => d.Id == DiagnosticIds.BackwardWithoutGrad);
        }

        [Fact]
        public Task FieldOnlyRunAndReadElsewhere_StillReports()
            => VerifyEval.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();

    public Tensor Warm(Tensor x) => this._model.call(x);

    public int Count() => _model.parameters().Count() + (_model.training ? 1 : 0);

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:_model.call(x)|};
        }
    }"), EvalAt(0, "_model", "created at line 35"));

        [Fact]
        public Task FieldGivenToItsOwnUserMethodElsewhere_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Code(@"
    class Tunable : nn.Module<Tensor, Tensor>
    {
        private readonly Dropout _drop = nn.Dropout(0.5);
        public Tunable() : base(nameof(Tunable)) { RegisterComponents(); }
        public override Tensor forward(Tensor x) => _drop.call(x);
        public void Settle() => eval();
    }

    private readonly Tunable _model = new Tunable();

    public void Prepare() => _model.Settle();

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }"));

        [Fact]
        public Task FieldPassedOnElsewhere_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();

    static void Settle(nn.Module module) => module.eval();

    public void Prepare() => Settle(_model);

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }"));
    }
}
