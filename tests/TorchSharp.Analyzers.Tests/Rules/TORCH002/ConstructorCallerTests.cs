using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// The callers of a constructor are not only the creations written with its type's name: a <c>: this(..)</c> or
    /// <c>: base(..)</c> initializer, a primary-constructor base and a creation written with a using alias run it too. The
    /// text tier once missed them, so a constructor's forward pass looked protected by its one visible caller
    /// (found by ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class ConstructorCallerTests
    {
        internal const string Header = @"using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Net() : base(nameof(Net)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}
";

        // Reported at the unprotected call #1, naming the pass #0 and the protected call #2.
        private static DiagnosticResult AtCall(string passLine, string protectedLine)
            => UnprotectedCallExpectation.At(1, 0, 2, "new Scorer()", "model", passLine, "it is in eval mode", protectedLine);

        [Fact]
        public Task ChainedConstructorOutsideNoGrad_IsACallerThatRecords()
            => Verify.VerifyAnalyzerAsync(Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = {|#0:model.call(x)|}; }
    public Scorer(Net model) {|#1:: this(model, torch.zeros(4))|} { }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return {|#2:new Scorer(m, x)|}.Score; } }
}", AtCall("line 17", "line 23"));

        [Fact]
        public Task ChainedConstructorWhoseEveryCallerDisablesGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = model.call(x); }
    public Scorer(Net model) : this(model, torch.zeros(4)) { }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return new Scorer(m, x).Score; } }
    public static Tensor RunDefault(Net m) { using (torch.no_grad()) { return new Scorer(m).Score; } }
}");

        [Fact]
        public Task CreationThroughAnAliasInAnotherFile_IsACallerThatRecords()
        {
            var test = new Verify.Test
            {
                TestState =
                {
                    Sources =
                    {
                        Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = {|#0:model.call(x)|}; }
}

public static class Use
{
    public static Tensor Protected(Net m, Tensor x) { using (torch.no_grad()) { return {|#2:new Scorer(m, x)|}.Score; } }
}",
                        @"using Sc = Scorer;
using static TorchSharp.torch;

public static class Other
{
    public static Tensor Open(Net m, Tensor x) => {|#1:new Sc(m, x)|}.Score;
}",
                    },
                },
            };
            test.ExpectedDiagnostics.Add(AtCall("line 17 of Test0.cs", "line 22 of Test0.cs"));
            return test.RunAsync();
        }
    }
}
