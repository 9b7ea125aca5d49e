using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH008.UnregisteredSubmoduleDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer,
    TorchSharp.Analyzers.CodeFixes.UnregisteredSubmoduleCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>TORCH008 fixes: RegisterComponents, register_module, ModuleList, Fix All, and where no fix is offered.</summary>
    public class UnregisteredSubmoduleCodeFixTests
    {
        private const string RegisterComponentsKey = UnregisteredSubmoduleCodeFixProvider.RegisterComponentsKey;
        private const string RegisterModuleKey = UnregisteredSubmoduleCodeFixProvider.RegisterModuleKey;
        private const string ModuleListKey = UnregisteredSubmoduleCodeFixProvider.ModuleListKey;

        private static DiagnosticResult Result(int location, string member, string type, string reason)
            => Verify.Diagnostic(DiagnosticIds.UnregisteredSubmodule).WithLocation(location).WithArguments(member, type, reason);

        [Fact]
        public void EquivalenceKeys_NameTheRuleAndTheAction()
        {
            Assert.Equal("TORCH008.RegisterComponents", RegisterComponentsKey);
            Assert.Equal("TORCH008.RegisterModule", RegisterModuleKey);
            Assert.Equal("TORCH008.ModuleList", ModuleListKey);
        }

        [Fact]
        public Task NoRegistration_AddsRegisterComponentsOncePerConstructor()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};
    private readonly Dropout {|#1:_dropout|};

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        _dropout = nn.Dropout(0.5); // last
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                new[] { Result(0, "_fc", "Net", Never), Result(1, "_dropout", "Net", Never) },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        _dropout = nn.Dropout(0.5); // last
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                RegisterComponentsKey);

        [Fact]
        public Task BlockInASequentialField_GetsRegisterComponentsAndTheParentStaysAsItIs()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|} = nn.Linear(4, 4);

    public Block() : base(nameof(Block)) { }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body = nn.Sequential((""block"", new Block()));

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _body.call(x);
}"),
                new[] { Result(0, "_fc", "Block", Never) },
                Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);

    public Block() : base(nameof(Block))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body = nn.Sequential((""block"", new Block()));

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _body.call(x);
}"),
                RegisterComponentsKey);

        [Fact]
        public Task SeveralConstructors_EachOneThatDoesNotChainGetsTheCall()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net() : this(4) { }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
    }

    public Net(string name) : base(name)
    {
        _fc = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                new[] { Result(0, "_fc", "Net", "no constructor calls RegisterComponents()") },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;

    public Net() : this(4) { }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        RegisterComponents();
    }

    public Net(string name) : base(name)
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                RegisterComponentsKey);

        [Fact]
        public Task EmptyConstructorBody_GetsAFormattedBlock()
            => Verify.VerifyCodeFixAsync(
                Code(@"
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
        new Net().eval();
    }
}"),
                new[] { Result(0, "_dropout", "Net", Never) },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout = nn.Dropout(0.5);

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                RegisterComponentsKey);

        [Fact]
        public Task ExpressionBodiedConstructor_BecomesABlock()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net() : base(nameof(Net)) => _fc = nn.Linear(4, 2);

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                new[] { Result(0, "_fc", "Net", Never) },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                RegisterComponentsKey);

        [Fact]
        public Task FieldOfAnAbstractBase_IsFixedInTheDerivedConstructor()
            => Verify.VerifyCodeFixAsync(
                Code(@"
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
    public Net() : base(nameof(Net))
    {
    }

    public override Tensor forward(Tensor x) => Drop(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                new[] { Result(0, "_dropout", "Net", Never) },
                Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    private readonly Dropout _dropout;

    protected Base(string name) : base(name)
    {
        _dropout = nn.Dropout(0.5);
    }

    protected Tensor Drop(Tensor x) => _dropout.call(x);
}

class Net : Base
{
    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Drop(x);
}

static class Usage
{
    static void Run()
    {
        new Net().eval();
    }
}"),
                RegisterComponentsKey);

        [Fact]
        public Task AssignedAfterTheCall_AddsRegisterModule()
            => Verify.VerifyCodeFixAsync(
                Code(@"
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
                new[] { Result(0, "_dropout", "Net", "assigned after RegisterComponents() at line 15") },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;

    public Net() : base(nameof(Net))
    {
        _fc = nn.Linear(4, 2);
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
        register_module(""dropout"", _dropout);
    }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}"),
                RegisterModuleKey);

        [Fact]
        public Task BaseRegistersFirst_RegisterModuleForEachLateField_FixAll()
            => Verify.VerifyCodeFixAsync(
                Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }
}

class Net : Base
{
    private readonly Linear {|#0:_fc|};
    public Dropout {|#1:Dropout|} { get; }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        Dropout = nn.Dropout(0.5);
    }

    public override Tensor forward(Tensor x) => Dropout.call(_fc.call(x));
}"),
                new[]
                {
                    Result(0, "_fc", "Net", "assigned after RegisterComponents() at line 11"),
                    Result(1, "Dropout", "Net", "assigned after RegisterComponents() at line 11"),
                },
                Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }
}

class Net : Base
{
    private readonly Linear _fc;
    public Dropout Dropout { get; }

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        Dropout = nn.Dropout(0.5);
        register_module(""fc"", _fc);
        register_module(""Dropout"", Dropout);
    }

    public override Tensor forward(Tensor x) => Dropout.call(_fc.call(x));
}"),
                RegisterModuleKey);

        [Fact]
        public Task AssignedInAChainingConstructor_RegisterModuleGoesThere()
            => Verify.VerifyCodeFixAsync(
                Code(@"
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
                new[] { Result(0, "_dropout", "Net", "assigned after RegisterComponents() at line 15 in the constructor 'Net(int, double)'") },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc;
    private readonly Dropout _dropout;

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        RegisterComponents();
    }

    public Net(int inputs, double p) : this(inputs)
    {
        _dropout = nn.Dropout(p);
        register_module(""dropout"", _dropout);
    }

    public override Tensor forward(Tensor x) => _dropout is null ? _fc.call(x) : _dropout.call(_fc.call(x));
}"),
                RegisterModuleKey);

        [Fact]
        public Task ParameterWithTheFieldsName_RegisterModuleUsesThis()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:head|};

    public Net(Linear head) : base(nameof(Net))
    {
        RegisterComponents();
        this.head = head;
    }

    public override Tensor forward(Tensor x) => head.call(x);
}"),
                new[] { Result(0, "head", "Net", "assigned after RegisterComponents() at line 13") },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear head;

    public Net(Linear head) : base(nameof(Net))
    {
        RegisterComponents();
        this.head = head;
        register_module(""head"", this.head);
    }

    public override Tensor forward(Tensor x) => head.call(x);
}"),
                RegisterModuleKey);

        [Fact]
        public Task ListOfModules_BecomesModuleList()
            => Verify.VerifyCodeFixAsync(
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Dropout> {|#0:_dropouts|} = new List<Dropout>();
    private List<Linear> {|#1:_layers|};

    public Net(int depth) : base(nameof(Net))
    {
        _layers = new List<Linear>(depth) { nn.Linear(4, 4) };
        for (var i = 0; i < depth; i++)
        {
            _dropouts.Add(nn.Dropout(0.1 * i));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var dropout in _dropouts)
        {
            x = dropout.call(x);
        }

        return _layers.Count > 0 ? _layers[0].call(x) : x;
    }
}"),
                new[]
                {
                    Result(0, "_dropouts", "Net", "a List<Dropout> is never registered; use ModuleList<Dropout>"),
                    Result(1, "_layers", "Net", "a List<Linear> is never registered; use ModuleList<Linear>"),
                },
                Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Dropout> _dropouts = new ModuleList<Dropout>();
    private ModuleList<Linear> _layers;

    public Net(int depth) : base(nameof(Net))
    {
        _layers = new ModuleList<Linear> { nn.Linear(4, 4) };
        for (var i = 0; i < depth; i++)
        {
            _dropouts.Add(nn.Dropout(0.1 * i));
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var dropout in _dropouts)
        {
            x = dropout.call(x);
        }

        return _layers.Count > 0 ? _layers[0].call(x) : x;
    }
}"),
                ModuleListKey);

        [Fact]
        public Task ModuleList_AddsTheUsingDirective()
            => Verify.VerifyCodeFixAsync(@"using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> {|#0:_blocks|} = new();

    public Net() : base(nameof(Net))
    {
        _blocks.Add(nn.Linear(4, 4));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _blocks[0].call(x);
}",
                new[] { Result(0, "_blocks", "Net", "a List<Module<Tensor, Tensor>> is never registered; use ModuleList<Module<Tensor, Tensor>>") },
                @"using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _blocks = new();

    public Net() : base(nameof(Net))
    {
        _blocks.Add(nn.Linear(4, 4));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _blocks[0].call(x);
}",
                ModuleListKey);

        [Fact]
        public Task ListUsedThroughListOnlyApi_NoModuleListFix()
        {
            var source = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> {|#0:_layers|} = new List<Linear>();

    public Net() : base(nameof(Net))
    {
        _layers.AddRange(new[] { nn.Linear(4, 4), nn.Linear(4, 2) });
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[1].call(_layers[0].call(x));
}");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Result(0, "_layers", "Net", "a List<Linear> is never registered; use ModuleList<Linear>") },
                source,
                ModuleListKey);
        }

        [Fact]
        public Task ListBuiltFromASequence_NoModuleListFix()
        {
            var source = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> {|#0:_layers|};

    public Net(IEnumerable<Linear> layers) : base(nameof(Net))
    {
        _layers = new List<Linear>(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Result(0, "_layers", "Net", "a List<Linear> is never registered; use ModuleList<Linear>") },
                source,
                ModuleListKey);
        }

        [Fact]
        public Task PrimaryConstructor_NoFix()
        {
            var source = Code(@"
class Net(int inputs) : nn.Module<Tensor, Tensor>(nameof(Net))
{
    private readonly Linear {|#0:_fc|} = nn.Linear(inputs, 2);

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net(4).eval();
    }
}");
            return Verify.VerifyCodeFixAsync(source, new[] { Result(0, "_fc", "Net", Never) }, source, RegisterComponentsKey);
        }

        [Fact]
        public Task ConstructorWithAnEarlyReturn_NoFix()
        {
            var source = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|};

    public Net(int inputs) : base(nameof(Net))
    {
        _fc = nn.Linear(inputs, 2);
        if (inputs > 2)
        {
            return;
        }

        Console.WriteLine(inputs);
    }

    public override Tensor forward(Tensor x) => _fc.call(x);
}

static class Usage
{
    static void Run()
    {
        new Net(4).eval();
    }
}");
            return Verify.VerifyCodeFixAsync(source, new[] { Result(0, "_fc", "Net", Never) }, source, RegisterComponentsKey);
        }

        [Fact]
        public Task PrivateBaseFieldAssignedLate_NoRegisterModuleFromTheDerivedClass()
        {
            var source = Code(@"
abstract class Base : nn.Module<Tensor, Tensor>
{
    private readonly Dropout {|#0:_dropout|};

    protected Base(string name) : base(name)
    {
        RegisterComponents();
        _dropout = nn.Dropout(0.5);
    }

    protected Tensor Drop(Tensor x) => _dropout.call(x);
}

class Net : Base
{
    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => Drop(x);
}");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Result(0, "_dropout", "Net", "assigned after RegisterComponents() at line 13") },
                source,
                RegisterModuleKey);
        }

        [Fact]
        public Task StaticField_NoFix()
        {
            var source = Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private static readonly Dropout {|#0:Shared|} = nn.Dropout(0.5);

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Shared.call(x);
}");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Result(0, "Shared", "Net", "a static field is never registered; make it an instance field") },
                source,
                RegisterComponentsKey);
        }

        [Fact]
        public Task FixAllAcrossClasses_OneCallPerConstructor()
        {
            var test = new Verify.Test
            {
                TestCode = Code(@"
class First : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_a|};
    private readonly Linear {|#1:_b|};
    private readonly Dropout {|#2:_c|} = nn.Dropout(0.5);

    public First() : base(nameof(First))
    {
        _a = nn.Linear(4, 4);
        _b = nn.Linear(4, 2);
    }

    public override Tensor forward(Tensor x) => _c.call(_b.call(_a.call(x)));
}

class Second : nn.Module<Tensor, Tensor>
{
    private readonly BatchNorm1d {|#3:_norm|};

    public Second() : base(nameof(Second))
    {
        _norm = nn.BatchNorm1d(4);
    }

    public Second(int features) : base(nameof(Second))
    {
        _norm = nn.BatchNorm1d(features);
    }

    public override Tensor forward(Tensor x) => _norm.call(x);
}

static class Usage
{
    static void Run()
    {
        new First().eval();
        new Second(2).eval();
    }
}"),
                FixedCode = Code(@"
class First : nn.Module<Tensor, Tensor>
{
    private readonly Linear _a;
    private readonly Linear _b;
    private readonly Dropout _c = nn.Dropout(0.5);

    public First() : base(nameof(First))
    {
        _a = nn.Linear(4, 4);
        _b = nn.Linear(4, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _c.call(_b.call(_a.call(x)));
}

class Second : nn.Module<Tensor, Tensor>
{
    private readonly BatchNorm1d _norm;

    public Second() : base(nameof(Second))
    {
        _norm = nn.BatchNorm1d(4);
        RegisterComponents();
    }

    public Second(int features) : base(nameof(Second))
    {
        _norm = nn.BatchNorm1d(features);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _norm.call(x);
}

static class Usage
{
    static void Run()
    {
        new First().eval();
        new Second(2).eval();
    }
}"),
                CodeActionEquivalenceKey = RegisterComponentsKey,
            };
            test.ExpectedDiagnostics.Add(Result(0, "_a", "First", Never));
            test.ExpectedDiagnostics.Add(Result(1, "_b", "First", Never));
            test.ExpectedDiagnostics.Add(Result(2, "_c", "First", Never));
            test.ExpectedDiagnostics.Add(Result(3, "_norm", "Second", "no constructor calls RegisterComponents()"));
            test.NumberOfIncrementalIterations = 2;
            test.NumberOfFixAllIterations = 1;
            return test.RunAsync();
        }
    }
}
