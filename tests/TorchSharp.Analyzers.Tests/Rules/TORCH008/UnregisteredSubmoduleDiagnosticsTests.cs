using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>TORCH008 positives: module fields that construction leaves unregistered.</summary>
    public class UnregisteredSubmoduleDiagnosticsTests
    {
        internal const string Usings = @"using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
";

        internal const string Never = "the constructor never calls RegisterComponents()";

        internal static string Code(string classes) => Usings + classes;

        internal static DiagnosticResult Unregistered(int location, string member, string type, string reason)
            => Verify.Diagnostic(DiagnosticIds.UnregisteredSubmodule).WithLocation(location).WithArguments(member, type, reason);

        [Fact]
        public Task NoRegisterComponents_ReportsEveryModuleField()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};
    private readonly Dropout {|#1:_dropout|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        _dropout = nn.Dropout(0.5);
        Console.WriteLine(GetType().Name + ToString());
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}

static class Usage
{
    static void Run()
    {
        var net = new Net();
        net.eval();
    }
}"),
                Unregistered(0, "_fc", "Net", Never),
                Unregistered(1, "_dropout", "Net", Never));

        [Fact]
        public Task FieldInitializersWithoutRegisterComponents_Report()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout {|#0:_dropout|} = nn.Dropout(0.5);

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}

static class Usage
{
    static void Run()
    {
        var optimizer = optim.Adam(new Net().parameters());
    }
}"),
                Unregistered(0, "_dropout", "Net", Never));

        [Fact]
        public Task NonGenericModuleBase_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module
{
    private readonly BatchNorm1d {|#0:_norm|};

    public Net() : base(nameof(Net))
    {
        _norm = nn.BatchNorm1d(4);
    }
}

static class Usage
{
    static void Run()
    {
        var net = new Net();
        net.to(CPU);
    }
}"),
                Unregistered(0, "_norm", "Net", Never));

        [Fact]
        public Task AssignedAfterAMidConstructorCall_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 15"));

        [Fact]
        public Task ReassignedAfterRegisterComponents_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear {|#0:_fc|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _fc = nn.Linear(4, 3);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"),
                Unregistered(0, "_fc", "Net", "assigned after RegisterComponents() at line 14"));

        [Fact]
        public Task SecondRegisterComponentsCallDoesNotHelp_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 15"));

        [Fact]
        public Task BaseConstructorRegistersAndDerivedAssignsInBody_Reports()
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
    private readonly Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        _dropout = nn.Dropout(0.5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 11"));

        [Fact]
        public Task BranchAssignsBeforeTheCallOnOnePathOnly_ReportsSomePath()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net(bool small) : base(nameof(Net))
    {
        if (small)
        {
            _fc = nn.Linear(4, 2);
            RegisterComponents();
        }
        else
        {
            RegisterComponents();
            _fc = nn.Linear(8, 2);
        }
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"),
                Unregistered(0, "_fc", "Net", "assigned after RegisterComponents() at line 20 on some constructor path"));

        [Fact]
        public Task RegisterComponentsOnOneBranchOnly_ReportsNotOnEveryPath()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout {|#0:_dropout|};

    public Net(bool register) : base(nameof(Net))
    {
        _dropout = nn.Dropout(0.5);
        if (register)
        {
            RegisterComponents();
        }
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}

static class Usage
{
    static void Run()
    {
        foreach (var (name, parameter) in new Net(false).named_parameters()) { }
    }
}"),
                Unregistered(0, "_dropout", "Net", "the constructor does not call RegisterComponents() on every path"));

        [Fact]
        public Task OneOfTwoConstructorsDoesNotRegister_NamesIt()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net(4).eval();
    }
}"),
                Unregistered(0, "_fc", "Net", "the constructor 'Net(int)' never calls RegisterComponents()"));

        [Fact]
        public Task NoConstructorRegisters_SaysSo()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
    }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net(3).train();
    }
}"),
                Unregistered(0, "_fc", "Net", "no constructor calls RegisterComponents()"));

        [Fact]
        public Task ChainedThisConstructorRegistersBeforeTheCallerAssigns_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout {|#0:_dropout|};

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        RegisterComponents();
    }

    public Net(int inputs, double p) : this(inputs)
    {
        _dropout = nn.Dropout(p);
    }

    public override Tensor forward(Tensor x) => _dropout is null ? _fc.call(x) : _dropout.call(_fc.call(x));
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 15 in the constructor 'Net(int, double)'"));

        [Fact]
        public Task ListOfModules_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Dropout> {|#0:_dropouts|} = new List<Dropout>();

    public Net() : base(nameof(Net))
    {
        _dropouts.Add(nn.Dropout(0.5));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropouts[0].call(x);
}"),
                Unregistered(0, "_dropouts", "Net", "a List<Dropout> is never registered; use ModuleList<Dropout>"));

        [Fact]
        public Task ArrayOfModules_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear[] {|#0:_layers|};

    public Net() : base(nameof(Net))
    {
        _layers = new[] { nn.Linear(4, 4), nn.Linear(4, 2) };
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[1].call(_layers[0].call(x));
}"),
                Unregistered(0, "_layers", "Net", "an array Linear[] is never registered; use ModuleList<Linear>"));

        [Fact]
        public Task DictionaryOfModules_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dictionary<string, Linear> {|#0:_heads|} = new Dictionary<string, Linear>();

    public Net() : base(nameof(Net))
    {
        _heads[""a""] = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _heads[""a""].call(x);
}"),
                Unregistered(0, "_heads", "Net", "a Dictionary<string, Linear> is never registered; use ModuleDict<Linear>"));

        [Fact]
        public Task InterfaceTypedCollection_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<Linear> {|#0:_layers|};

    public Net() : base(nameof(Net))
    {
        _layers = new List<Linear> { nn.Linear(4, 2) };
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}"),
                Unregistered(0, "_layers", "Net", "an IReadOnlyList<Linear> is never registered; use ModuleList<Linear>"));

        [Fact]
        public Task StaticModuleField_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private static readonly Dropout {|#0:SharedDropout|} = nn.Dropout(0.5);
    private readonly Linear _fc;

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => SharedDropout.call(_fc.call(x));
}"),
                Unregistered(0, "SharedDropout", "Net", "a static field is never registered; make it an instance field"));

        [Fact]
        public Task AutoPropertyAssignedAfterTheCall_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    public Linear Body { get; }
    public Linear {|#0:Head|} { get; }

    public Net() : base(nameof(Net))
    {
        Body = nn.Linear(4, 4);
        RegisterComponents();
        Head = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => Head.call(Body.call(x));
}"),
                Unregistered(0, "Head", "Net", "assigned after RegisterComponents() at line 15"));

        [Fact]
        public Task PrivateFieldOfABaseClassAssignedInItsBody_ReportsAtTheBaseField()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    private readonly Dropout {|#0:_dropout|};

    protected Base(string name) : base(name)
    {
        _dropout = nn.Dropout(0.5);
    }

    protected Tensor Drop(Tensor x) => _dropout.call(x);
}

class Net : Base
{
    private readonly Linear {|#1:_fc|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => Drop(_fc.call(x));
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                Unregistered(0, "_dropout", "Net", Never),
                Unregistered(1, "_fc", "Net", Never));

        [Fact]
        public Task AbstractBaseFieldMissedByOneOfTwoDerivedClasses_NamesThatClass()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Linear {|#0:Head|};

    protected Base(string name) : base(name) { }
}

class Good : Base
{
    public Good() : base(nameof(Good))
    {
        Head = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Head.call(x);
}

class Late : Base
{
    public Late() : base(nameof(Late))
    {
        RegisterComponents();
        Head = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => Head.call(x);
}"),
                Unregistered(0, "Head", "Late", "assigned after RegisterComponents() at line 29"));

        [Fact]
        public Task HelperMethodAssignsAfterRegistering_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear _fc;
    private Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        Build();
        _dropout = nn.Dropout(0.5);
    }

    private void Build()
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 21"));

        [Fact]
        public Task LazyGetterCreatesAfterRegistering_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear {|#0:_head|};

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
        Head.call(torch.zeros(1, 4));
    }

    private Linear Head => _head ??= nn.Linear(4, 2);

    public override Tensor forward(Tensor x) => Head.call(x);
}"),
                Unregistered(0, "_head", "Net", "assigned after RegisterComponents() at line 13"));

        [Fact]
        public Task SequentialFieldNeverRegistered_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential {|#0:_body|};

    public Net() : base(nameof(Net))
    {
        _body = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5));
    }

    public override Tensor forward(Tensor x) => _body.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().save(""net.bin"");
    }
}"),
                Unregistered(0, "_body", "Net", Never));

        [Fact]
        public Task GenericModuleFieldOfATypeParameter_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Wrapper<T> : nn.Module<Tensor, Tensor> where T : nn.Module<Tensor, Tensor>
{
    private readonly T {|#0:_inner|};

    public Wrapper(T inner) : base(""wrapper"")
    {
        RegisterComponents();
        _inner = inner;
    }

    public override Tensor forward(Tensor x) => _inner.call(x);
}"),
                Unregistered(0, "_inner", "Wrapper", "assigned after RegisterComponents() at line 13"));

        [Fact]
        public Task SwitchCaseRegistersBeforeAssigning_ReportsSomePath()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> {|#0:_head|};

    public Net(string kind) : base(nameof(Net))
    {
        switch (kind)
        {
            case ""late"":
                RegisterComponents();
                _head = nn.Dropout(0.5);
                break;
            default:
                _head = nn.Linear(4, 2);
                RegisterComponents();
                break;
        }
    }

    public override Tensor forward(Tensor x) => _head.call(x);
}"),
                Unregistered(0, "_head", "Net", "assigned after RegisterComponents() at line 16 on some constructor path"));

        [Fact]
        public Task LocalFunctionAssignsAfterRegistering_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear {|#0:_fc|};

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
        Build(4);

        void Build(int inputs) => _fc = nn.Linear(inputs, 2);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}"),
                Unregistered(0, "_fc", "Net", "assigned after RegisterComponents() at line 13"));

        [Fact]
        public Task RegisterComponentsInsideTheLoopThatAssigns_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Linear {|#0:_last|};

    public Net(int depth) : base(nameof(Net))
    {
        for (var i = 0; i < depth; i++)
        {
            _last = nn.Linear(4, 4);
            RegisterComponents();
        }
    }

    public override Tensor forward(Tensor x) => _last.call(x);
}"),
                Unregistered(0, "_last", "Net", "assigned after RegisterComponents() at line 16 on some constructor path"));

        [Fact]
        public Task PrimaryConstructorWithInitializers_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net(int inputs) : nn.Module<Tensor, Tensor>(nameof(Net))
{
    private readonly Linear {|#0:_fc|} = nn.Linear(inputs, 2);

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        var weights = new Net(4).state_dict();
    }
}"),
                Unregistered(0, "_fc", "Net", Never));

        [Fact]
        public Task VirtualBuildOverriddenInTheConcreteClass_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
        Build();
    }

    protected abstract void Build();
}

class Net : Base
{
    private Linear {|#0:_fc|};

    public Net() : base(nameof(Net)) { }

    protected override void Build() => _fc = nn.Linear(4, 2);

    public override Tensor forward(Tensor x) => _fc.call(x);
}"),
                Unregistered(0, "_fc", "Net", "assigned after RegisterComponents() at line 11"));

        [Fact]
        public Task DocumentationViolatingExample_Reports()
            => Verify.VerifyAnalyzerAsync(@"using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout {|#0:_dropout|};
    private readonly List<Linear> {|#1:_heads|} = new();

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
        _heads.Add(nn.Linear(2, 2));
    }

    public override Tensor forward(Tensor x) => _heads[0].call(_dropout.call(_fc.call(x)));
}",
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 14"),
                Unregistered(1, "_heads", "Net", "a List<Linear> is never registered; use ModuleList<Linear>"));

        [Fact]
        public Task OverrideThatRegistersBeforeAssigning_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    protected override void RegisterComponents()
    {
        base.RegisterComponents();
        _dropout = nn.Dropout(0.5);
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}"),
                Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 18"));

        [Fact]
        public Task StatelessLayersReportedWhenConfigured()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ReLU {|#0:_relu|} = nn.ReLU();

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _relu.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
            };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH008.report_stateless_layers = true"));
            test.ExpectedDiagnostics.Add(Unregistered(0, "_relu", "Net", Never));
            return test.RunAsync();
        }

        [Fact]
        public Task BaseClassInAnotherFile_SaysWhichFile()
        {
            var test = new Verify.Test();
            test.TestState.Sources.Add(("/Base.cs", Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }
}")));
            test.TestState.Sources.Add(("/Net.cs", Code(@"
class Net : Base
{
    private readonly Dropout {|#0:_dropout|};

    public Net() : base(nameof(Net))
    {
        _dropout = nn.Dropout(0.5);
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}")));
            test.ExpectedDiagnostics.Add(Unregistered(0, "_dropout", "Net", "assigned after RegisterComponents() at line 11 of Base.cs"));
            return test.RunAsync();
        }
    }
}
