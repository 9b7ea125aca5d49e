using System.Threading.Tasks;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.DirectForwardAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH010
{
    /// <summary>TORCH010 negatives: code that calls call(..), base.forward, forwards without a call counterpart.</summary>
    public class DirectForwardValidTests
    {
        private static Task Silent(string code) => Verify.VerifyAnalyzerAsync(DirectForwardDiagnosticsTests.Header + code);

        [Fact]
        public Task CallEverywhere_IsSilent()
            => Silent(@"
class C
{
    int seen;
    Tensor Run(Net model, Pair pair, Tensor x)
    {
        model.register_forward_hook((m, input, output) => { seen++; return output; });
        return pair.call(model.call(x), x);
    }
}");

        [Fact]
        public Task BaseForwardInAnOverride_IsSilent()
            => Silent(@"
class Scaled : Net
{
    public override Tensor forward(Tensor x) => base.forward(x) * 2;
}");

        [Fact]
        public Task ForwardOverloadWithoutACallCounterpart_IsSilent()
            => Silent(@"
class Encoder : nn.Module<Tensor, Tensor>
{
    public Encoder() : base(nameof(Encoder)) { }
    public override Tensor forward(Tensor x) => x;
    public Tensor forward(Tensor x, Tensor mask) => x * mask;
    public new Tensor forward(Tensor x, int times) => x * times;
}
class C
{
    Tensor Run(Encoder encoder, Tensor x) => encoder.forward(x, x) + encoder.forward(x, 2);
}");

        [Fact]
        public Task NewForwardHidingTheOverride_IsSilent()
            => Silent(@"
class Base : nn.Module<Tensor, Tensor>
{
    public Base() : base(nameof(Base)) { }
    public override Tensor forward(Tensor x) => x;
}
class Hiding : Base
{
    public new Tensor forward(Tensor x) => x * 2;
}
class C
{
    Tensor Run(Hiding module, Tensor x) => module.forward(x);
}");

        [Fact]
        public Task ThisForwardInsideACallThatReplacesTorchSharps_IsSilent()
            => Silent(@"
class Custom : nn.Module<Tensor, Tensor>
{
    public Custom() : base(nameof(Custom)) { }
    public override Tensor forward(Tensor x) => x;
    public new Tensor call(Tensor x) => forward(x) * 2;
}");

        [Fact]
        public Task ForwardInsideAHookBody_IsSilent()
            => Silent(@"
class C
{
    void Setup(Net model, Linear probe)
    {
        model.register_forward_hook((m, input, output) => probe.forward(output));
    }
}");

        [Fact]
        public Task ForwardOfNonModulesAndStaticMethods_IsSilent()
            => Silent(@"
class Router
{
    public Tensor forward(Tensor x) => x;
    public static Tensor forward(Tensor x, int n) => x;
}
class C
{
    Tensor Run(Router router, Tensor x) => router.forward(x) + Router.forward(x, 1);
}");

        [Fact]
        public Task NameOfForward_AndTheWordInComments_IsSilent()
            => Silent(@"
class C
{
    // model.forward(x) would skip the hooks
    string Name(Net model) => nameof(model.forward);
}");
    }
}
