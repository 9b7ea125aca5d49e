using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// Forward passes inside lambdas (issue 14, item 2): a lambda run in place (a materialized LINQ query, a foreach over
    /// one, List.ForEach) starts in the grad mode and with the module modes of the statement that creates it; a lambda run
    /// on another thread (an endpoint handler, new Thread, an awaited Task.Run) starts with autograd on — grad mode is per
    /// thread — and with the modes of the module locals nothing changes after it is created. Every other lambda starts
    /// unknown and stays silent.
    /// </summary>
    public class LambdaInferenceTests
    {
        /// <summary>The two ASP.NET types a minimal API uses, by their real names (the tests reference no ASP.NET assembly).</summary>
        internal const string AspNet = @"
namespace Microsoft.AspNetCore.Builder
{
    public sealed class WebApplication { public void Run() { } }
    public static class EndpointRouteBuilderExtensions
    {
        public static object MapPost(this WebApplication app, string pattern, System.Delegate handler) => handler;
        public static object MapGet(this WebApplication app, string pattern, System.Delegate handler) => handler;
    }
}";

        private static DiagnosticResult InEval(int location, string module = "model")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "it is in eval mode");

        private static DiagnosticResult OnAnotherThread(int location, string module = "model")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location)
                .WithArguments(module, "it is in eval mode, and the lambda runs on another thread, where autograd is on whatever scope created it");

        private static string Served(string members) => "using Microsoft.AspNetCore.Builder;\n" + Code(members) + AspNet;

        [Fact]
        public Task SelectMaterializedAfterEval_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        return batches.Select(x => {|#0:model.call(x)|}).ToList();
    }"), InEval(0));

        [Fact]
        public Task SelectMaterializedInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return batches.Select(x => model.call(x)).ToList();
        }
    }"));

        [Fact]
        public Task SelectReturnedLazily_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        return batches.Select(x => model.call(x));
    }"));

        [Fact]
        public Task ForeachOverSelect_Reports_AndInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Print(Net model, List<Tensor> batches)
    {
        model.eval();
        foreach (var y in batches.Select(x => {|#0:model.call(x)|}))
        {
            Console.WriteLine(y.shape[0]);
        }

        using (torch.no_grad())
        {
            foreach (var y in batches.Select(x => model.call(x)).Where(y => y.shape[0] > 0))
            {
                Console.WriteLine(y.shape[0]);
            }
        }
    }"), InEval(0));

        [Fact]
        public Task ForeachWhoseBodySwitchesModes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Print(Net model, List<Tensor> batches)
    {
        model.eval();
        foreach (var y in batches.Select(x => model.call(x)))
        {
            model.train();
            Console.WriteLine(y.shape[0]);
        }
    }"));

        [Fact]
        public Task ListForEachWithBlockBody_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Print(Net model, List<Tensor> batches)
    {
        model.eval();
        batches.ForEach(x =>
        {
            var y = {|#0:model.call(x)|};
            Console.WriteLine(y.shape[0]);
        });
    }"), InEval(0));

        [Fact]
        public Task EagerAggregateInALoopAfterEval_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static double Score(Net model, List<List<Tensor>> epochs)
    {
        var total = 0.0;
        for (var i = 0; i < epochs.Count; i++)
        {
            model.eval();
            total += epochs[i].Sum(x => {|#0:model.call(x)|}.mean().ToDouble());
        }
        return total;
    }"), InEval(0));

        [Fact]
        public Task EvalOnOneBranchOnly_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(Net model, List<Tensor> batches, bool quick)
    {
        if (quick)
        {
            model.eval();
        }
        return batches.Select(x => model.call(x)).ToList();
    }"));

        [Fact]
        public Task InsideTryWithTrainInFinally_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor[] Run(Net model, List<Tensor> batches)
    {
        try
        {
            model.eval();
            return batches.Select(x => {|#0:model.call(x)|}).ToArray();
        }
        finally
        {
            model.train();
        }
    }"), InEval(0));

        [Fact]
        public Task LambdaThatSwitchesTheModeItself_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(Net model, List<Tensor> batches)
    {
        model.eval();
        return batches.Select(x => { var y = model.call(x); model.train(); return y; }).ToList();
    }"));

        [Fact]
        public Task LambdaInsideALocalFunction_RunsInTheLocalFunctionsUnknownGradMode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<Tensor> Run(List<Tensor> batches)
    {
        List<Tensor> Score(Net model)
        {
            model.eval();
            return batches.Select(x => model.call(x)).ToList();
        }
        return Score(new Net());
    }"));

        [Fact]
        public Task LambdaInALambda_InheritsThroughBoth()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<List<Tensor>> Run(Net model, List<List<Tensor>> groups)
    {
        model.eval();
        return groups.Select(g => g.Select(x => {|#0:model.call(x)|}).ToList()).ToList();
    }"), InEval(0));

        [Fact]
        public Task CapturedFieldOrProperty_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Net _model = new Net();
    List<Tensor> Run(List<Tensor> batches)
    {
        _model.eval();
        return batches.Select(x => _model.call(x)).ToList();
    }"));

        [Fact]
        public Task EndpointHandlerOverAnEvaluatedLocal_Reports_EvenWhenRegisteredUnderNoGrad()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        app.MapPost(""/predict"", (float[] input) => {|#0:model.call(torch.tensor(input))|}.data<float>().ToArray());
        using (torch.no_grad())
        {
            app.MapGet(""/score"", () => {|#1:model.call(torch.zeros(4))|}.sum().ToSingle());
        }
        app.Run();
    }"), OnAnotherThread(0), OnAnotherThread(1));

        [Fact]
        public Task EndpointHandlerWithItsOwnNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        app.MapPost(""/predict"", (float[] input) =>
        {
            using var noGrad = torch.no_grad();
            return model.call(torch.tensor(input)).data<float>().ToArray();
        });
        app.Run();
    }"));

        [Fact]
        public Task EndpointHandlerWhenTheBodyTrainsTheModelLater_IsSilent()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        app.MapPost(""/predict"", (float[] input) => model.call(torch.tensor(input)));
        model.train();
        app.Run();
    }"));

        [Fact]
        public Task EndpointHandlerWhenAnotherHandlerTrainsTheModel_IsSilent()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app)
    {
        var model = new Net();
        model.eval();
        app.MapPost(""/predict"", (float[] input) => model.call(torch.tensor(input)));
        app.MapPost(""/mode"", (bool training) => model.train(training));
        app.Run();
    }"));

        [Fact]
        public Task EndpointHandlerOverAParameter_IsSilent()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app, Net model)
    {
        model.eval();
        app.MapPost(""/predict"", (float[] input) => model.call(torch.tensor(input)));
    }"));

        [Fact]
        public Task EndpointHandlerReadingOnlyData_Reports_InAnyMode()
            => Verify.VerifyAnalyzerAsync(Served(@"
    static void Serve(WebApplication app, Net model)
    {
        app.MapPost(""/predict"", (float[] input) => {|#0:model.call(torch.tensor(input))|}.data<float>().ToArray());
    }"), Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(0)
                .WithArguments("model", "its output is only read through data(), and the lambda runs on another thread, where autograd is on whatever scope created it"));

        [Fact]
        public Task AwaitedTaskRun_Reports_UnawaitedTaskRun_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static async System.Threading.Tasks.Task<Tensor> Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var first = await System.Threading.Tasks.Task.Run(() => {|#0:model.call(x)|});
            var second = System.Threading.Tasks.Task.Run(() => model.call(x)).Result;
            return first + second;
        }
    }"), OnAnotherThread(0));

        [Fact]
        public Task NewThread_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var worker = new System.Threading.Thread(() => Console.WriteLine({|#0:model.call(x)|}.sum().ToSingle()));
            worker.Start();
            worker.Join();
        }
    }"), OnAnotherThread(0));

        [Fact]
        public Task LambdaEntryHeuristicOff_EveryLambdaStartsUnknown_IsSilent()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
    static List<Tensor> PredictAll(List<Tensor> batches)
    {
        var model = new Net();
        model.eval();
        return batches.Select(x => model.call(x)).ToList();
    }"),
            };
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\ntorchsharp_analyzers.lambda_entry_heuristic = false\n"));
            return test.RunAsync();
        }

        [Fact]
        public Task LambdaStoredInAField_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private Func<Tensor, Tensor>? _predict;
    void Prepare()
    {
        var model = new Net();
        model.eval();
        _predict = x => model.call(x);
    }"));
    }
}
