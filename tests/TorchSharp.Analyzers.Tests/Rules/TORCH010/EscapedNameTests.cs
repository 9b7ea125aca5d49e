using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH010.DirectForwardDiagnosticsTests;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH010
{
    /// <summary>
    /// <c>forward</c> and a hook registration written with a Unicode escape are what they name: the text tier once looked
    /// for the words only, so such a forward was not judged and such a hook not seen (found by
    /// ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class EscapedNameTests
    {
        private static Task Analyze(string code, params DiagnosticResult[] expected)
        {
            var test = new Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>.Test { TestCode = Header + code };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync();
        }

        [Fact]
        public Task ForwardWrittenWithAnEscape_IsJudged()
            => Analyze(@"
class C
{
    Tensor Run(Net model, Tensor x) => model.{|#0:f\u006frward|}(x);
}", Suggestion(0, "model"));

        [Fact]
        public Task HookRegisteredWithAnEscapedName_MakesItAWarning()
            => Analyze(@"
class C
{
    Tensor Run(Net model, Tensor x)
    {
        model.register_forward_h\u006fok((m, input, output) => output);
        return model.{|#0:forward|}(x);
    }
}", Warning(0, "model", "register_forward_hook at line 31"));
    }
}
