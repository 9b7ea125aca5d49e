using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH008.UnregisteredSubmoduleDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>TORCH008 negatives: modules registered the way TorchSharp does it, and code the rule leaves alone.</summary>
    public class UnregisteredSubmoduleValidTests
    {
        [Fact]
        public Task RegisterComponentsAtTheEnd_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;
    public Linear Head { get; }

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 4);
        _dropout = nn.Dropout(0.5);
        Head = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Head.call(_dropout.call(_fc.call(x)));
}"));

        [Fact]
        public Task DerivedFieldInitializersRunBeforeTheRegisteringBaseConstructor_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }
}

class Net : Base
{
    private readonly Dropout _dropout = nn.Dropout(0.5);
    private Linear Head { get; } = nn.Linear(4, 2);

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => Head.call(_dropout.call(x));
}"));

        [Fact]
        public Task ChainedThisConstructorThatRegistersLast_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;

    public Net() : this(4, 0.5) { }

    public Net(int inputs, double p) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        _dropout = nn.Dropout(p);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"));

        [Fact]
        public Task PrivateConstructorOnlyReachedThroughThis_IsNotAnEntry()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;

    public Net() : this(4)
    {
        RegisterComponents();
    }

    private Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"));

        [Fact]
        public Task RegisterModuleByNameAfterRegisterComponents_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;
    private readonly Linear _head;

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
        register_module(""dropout"", _dropout);
        add_module(""head"", _head = nn.Linear(2, 2));
    }

    public override Tensor forward(Tensor x) => _head.call(_dropout.call(_fc.call(x)));
}"));

        [Fact]
        public Task RegisteredLocalStoredInAField_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
        var dropout = nn.Dropout(0.5);
        register_module(""dropout"", dropout);
        _dropout = dropout;
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"));

        [Fact]
        public Task ContainerModuleFields_AreSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _layers = new ModuleList<Linear>();
    private readonly ModuleDict<Linear> _heads = new ModuleDict<Linear>();
    private readonly Sequential _body;

    public Net() : base(nameof(Net))
    {
        _layers.Add(nn.Linear(4, 4));
        _heads.Add(""a"", nn.Linear(4, 2));
        _body = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _heads[""a""].call(_layers[0].call(_body.call(x)));
}"));

        [Fact]
        public Task ListElementsRegisteredOneByOne_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> _layers = new List<Linear>();

    public Net(int depth) : base(nameof(Net))
    {
        for (var i = 0; i < depth; i++)
        {
            var layer = nn.Linear(4, 4);
            register_module($""layer{i}"", layer);
            _layers.Add(layer);
        }
    }

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}"));

        [Fact]
        public Task OptionalSubmoduleLeftNull_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;
    private readonly BatchNorm1d _norm;
    private Linear _neverAssigned;

    public Net(double p, bool normalize) : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        _dropout = p > 0 ? nn.Dropout(p) : null;
        if (normalize)
        {
            _norm = nn.BatchNorm1d(2);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"));

        [Fact]
        public Task StatelessLayers_AreSilentByDefault()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ReLU _relu = nn.ReLU();
    private readonly MaxPool1d _pool = nn.MaxPool1d(2);
    private readonly Flatten _flatten = nn.Flatten();
    private readonly CrossEntropyLoss _loss = nn.CrossEntropyLoss();
    private readonly List<ReLU> _activations = new List<ReLU>();

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _flatten.call(_pool.call(_relu.call(x)));
}"));

        [Fact]
        public Task ExcludedFieldNames_AreSilent()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _teacher;
    public Linear Frozen { get; }
    private readonly Linear {|#0:_student|};

    public Net(Linear teacher) : base(nameof(Net))
    {
        _teacher = teacher;
        Frozen = nn.Linear(4, 2);
        _student = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => _student.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net(nn.Linear(4, 2)).eval();
    }
}"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH008.excluded_field_names = _teacher, Frozen"));
            test.ExpectedDiagnostics.Add(Unregistered(0, "_student", "Net", Never));
            return test.RunAsync();
        }

        [Fact]
        public Task AbstractBaseWhoseDerivedConstructorsRegister_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout;
    protected Linear Head;

    protected Base(string name, double p) : base(name)
    {
        _dropout = nn.Dropout(p);
    }

    protected Tensor Drop(Tensor x) => _dropout.call(x);
}

class Net : Base
{
    public Net() : base(nameof(Net), 0.5)
    {
        Head = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Head.call(Drop(x));
}"));

        [Fact]
        public Task AbstractBaseWithoutDerivedClassesInTheCompilation_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
public abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Linear Head;

    protected Base(string name) : base(name)
    {
        Head = nn.Linear(4, 2);
    }
}"));

        [Fact]
        public Task OverriddenRegisterComponentsThatAssignsFirst_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    protected override void RegisterComponents()
    {
        _dropout = nn.Dropout(0.5);
        base.RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"));

        [Fact]
        public Task ThisHandedToUnknownCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
static class ModuleTools
{
    public static void Register<T>(this nn.Module parent, out T field, T module, string name) where T : nn.Module
    {
        field = module;
        parent.register_module(name, module);
    }
}

class Net : nn.Module<Tensor, Tensor>
{
    private Linear _fc;
    private Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
        this.Register(out _fc, nn.Linear(4, 2), ""fc"");
        Configure(this);
        _dropout = nn.Dropout(0.5);
    }

    private static void Configure(Net net) => net.register_module(""dropout"", net._dropout);

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"));

        [Fact]
        public Task ModuleFieldsOfAClassThatIsNotAModule_AreSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Trainer
{
    private readonly Linear _model = nn.Linear(4, 2);
    private readonly List<Dropout> _dropouts = new List<Dropout>();
}"));

        [Fact]
        public Task ClassBuiltOnAnotherTorchSharpModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Layers : ModuleList<Linear>
{
    private readonly Dropout _dropout;

    public Layers() : base(nn.Linear(4, 4))
    {
        _dropout = nn.Dropout(0.5);
    }
}"));

        [Fact]
        public Task PathsThatThrowAreNotConstructions_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;

    public Net(int inputs) : base(nameof(Net))
    {
        if (inputs <= 0)
        {
            RegisterComponents();
            throw new ArgumentOutOfRangeException(nameof(inputs));
        }

        _fc = nn.Linear(inputs, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"));

        [Fact]
        public Task HelperThatAssignsBeforeRegistering_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear _fc;
    private Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        Build(0.5);
        RegisterComponents();
        this.to(torch.CPU);
    }

    private void Build(double p)
    {
        _fc = nn.Linear(4, 2);
        if (p > 0)
        {
            _dropout = nn.Dropout(p);
        }
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"));

        [Fact]
        public Task RegisterComponentsInFinally_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;

    public Net(int inputs) : base(nameof(Net))
    {
        try
        {
            _fc = nn.Linear(inputs, 2);
        }
        finally
        {
            RegisterComponents();
        }
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"));

        [Fact]
        public Task DocumentationFixedExample_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;
    private readonly ModuleList<Linear> _heads = new();

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        _dropout = nn.Dropout(0.5);
        _heads.Add(nn.Linear(2, 2));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _heads[0].call(_dropout.call(_fc.call(x)));
}

abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }
}

class Late : Base
{
    private readonly Dropout _dropout;

    public Late() : base(nameof(Late))
    {
        _dropout = nn.Dropout(0.5);
        register_module(""dropout"", _dropout);
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"));

        [Fact]
        public Task GeneratedCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(@"// <auto-generated/>
" + Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout = nn.Dropout(0.5);

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"));

        [Fact]
        public Task CompilationWithoutTorchSharp_IsSilent()
        {
            var test = new Verify.Test
            {
                TestCode = @"
using System.Collections.Generic;

class Module { }

class Net : Module
{
    private readonly List<Module> _layers = new List<Module>();
    private readonly Module _head = new Module();
}",
            };
            test.TestState.AdditionalReferences.Clear();
            return test.RunAsync();
        }

        [Theory]
        [InlineData(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    public Net() : base(
    {
        _fc = nn.Linear(4, 2)
        RegisterComponents(
    }
}")]
        [InlineData(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    public Net() : this() { _fc = nn.Linear(4, 2); }
    public Net(int a) : this(a, 1) { }
    public Net(int a, int b) : this(a) { RegisterComponents(); }
}")]
        [InlineData(@"
class Net : Missing
{
    private readonly Linear _fc = nn.Linear(4, 2);
    public Net() : base(1) { _fc = Undefined(); goto end; end: RegisterComponents(); }
}")]
        [InlineData(@"
class A : B { private Linear _a; public A() { _a = nn.Linear(1, 1); } }
class B : A { private Linear _b; public B() { _b = nn.Linear(1, 1); } }")]
        [InlineData(@"
partial class Net : nn.Module<Tensor, Tensor>
{
    private Linear _fc;
    partial void Build();
    public Net() : base(""n"") { Build(); Recurse(); RegisterComponents(); }
    void Recurse() { Recurse(); _fc = nn.Linear(1, 1); }
    public override Tensor forward(Tensor x) => x;
}")]
        public Task IncompleteOrOddCode_DoesNotThrow(string classes)
        {
            var test = new Verify.Test
            {
                TestCode = Code(classes),
                CompilerDiagnostics = CompilerDiagnostics.None,
            };
            test.TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck;
            return RunIgnoringTorch008(test);
        }

        /// <summary>Runs the test and fails only on analyzer exceptions (AD0001); TORCH008 findings in broken code are not asserted.</summary>
        private static async Task RunIgnoringTorch008(Verify.Test test)
        {
            test.ExpectedDiagnostics.Clear();
            try
            {
                await test.RunAsync();
            }
            catch (System.Exception e) when (!e.Message.Contains("AD0001") && e.Message.Contains("TORCH008"))
            {
                // A finding in broken code is fine; an analyzer exception is not.
            }
        }
    }
}
