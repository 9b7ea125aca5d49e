using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyEval = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;
using VerifyTrain = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingTrainAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// TORCH001 and TORCH005 on modules received through a base type or interface of this compilation: the closed world
    /// (the rule pages' "What counts as known") decides from the module classes of this compilation that can flow there.
    /// </summary>
    public class MissingEvalClosedWorldTests
    {
        private const string Usings = @"using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
";

        /// <summary>An abstract Q-network base with two plain MLP implementations (no mode-dependent layer).</summary>
        private static string QNets(string access = "internal") => @"
" + access + @" abstract class QNet : nn.Module<Tensor, Tensor>
{
    protected QNet(string name) : base(name) { }
}

" + access + @" sealed class Mlp : QNet
{
    private readonly Linear _fc1 = nn.Linear(4, 16);
    private readonly Linear _fc2 = nn.Linear(16, 2);
    public Mlp() : base(nameof(Mlp)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc2.call(nn.functional.relu(_fc1.call(x)));
}

" + access + @" sealed class DuelingMlp : QNet
{
    private readonly Sequential _body = nn.Sequential(nn.Linear(4, 16), nn.ReLU());
    private readonly Linear _value = nn.Linear(16, 1);
    public DuelingMlp() : base(nameof(DuelingMlp)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _value.call(_body.call(x));
}
";

        private const string NoisyNet = @"
sealed class NoisyNet : QNet
{
    private readonly Linear _fc = nn.Linear(4, 2);
    private readonly Dropout _drop = nn.Dropout(0.2);
    public NoisyNet() : base(nameof(NoisyNet)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}
";

        private const string Act = @"
static class Agent
{
    public static Tensor Act(QNet q, Tensor state)
    {
        using (torch.no_grad())
        {
            return {|#0:q.call(state)|};
        }
    }
}
";

        private const string Received = "received as parameter 'q', and no caller puts it in eval mode";

        private static DiagnosticResult Eval(string why, string consequence)
            => VerifyEval.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("q", why, consequence);

        private static string Silent(string code) => code.Replace("{|#0:", string.Empty).Replace("|}", string.Empty);

        [Fact]
        public Task AbstractBaseWhoseImplementationsArePlainMlps_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets() + Silent(Act));

        [Fact]
        public Task AbstractBaseWithOneImplementationWithDropout_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets() + NoisyNet + Act, Eval(Received, "its Dropout stays active"));

        [Fact]
        public Task PublicAbstractBaseOfALibrary_IsOpen_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets("public") + Act.Replace("static class Agent", "public static class Agent"), Eval(Received, MissingEvalDiagnosticsTests.UnknownInTraining));

        [Fact]
        public Task PublicAbstractBaseOfAnApplication_IsSilent()
        {
            var test = new VerifyEval.Test { TestCode = Usings + QNets("public") + Silent(Act).Replace("static class Agent\n{", "static class Agent\n{\n    public static void Main() { }") };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            return test.RunAsync();
        }

        [Fact]
        public Task AbstractBaseWithoutImplementations_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + @"
abstract class QNet : nn.Module<Tensor, Tensor>
{
    protected QNet(string name) : base(name) { }
}
" + Act, Eval(Received, MissingEvalDiagnosticsTests.UnknownInTraining));

        [Fact]
        public Task ConcreteBaseWithASubclassThatAddsDropout_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + @"
class QNet : nn.Module<Tensor, Tensor>
{
    protected readonly Linear Fc = nn.Linear(4, 2);
    public QNet() : base(nameof(QNet)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => Fc.call(x);
}

class NoisyQNet : QNet
{
    private readonly Dropout _drop = nn.Dropout(0.2);
    public override Tensor forward(Tensor x) => _drop.call(Fc.call(x));
}
" + Act, Eval(Received, "its Dropout stays active"));

        [Fact]
        public Task TorchSharpBaseType_IsOpen_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets() + Act.Replace("QNet q", "nn.Module<Tensor, Tensor> q"), Eval(Received, MissingEvalDiagnosticsTests.UnknownInTraining));

        [Fact]
        public Task TorchSharpBaseTypeWithTheCreationInSight_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets() + @"
static class Agent
{
    public static Tensor Act(Tensor state)
    {
        nn.Module<Tensor, Tensor> q = new Mlp();
        using (torch.no_grad())
        {
            return q.call(state);
        }
    }
}
");

        [Fact]
        public Task ClosedWorldInALambdaAndALocalFunction_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Usings + QNets() + @"
static class Agent
{
    public static Func<Tensor, Tensor> Policy(QNet q)
    {
        Tensor Greedy(Tensor s)
        {
            using (torch.no_grad())
            {
                return q.call(s).argmax(1);
            }
        }

        return s =>
        {
            using (torch.no_grad())
            {
                return Greedy(s) + q.call(s).argmax(1);
            }
        };
    }
}
");

        private const string Holder = @"
internal interface IQ
{
}

internal sealed class Mlp : nn.Module<Tensor, Tensor>, IQ
{
    private readonly Linear _fc = nn.Linear(4, 2);
    public Mlp() : base(nameof(Mlp)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc.call(x);
}

internal sealed class Agent : nn.Module<Tensor, Tensor>
{
    private readonly IQ _q;
    public Agent(IQ q) : base(nameof(Agent)) { _q = q; RegisterComponents(); }
    public override Tensor forward(Tensor x) => ((nn.Module<Tensor, Tensor>)_q).call(x);
}

static class Runner
{
    public static Tensor Act(Agent agent, Tensor state)
    {
        using (torch.no_grad())
        {
            return {|#0:agent.call(state)|};
        }
    }
}
";

        [Fact]
        public Task InterfaceFieldImplementedByPlainModules_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Usings + Silent(Holder));

        [Fact]
        public Task InterfaceFieldWithAnImplementationWithBatchNorm_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + Holder + @"
internal sealed class NormMlp : nn.Module<Tensor, Tensor>, IQ
{
    private readonly BatchNorm1d _norm = nn.BatchNorm1d(4);
    public NormMlp() : base(nameof(NormMlp)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _norm.call(x);
}
", VerifyEval.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments(
                "agent", "received as parameter 'agent', and no caller puts it in eval mode", "its BatchNorm overwrites its running statistics"));

        private const string Fit = @"
static class Trainer
{
    public static void Fit(QNet q, Tensor x, Tensor y)
    {
        var optimizer = optim.Adam(q.parameters());
        for (var epoch = 0; epoch < 3; epoch++)
        {
            optimizer.zero_grad();
            nn.functional.mse_loss({|#0:q.call(x)|}, y).backward();
            optimizer.step();
            q.eval();
        }
    }
}
";

        [Fact]
        public Task TrainingStepOnAbstractBaseWhoseImplementationsArePlainMlps_IsSilent()
            => VerifyTrain.VerifyAnalyzerAsync(Usings + QNets() + Silent(Fit));

        [Fact]
        public Task TrainingStepOnAbstractBaseWithOneImplementationWithDropout_Reports()
        {
            var source = Usings + QNets() + NoisyNet + Fit;
            var line = Array.FindIndex(source.Split('\n'), l => l.Contains("q.eval();")) + 1;
            return VerifyTrain.VerifyAnalyzerAsync(
                source,
                VerifyTrain.Diagnostic(DiagnosticIds.MissingTrain).WithLocation(0).WithArguments("q", "eval() in 'Fit' at line " + line, "its Dropout is off"));
        }

        [Fact]
        public Task SequentialFieldWhoseCreationIsInSight_IsKnown_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + @"
sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body;
    public Net() : base(nameof(Net)) { _body = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.1)); RegisterComponents(); }
    public override Tensor forward(Tensor x) => _body.call(x);
}

static class Runner
{
    public static Tensor Act(Net q, Tensor state)
    {
        using (torch.no_grad())
        {
            return {|#0:q.call(state)|};
        }
    }
}
", Eval(Received, "its Dropout stays active"));

        [Fact]
        public Task FieldThatHoldsItsOwnClass_Terminates_Reports()
            => VerifyEval.VerifyAnalyzerAsync(Usings + @"
sealed class Node : nn.Module<Tensor, Tensor>
{
    private Node? _next;
    public Node() : base(nameof(Node)) { RegisterComponents(); }
    public void Grow() { _next = new Node(); }
    public override Tensor forward(Tensor x) => _next is null ? x : _next.call(x);
}

static class Runner
{
    public static Tensor Act(Node q, Tensor state)
    {
        using (torch.no_grad())
        {
            return {|#0:q.call(state)|};
        }
    }
}
", Eval(Received, MissingEvalDiagnosticsTests.UnknownInTraining));

        private const string EvaluateNet = @"
namespace Xunit { class FactAttribute : System.Attribute { } }

sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Net() : base(nameof(Net)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(x);
}

public class NetTests
{
    ATTRIBUTE
    public void EvaluateNet()
    {
        var net = new Net();
        var output = {|#0:net.call(torch.ones(2, 4))|};
    }
}
";

        [Fact]
        public Task TestMethodNamedEvaluate_IsNoInferenceMethod_IsSilent()
            => VerifyEval.VerifyAnalyzerAsync(Usings + Silent(EvaluateNet).Replace("ATTRIBUTE", "[Xunit.Fact]"));

        [Fact]
        public Task MethodNamedEvaluateWithoutTestAttribute_Reports()
        {
            var source = Usings + EvaluateNet.Replace("ATTRIBUTE", string.Empty);
            var line = Array.FindIndex(source.Split('\n'), l => l.Contains("new Net()")) + 1;
            return VerifyEval.VerifyAnalyzerAsync(source, VerifyEval.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("net", "created at line " + line, "its Dropout stays active"));
        }
    }
}
