using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A constructor's parameter enters with what its callers pass, and a <c>: base(..)</c> initializer or a
    /// primary-constructor base is one of them (found by ShortcutEquivalenceTests.IndirectCalls: the text tier once saw
    /// only the creations written with the type's name).
    /// </summary>
    public class ConstructorCallerTests
    {
        [Fact]
        public Task BaseInitializerPassesANewModule_Reports()
            => Verify.VerifyAnalyzerAsync(Header + @"
public abstract class Evaluator
{
    public Tensor Out;
    protected Evaluator(Net model, Tensor x) { using (torch.no_grad()) { Out = {|#0:model.call(x)|}; } }
}

public sealed class Mine : Evaluator
{
    public Mine(Tensor x) : base(new Net(), x) { }
}", Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("model", "created at line 22", "its Dropout stays active"));

        [Fact]
        public Task PrimaryConstructorBasePassesAModule_CallerUnknown_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
public class Evaluator
{
    public Tensor Out;
    public Evaluator(Net model, Tensor x) { using (torch.no_grad()) { Out = model.call(x); } }
}

public sealed class Mine(Net model, Tensor x) : Evaluator(model, x);

public static class Use
{
    public static Tensor Run(Tensor x) => new Evaluator(new Net(), x).Out;
}");
    }
}
