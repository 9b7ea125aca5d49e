using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// A method called from a constructor runs in the grad mode the constructor's callers run it in: the text tier once
    /// said no constructor could run a call with grad off, so the helper looked unprotected (found by
    /// ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class CallerInConstructorTests
    {
        private const string Runner = @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Tensor Out;
    public Runner(Tensor x) { _model.eval(); Out = Infer(x); }
    private Tensor Infer(Tensor x) => {|#0:_model.call(x)|};
}
";

        [Fact]
        public Task EveryCreationInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + Runner.Replace("{|#0:", string.Empty).Replace("|}", string.Empty) + @"
public static class Use
{
    public static Tensor Run(Tensor x) { using (torch.no_grad()) { return new Runner(x).Out; } }
}");

        [Fact]
        public Task ACreationOutsideNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Header + Runner + @"
public static class Use
{
    public static Tensor Run(Tensor x) { using (torch.no_grad()) { return new Runner(x).Out; } }
    public static Tensor Open(Tensor x) => new Runner(x).Out;
}", Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0).WithArguments("_model", "it is in eval mode"));
    }
}
