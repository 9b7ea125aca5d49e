using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A forward pass written with a Unicode escape (<c>model.c\u0061ll(x)</c>) is a forward pass: the text gate in front of
    /// the facts walk once looked for the word <c>call</c> only (found by ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class EscapedNameTests
    {
        [Fact]
        public Task ForwardPassWrittenWithAnEscapeUnderNoGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Header + @"
public static class Use
{
    public static Tensor Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad()) { return {|#0:model.c\u0061ll(x)|}; }
    }
}", Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("model", "created at line 18", "its Dropout stays active"));
    }
}
