using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// TORCH002's fix for a pass in a lambda: the scope goes inside the lambda, where it holds wherever and on whichever
    /// thread the lambda runs; an expression-bodied lambda gets a block body first (<c>{ return …; }</c> or <c>{ …; }</c>).
    /// </summary>
    public class LambdaInferenceCodeFixTests
    {
        private const string Block = MissingNoGradCodeFixProvider.UsingBlockKey;
        private const string Declaration = MissingNoGradCodeFixProvider.UsingDeclarationKey;

        private static DiagnosticResult InEval(int location)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments("model", "it is in eval mode");

        private static DiagnosticResult OnAnotherThread(int location, string why)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location)
                .WithArguments("model", why + ", and the lambda runs on another thread, where autograd is on whatever scope created it");

        [Fact]
        public Task ExpressionLambdaReturningAValue_GetsABlockBodyWithTheScope()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    static List<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        return batches.Select(x => {|#0:model.call(x)|}).ToList();
    }"),
                new[] { InEval(0) },
                Code(@"
    static List<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        return batches.Select(x =>
        {
            using (torch.no_grad())
            {
                return model.call(x);
            }
        }).ToList();
    }"),
                Block);

        [Fact]
        public Task ExpressionLambdaReturningNothing_GetsAStatementBody()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    static void PrintAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        batches.ForEach(x => Console.WriteLine({|#0:model.call(x)|}.sum().ToSingle()));
    }"),
                new[] { InEval(0) },
                Code(@"
    static void PrintAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        batches.ForEach(x =>
        {
            using var noGrad = torch.no_grad();
            Console.WriteLine(model.call(x).sum().ToSingle());
        });
    }"),
                Declaration);

        [Fact]
        public Task EndpointHandler_TheScopeGoesInsideTheHandler_NotAroundTheRegistration()
            => Verify.VerifyCodeFixAsync(
                "using Microsoft.AspNetCore.Builder;\n" + Code(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            app.MapPost(""/predict"", (float[] input) => {|#0:model.call(torch.tensor(input))|}.data<float>().ToArray());
        }
        app.Run();
    }") + LambdaInferenceTests.AspNet,
                new[] { OnAnotherThread(0, "it is in eval mode") },
                "using Microsoft.AspNetCore.Builder;\n" + Code(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            app.MapPost(""/predict"", (float[] input) =>
            {
                using (torch.no_grad())
                {
                    return model.call(torch.tensor(input)).data<float>().ToArray();
                }
            });
        }
        app.Run();
    }") + LambdaInferenceTests.AspNet,
                Block);

        [Fact]
        public Task BlockBodiedLambda_WrapsInsideIt()
            => Verify.VerifyCodeFixAsync(
                Code(@"
    static void PrintAll(Net model, List<Tensor> batches)
    {
        model.eval();
        batches.ForEach(x =>
        {
            var y = {|#0:model.call(x)|};
            Console.WriteLine(y.shape[0]);
        });
    }"),
                new[] { InEval(0) },
                Code(@"
    static void PrintAll(Net model, List<Tensor> batches)
    {
        model.eval();
        batches.ForEach(x =>
        {
            using (torch.no_grad())
            {
                var y = model.call(x);
                Console.WriteLine(y.shape[0]);
            }
        });
    }"),
                Block);
    }
}
