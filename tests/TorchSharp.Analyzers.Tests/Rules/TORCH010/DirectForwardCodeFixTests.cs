using System.Threading.Tasks;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.DirectForwardAnalyzer,
    TorchSharp.Analyzers.CodeFixes.DirectForwardCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH010
{
    /// <summary>TORCH010 fix: forward → call, trivia and arguments kept, every arity, method groups, Fix All.</summary>
    public class DirectForwardCodeFixTests
    {
        private const string Key = TorchSharp.Analyzers.CodeFixes.DirectForwardCodeFixProvider.UseCallKey;

        private static string Code(string body) => DirectForwardDiagnosticsTests.Header + @"
class C
{
    Tensor Run(Net model, Pair pair, Six six, Tensor x)
    {
" + body + @"
    }
}";

        [Fact]
        public Task Rename_KeepsCommentsAndArguments()
            => Verify.VerifyCodeFixAsync(
                Code(@"        var y = model /* the net */ .{|#0:forward|}( x ); // forward pass
        return y;"),
                new[] { DirectForwardDiagnosticsTests.Suggestion(0, "model") },
                Code(@"        var y = model /* the net */ .call( x ); // forward pass
        return y;"),
                Key);

        [Fact]
        public Task EveryArity_FixAll()
            => Verify.VerifyCodeFixAsync(
                Code(@"        var a = model.{|#0:forward|}(x);
        var b = pair.{|#1:forward|}(a, x);
        Func<Tensor, Tensor> f = model.{|#2:forward|};
        return six.{|#3:forward|}(b, x, x, x, x, f(x));"),
                new[]
                {
                    DirectForwardDiagnosticsTests.Suggestion(0, "model"), DirectForwardDiagnosticsTests.Suggestion(1, "pair"),
                    DirectForwardDiagnosticsTests.Suggestion(2, "model"), DirectForwardDiagnosticsTests.Suggestion(3, "six"),
                },
                Code(@"        var a = model.call(x);
        var b = pair.call(a, x);
        Func<Tensor, Tensor> f = model.call;
        return six.call(b, x, x, x, x, f(x));"),
                Key);

        [Fact]
        public Task ImplicitThis_BecomesCall()
            => Verify.VerifyCodeFixAsync(
                DirectForwardDiagnosticsTests.Header + @"
class Classifier : nn.Module<Tensor, Tensor>
{
    public Classifier() : base(nameof(Classifier)) { }
    public override Tensor forward(Tensor x) => x;
    public Tensor Predict(Tensor x) => {|#0:forward|}(x).argmax(1);
}",
                new[] { DirectForwardDiagnosticsTests.Suggestion(0, "this") },
                DirectForwardDiagnosticsTests.Header + @"
class Classifier : nn.Module<Tensor, Tensor>
{
    public Classifier() : base(nameof(Classifier)) { }
    public override Tensor forward(Tensor x) => x;
    public Tensor Predict(Tensor x) => call(x).argmax(1);
}",
                Key);

        [Fact]
        public Task TorchSharpModulesWithTheirOwnCall_StillCompile()
            => Verify.VerifyCodeFixAsync(
                Code(@"        var attention = nn.MultiheadAttention(4, 1);
        var gru = nn.GRU(4, 4);
        var (o, h) = gru.{|#0:forward|}(x.unsqueeze(0), null);
        return attention.{|#1:forward|}(o, o, o, null, false, null).Item1;"),
                new[] { DirectForwardDiagnosticsTests.Suggestion(0, "gru"), DirectForwardDiagnosticsTests.Suggestion(1, "attention") },
                Code(@"        var attention = nn.MultiheadAttention(4, 1);
        var gru = nn.GRU(4, 4);
        var (o, h) = gru.call(x.unsqueeze(0), null);
        return attention.call(o, o, o, null, false, null).Item1;"),
                Key);
    }
}
