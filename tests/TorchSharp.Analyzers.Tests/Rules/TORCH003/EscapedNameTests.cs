using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH003.OptimizerOverFrozenParametersDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.OptimizerOverFrozenParametersAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH003
{
    /// <summary>
    /// <c>requires_grad</c> written with a Unicode escape (<c>p.requires\u005fgrad = false</c>) freezes: the text tier once
    /// looked for the word only, in the body and in the helpers that might write it (found by
    /// ShortcutEquivalenceTests.IndirectCalls).
    /// </summary>
    public class EscapedNameTests
    {
        [Fact]
        public Task FreezeWrittenWithAnEscape_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Run()
    {
        var model = new Backbone();
        foreach (var p in model.parameters()) { p.requires\u005fgrad = false; }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", All, 23));

        [Fact]
        public Task HelperThatFreezesWithAnEscape_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Freeze(Backbone m) { foreach (var p in m.parameters()) { p.requires\u005fgrad = false; } }
    void Run()
    {
        var model = new Backbone();
        Freeze(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", All, 24));
    }
}
