using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// TORCH002's third inference signal (issue 14, item 1): a forward pass whose output is only read through operations
    /// that end the graph is inference in any mode, even in a body that trains elsewhere; any use that may keep the graph
    /// (returned, stored, handed to other code, captured, a loss that is backpropagated, max(..).values) keeps it silent.
    /// None of these methods is named like inference, and none calls eval().
    /// </summary>
    public class MissingNoGradOutputTests
    {
        private static DiagnosticResult Expect(int location, string module, string consumer)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "its output is only read through " + consumer);

        [Fact]
        public Task AccuracyLoop_ArgmaxEqItem_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long CountCorrect(Net model, IEnumerable<(Tensor x, Tensor y)> batches)
    {
        long correct = 0;
        foreach (var (x, y) in batches)
        {
            var logits = {|#0:model.call(x)|};
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        return correct;
    }"), Expect(0, "model", "argmax()"));

        [Fact]
        public Task AccuracyAfterTrainingStepInSameLoop_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y, int epochs)
    {
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            var predicted = {|#0:model.call(x)|}.argmax(1);
            Console.WriteLine((predicted == y).sum().ToInt64());
        }
    }"), Expect(0, "model", "argmax()"));

        [Fact]
        public Task TrainingForwardReusedForAccuracy_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Fit(Net model, Tensor x, Tensor y)
    {
        var optimizer = optim.Adam(model.parameters());
        optimizer.zero_grad();
        var output = model.call(x);
        var loss = nn.functional.cross_entropy(output, y);
        loss.backward();
        optimizer.step();
        Console.WriteLine(output.argmax(1).eq(y).sum().ToInt64());
    }"));

        [Fact]
        public Task GreedyDecoderFeedingArgmaxBack_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static List<long> Decode(Net model, Tensor start, int steps)
    {
        var tokens = new List<long>();
        var input = start;
        for (var i = 0; i < steps; i++)
        {
            var next = {|#0:model.call(input)|}.argmax(-1);
            tokens.Add(next.item<long>());
            input = next.to_type(ScalarType.Float32).unsqueeze(0);
        }
        return tokens;
    }"), Expect(0, "model", "argmax()"));

        [Fact]
        public Task SamplerThroughSoftmaxAndMultinomial_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Draw(Net model, Tensor context, double temperature)
    {
        var logits = {|#0:model.call(context)|};
        var probabilities = (logits / temperature).softmax(-1);
        return torch.multinomial(probabilities, 1);
    }"), Expect(0, "model", "multinomial()"));

        [Fact]
        public Task PpoOldLogProbsDetachedInUpdate_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Update(Net policy, Tensor states, Tensor actions, Tensor advantages)
    {
        var optimizer = optim.Adam(policy.parameters());
        var oldLogProbs = {|#0:policy.call(states)|}.log_softmax(-1).gather(1, actions).detach();
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var logProbs = policy.call(states).log_softmax(-1).gather(1, actions);
            var ratio = (logProbs - oldLogProbs).exp();
            var loss = -(ratio * advantages).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }"), Expect(0, "policy", "detach()"));

        [Fact]
        public Task MaxIndexes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Labels(Net model, Tensor x)
        => {|#0:model.call(x)|}.max(1).indexes;"), Expect(0, "model", "max(..).indexes"));

        [Fact]
        public Task DeconstructedMaxWithDiscardedValues_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Correct(Net model, Tensor x, Tensor y)
    {
        var (_, predicted) = {|#0:model.call(x)|}.max(1);
        return predicted.eq(y).sum().ToInt64();
    }"), Expect(0, "model", "max(..).indexes"));

        [Fact]
        public Task MaxValuesReturned_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Best(Net model, Tensor x)
        => model.call(x).max(1).values;"));

        [Fact]
        public Task DeconstructedMaxValuesReturned_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Best(Net model, Tensor x)
    {
        var (values, indexes) = model.call(x).max(1);
        Console.WriteLine(indexes.ToString());
        return values;
    }"));

        [Fact]
        public Task TopkIndexesAndIntegerCast_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Candidates(Net model, Tensor x)
    {
        var scores = {|#0:model.call(x)|}.cpu();
        var top = scores.topk(3).indexes;
        return top.to_type(ScalarType.Int32);
    }"), Expect(0, "model", "topk(..).indexes"));

        [Fact]
        public Task IntegerCastAndDataAccess_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static float[] Values(Net model, Tensor x, bool asLabels)
    {
        using var output = {|#0:model.call(x)|};
        if (asLabels)
        {
            Console.WriteLine(output.to_type(ScalarType.Int64).ToString());
        }
        return output.data<float>().ToArray();
    }"), Expect(0, "model", "to_type(ScalarType.Int64)"));

        [Fact]
        public Task ComparisonOperatorInTryFinally_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static bool AllPositive(Net model, Tensor x)
    {
        Tensor output = null;
        try
        {
            output = {|#0:model.call(x)|};
            return (output > 0).all().item<bool>();
        }
        finally
        {
            output?.Dispose();
        }
    }"), Expect(0, "model", "a comparison"));

        [Fact]
        public Task OutputReturned_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Logits(Net model, Tensor x)
    {
        var logits = model.call(x);
        Console.WriteLine(logits.argmax(1).ToString());
        return logits;
    }"));

        [Fact]
        public Task OutputPassedToBackpropagatedLoss_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static float Step(Net model, Tensor x, Tensor y)
    {
        var output = model.call(x);
        var loss = nn.functional.cross_entropy(output, y);
        loss.backward();
        return output.argmax(1).eq(y).sum().item<float>();
    }"));

        [Fact]
        public Task OutputBackpropagatedThroughLocalLaterInLoop_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Run(Net model, Tensor x, int steps)
    {
        Tensor last = null;
        for (var i = 0; i < steps; i++)
        {
            if (last is object)
            {
                last.sum().backward();
            }
            var output = model.call(x);
            Console.WriteLine(output.argmax(1).ToString());
            last = output;
        }
    }"));

        [Fact]
        public Task OutputStoredInList_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Collect(Net model, Tensor x, List<Tensor> outputs)
    {
        var output = model.call(x);
        Console.WriteLine(output.argmax(1).ToString());
        outputs.Add(output);
    }"));

        [Fact]
        public Task OutputStoredInField_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor _last;
    void Remember(Net model, Tensor x)
    {
        _last = model.call(x);
        Console.WriteLine(_last.argmax(1).ToString());
    }"));

        [Fact]
        public Task OutputCapturedByLambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Func<Tensor> Later(Net model, Tensor x)
    {
        var output = model.call(x);
        Console.WriteLine(output.argmax(1).ToString());
        return () => output;
    }"));

        [Fact]
        public Task ReadInLocalFunction_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Run(Net model, Tensor x)
    {
        var output = model.call(x);
        long Count() => output.argmax(1).sum().ToInt64();
        return Count();
    }"));

        [Fact]
        public Task OutputHandedToUnknownMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Log(Tensor t) { }
    static void Run(Net model, Tensor x)
    {
        var output = model.call(x);
        Log(output);
        Console.WriteLine(output.argmax(1).ToString());
    }"));

        [Fact]
        public Task OutputCopiedInPlaceIntoBuffer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Run(Net model, Tensor x, Tensor buffer)
    {
        var output = model.call(x);
        buffer.copy_(output);
        Console.WriteLine(output.argmax(1).ToString());
    }"));

        [Fact]
        public Task OutputIntoUserModule_ReportsOnlyTheOuterPass()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Run(Net model, Plain head, Tensor x)
        => {|#0:head.call(model.call(x))|}.argmax(1).sum().ToInt64();"), Expect(0, "head", "argmax()"));

        [Fact]
        public Task OutputIntoBuiltInLayer_ReportsBoth()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Run(Net model, Linear head, Tensor x)
        => {|#0:head.call({|#1:model.call(x)|})|}.argmax(1).sum().ToInt64();"), Expect(0, "head", "argmax()"), Expect(1, "model", "argmax()"));

        [Fact]
        public Task DiscardedOutput_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Warm(Net model, Tensor x)
    {
        model.call(x);
    }"));

        [Fact]
        public Task OutputReassignedToParameter_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Run(Net model, Tensor x, out Tensor labels)
    {
        var output = model.call(x);
        labels = output;
        Console.WriteLine(output.argmax(1).ToString());
    }"));

        [Fact]
        public Task InsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Count(Net model, Tensor x, Tensor y)
    {
        using (torch.no_grad())
        {
            return model.call(x).argmax(1).eq(y).sum().ToInt64();
        }
    }"));

        [Fact]
        public Task BranchWhereOneUseKeepsTheGraph_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static Tensor Run(Net model, Tensor x, bool raw)
    {
        var output = model.call(x);
        if (raw)
        {
            return output.softmax(1);
        }
        return output.argmax(1);
    }"));

        [Fact]
        public Task ParameterFreeModuleOnPlainInput_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static long Run()
    {
        var act = nn.ReLU();
        return act.call(torch.randn(2, 4)).argmax(1).sum().ToInt64();
    }"));

        [Fact]
        public Task SubmoduleInModuleMethodThatTheForwardCalls_IsSilent()
            // A piece of the module's forward pass runs in its caller's grad mode. The same method called only from outside
            // is inference (ModuleOwnInferenceMethodTests, issue 14 item 2).
            => Verify.VerifyAnalyzerAsync(Code(@"
    class Head : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc = nn.Linear(4, 4);
        public Head() : base(nameof(Head)) { RegisterComponents(); }
        public override Tensor forward(Tensor x) => _fc.call(x) * Labels(x).unsqueeze(1);
        public Tensor Labels(Tensor x) => _fc.call(x).argmax(1);
    }"));

        [Fact]
        public Task InsideLambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static IEnumerable<long> Run(Net model, IEnumerable<Tensor> xs)
        => xs.Select(x => model.call(x).argmax(1).sum().ToInt64());"));

        [Fact]
        public Task SignalTurnedOff_IsSilent()
        {
            var test = new Verify.Test { TestCode = Code(@"
    static long CountCorrect(Net model, Tensor x, Tensor y)
        => model.call(x).argmax(1).eq(y).sum().ToInt64();") };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.inference_output_heuristic = false"));
            return test.RunAsync();
        }
    }
}
