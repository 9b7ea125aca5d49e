using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH001.MissingEvalDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// TORCH002 only where a graph is recorded: a module without parameters on inputs that do not require grad records
    /// nothing (measured on TorchSharp 0.107.0, see the rule page); test methods are no inference entry points by name.
    /// </summary>
    public class MissingNoGradGraphTests
    {
        private const string InEval = "it is in eval mode";

        private static DiagnosticResult Expect(int location, string module, string why = InEval)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, why);

        [Fact]
        public Task ReluOnFreshTensor_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        return act.call(torch.randn(2, 4));
    }"));

        [Fact]
        public Task DropoutOnTensorFromData_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(float[] data)
    {
        var drop = nn.Dropout(0.5);
        drop.eval();
        var x = torch.tensor(data).reshape(1, -1);
        return drop.call(x);
    }"));

        [Fact]
        public Task ReluOnParameter_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(x)|};
    }"), Expect(0, "act"));

        [Fact]
        public Task ReluOnDetachedParameter_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor x)
    {
        var act = nn.ReLU();
        act.eval();
        return act.call(x.detach());
    }"));

        [Fact]
        public Task ReluOnOutputOfLinear_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var fc = nn.Linear(4, 4);
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(fc.call(torch.ones(2, 4)))|};
    }"), Expect(0, "act"));

        [Fact]
        public Task ReluOnOutputOfParameterFreeModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var pool = nn.MaxPool1d(2);
        var act = nn.GELU();
        act.eval();
        var pooled = pool.call(torch.randn(2, 4, 8));
        return act.call(pooled.flatten(1));
    }"));

        [Fact]
        public Task SequentialOfParameterFreeLayers_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var head = nn.Sequential(nn.ReLU(), nn.Dropout(0.1), nn.Softmax(1));
        head.eval();
        return head.call(torch.ones(2, 4) * 3 + torch.zeros(2, 4));
    }"));

        [Fact]
        public Task SequentialWithLinear_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var head = nn.Sequential(nn.Linear(4, 4), nn.ReLU());
        head.eval();
        return {|#0:head.call(torch.ones(2, 4))|};
    }"), Expect(0, "head"));

        [Fact]
        public Task ModuleWithLinearOnFreshTensor_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var model = new Plain();
        model.eval();
        return {|#0:model.call(torch.randn(2, 4))|};
    }"), Expect(0, "model"));

        [Fact]
        public Task FactoryAskedToRequireGrad_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(torch.randn(2, 4, requires_grad: true))|};
    }"), Expect(0, "act"));

        [Fact]
        public Task LocalWhoseRequiresGradIsSet_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        var x = torch.randn(2, 4);
        x.requires_grad = true;
        return {|#0:act.call(x)|};
    }"), Expect(0, "act"));

        [Fact]
        public Task LocalWhoseRequiresGradIsSetInALambda_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        var x = torch.randn(2, 4);
        Action track = () => x.requires_grad_(true);
        track();
        return {|#0:act.call(x)|};
    }"), Expect(0, "act"));

        [Fact]
        public Task LocalReassignedInALoopFromPlainValues_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(int steps)
    {
        var act = nn.Tanh();
        act.eval();
        var x = torch.zeros(2, 4);
        for (var i = 0; i < steps; i++)
        {
            x = act.call(x * 0.5 + torch.rand(2, 4));
        }
        return x;
    }"));

        [Fact]
        public Task LocalAssignedAParameterOnOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor input, bool warm)
    {
        var act = nn.ReLU();
        act.eval();
        var x = torch.zeros(2, 4);
        if (warm)
        {
            x = input;
        }
        return {|#0:act.call(x)|};
    }"), Expect(0, "act"));

        [Fact]
        public Task ConditionalWithAParameter_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(Tensor input, bool warm)
    {
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(warm ? input : torch.zeros(2, 4))|};
    }"), Expect(0, "act"));

        [Fact]
        public Task TensorFromALocalFunction_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(Make())|};

        Tensor Make() => torch.ones(2, 4);
    }"), Expect(0, "act"));

        [Fact]
        public Task TensorField_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Tensor _input = torch.ones(2, 4);

    Tensor Run()
    {
        var act = nn.ReLU();
        act.eval();
        return {|#0:act.call(_input)|};
    }"), Expect(0, "act"));

        [Fact]
        public Task ParameterFreeFieldInAnInferenceMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly ReLU _act = nn.ReLU();

    Tensor Predict() => _act.call(torch.linspace(-1, 1, 8));"));

        [Fact]
        public Task ParameterFreeFieldInAnInferenceMethodOnAParameter_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly ReLU _act = nn.ReLU();

    Tensor Predict(Tensor x) => {|#0:_act.call(x)|};"), Expect(0, "_act", "'Predict' is an inference method"));

        [Fact]
        public Task CustomModuleWithParameterFreeLayersOnly_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var head = new Head();
        head.eval();
        return head.call(torch.ones(2, 4));
    }
}

class Head : nn.Module<Tensor, Tensor>
{
    private readonly ReLU _act = nn.ReLU();
    private readonly Dropout _drop = nn.Dropout(0.1);
    public Head() : base(nameof(Head)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_act.call(x));"));

        [Fact]
        public Task CustomModuleWithAParameterField_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var scale = new Scale();
        scale.eval();
        return {|#0:scale.call(torch.ones(2, 4))|};
    }
}

class Scale : nn.Module<Tensor, Tensor>
{
    private readonly Parameter _weight = nn.Parameter(torch.ones(4));
    public Scale() : base(nameof(Scale)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => x * _weight;"), Expect(0, "scale"));

        [Fact]
        public Task CustomModuleWithATensorField_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run()
    {
        var shift = new Shift(torch.ones(4));
        shift.eval();
        return {|#0:shift.call(torch.ones(2, 4))|};
    }
}

class Shift : nn.Module<Tensor, Tensor>
{
    private readonly Tensor _offset;
    public Shift(Tensor offset) : base(nameof(Shift)) { _offset = offset; RegisterComponents(); }
    public override Tensor forward(Tensor x) => x + _offset;"), Expect(0, "shift"));

        [Fact]
        public Task UnknownModuleOnFreshTensor_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Tensor Run(nn.Module<Tensor, Tensor> model)
    {
        model.eval();
        return {|#0:model.call(torch.ones(2, 4))|};
    }"), Expect(0, "model"));

        /// <summary>Test attributes declared here by namespace and name, as the frameworks declare them.</summary>
        private const string TestAttributes = @"
namespace Xunit { class FactAttribute : System.Attribute { } class TheoryAttribute : FactAttribute { } }
namespace NUnit.Framework { class TestAttribute : System.Attribute { } class TestCaseAttribute : System.Attribute { public TestCaseAttribute(params object[] a) { } } }
namespace Microsoft.VisualStudio.TestTools.UnitTesting { class TestMethodAttribute : System.Attribute { } class DataTestMethodAttribute : TestMethodAttribute { } }
class SkippableFactAttribute : Xunit.FactAttribute { }";

        [Theory]
        [InlineData("[Xunit.Fact]")]
        [InlineData("[Xunit.Theory]")]
        [InlineData("[SkippableFact]")]
        [InlineData("[NUnit.Framework.Test]")]
        [InlineData("[NUnit.Framework.TestCase(1)]")]
        [InlineData("[Microsoft.VisualStudio.TestTools.UnitTesting.TestMethod]")]
        [InlineData("[Microsoft.VisualStudio.TestTools.UnitTesting.DataTestMethod]")]
        public Task TestNamedEvaluate_IsSilent(string attribute)
            => Verify.VerifyAnalyzerAsync(Code(@"
    " + attribute + @"
    public void EvaluateNet()
    {
        var model = new Net();
        var output = model.call(torch.ones(2, 4));
    }") + TestAttributes);

        [Fact]
        public Task MethodNamedEvaluateWithAnotherAttribute_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    [Obsolete]
    public void EvaluateNet()
    {
        var model = new Net();
        var output = {|#0:model.call(torch.ones(2, 4))|};
    }") + TestAttributes, Expect(0, "model", "'EvaluateNet' is an inference method"));

        [Fact]
        public Task TestThatCallsEval_StillReports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    [Xunit.Fact]
    public void EvaluateNet()
    {
        var model = new Net();
        model.eval();
        var output = {|#0:model.call(torch.ones(2, 4))|};
    }") + TestAttributes, Expect(0, "model"));
    }
}
