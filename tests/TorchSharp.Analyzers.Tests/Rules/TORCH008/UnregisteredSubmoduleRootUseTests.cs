using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH008.UnregisteredSubmoduleDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>
    /// TORCH008 and what <c>register_module</c> does: it calls the child's <c>RegisterComponents()</c>, so a class that
    /// never registers anything is reported only where this compilation uses an object of it as a root, or where it is
    /// held by a field that is itself left unregistered.
    /// </summary>
    public class UnregisteredSubmoduleRootUseTests
    {
        private const string Child = @"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear {|#0:_fc|} = nn.Linear(4, 4);
    private readonly Dropout {|#1:_dropout|} = nn.Dropout(0.5);

    public Block() : base(nameof(Block)) { }

    public override Tensor forward(Tensor x) => _dropout.call(_fc.call(x));
}
";

        private static Task Reports(string uses)
            => Verify.VerifyAnalyzerAsync(
                Code(Child + uses),
                Unregistered(0, "_fc", "Block", Never),
                Unregistered(1, "_dropout", "Block", Never));

        private static Task Silent(string uses)
            => Verify.VerifyAnalyzerAsync(Code(Child.Replace("{|#0:_fc|}", "_fc").Replace("{|#1:_dropout|}", "_dropout") + uses));

        // ---- root uses ----------------------------------------------------------------------------------------------

        [Fact]
        public Task EvalOnALocal_Reports()
            => Reports(@"
static class Program
{
    static Tensor Predict(Tensor x)
    {
        var model = new Block();
        model.eval();
        return model.call(x);
    }
}");

        [Fact]
        public Task TrainOnANewObject_Reports()
            => Reports(@"
static class Program
{
    static void Run() => new Block().train();
}");

        [Fact]
        public Task ParametersHandedToAnOptimizer_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var model = new Block();
        var optimizer = optim.SGD(model.parameters(), 0.01);
        optimizer.step();
    }
}");

        [Fact]
        public Task ToDevice_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        Block model = new();
        model.to(CPU);
    }
}");

        [Fact]
        public Task SaveAndLoad_Report()
            => Reports(@"
static class Program
{
    static void Save() => new Block().save(""block.bin"");
}");

        [Fact]
        public Task LoadOnALocalAssignedLater_Reports()
            => Reports(@"
static class Program
{
    static void Run(bool load)
    {
        Block model = null;
        if (load)
        {
            model = new Block();
            model.load(""block.bin"");
        }
    }
}");

        [Fact]
        public Task StateDictInALambda_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var model = new Block();
        Func<int> count = () => model.state_dict().Count;
        Console.WriteLine(count());
    }
}");

        [Fact]
        public Task ConditionalAccess_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var model = new Block();
        model?.eval();
    }
}");

        [Fact]
        public Task PrivateFieldOfATrainer_Reports()
            => Reports(@"
class Trainer
{
    private readonly Block _model = new Block();

    public void Epoch()
    {
        _model.train();
        var optimizer = optim.Adam(_model.parameters());
    }
}");

        [Fact]
        public Task PrivateAutoPropertyOfATrainer_Reports()
            => Reports(@"
class Trainer
{
    private Block Model { get; } = new Block();

    public void Evaluate() => Model.eval();
}");

        [Fact]
        public Task PassedToAHelperThatCallsEval_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var model = new Block();
        Evaluate(model);
    }

    static void Evaluate(nn.Module<Tensor, Tensor> module)
    {
        module.eval();
    }
}");

        [Fact]
        public Task NewObjectPassedToAHelperThatTrains_Reports()
            => Reports(@"
static class Program
{
    static void Run() => Train(new Block());

    static void Train(nn.Module module)
    {
        module.train();
        var optimizer = optim.Adam(module.parameters());
    }
}");

        [Fact]
        public Task InsideAStandaloneSequential_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var model = nn.Sequential((""block"", new Block()), (""head"", nn.Linear(4, 2)));
        model.eval();
    }
}");

        [Fact]
        public Task AddedToAStandaloneModuleList_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var blocks = new ModuleList<Block>();
        blocks.Add(new Block());
        var parameters = blocks.parameters();
    }
}");

        [Fact]
        public Task LocalDeclaredInsideALambda_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        Action evaluate = () =>
        {
            var model = new Block();
            model.eval();
        };
        evaluate();
    }
}");

        [Fact]
        public Task LocalReassignedFromAnotherValue_IsSilent()
            => Silent(@"
static class Program
{
    static void Run(Block shared)
    {
        var model = new Block();
        model = shared;
        model.eval();
    }
}");

        [Fact]
        public Task HolderThatNeverRegistersButIsNotARoot_IsSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block _block = new Block();

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _block.call(x);
}

static class Program
{
    static Tensor Run(Tensor x) => new Net().call(x);
}");

        // A module's own method whose local is assigned apart from its declaration: still a local, still a root.
        [Fact]
        public Task LocalAssignedLaterInAModuleMethod_Reports()
            => Reports(@"
class Trainer : nn.Module<Tensor, Tensor>
{
    private Block block = null!;

    public Trainer() : base(nameof(Trainer)) { }

    public override Tensor forward(Tensor x) => x;

    public Tensor Evaluate(Tensor x)
    {
        Block block;
        block = new Block();
        block.eval();
        return block.call(x);
    }
}");

        // The same lines outside a module: the assigned name is a private field of a class that is not a module.
        [Fact]
        public Task FieldOfANonModuleAssignedThenEvaluated_Reports()
            => Reports(@"
class Host
{
    private Block block = null!;

    public Tensor Evaluate(Tensor x)
    {
        block = new Block();
        block.eval();
        return block.call(x);
    }
}");

        // In a module's constructor, this.child = new Block() and child = new Block() store a child of the module: not
        // a root (the shapes RootUses answers without binding the constructor).
        [Fact]
        public Task ChildAssignedToAModuleFieldInItsConstructor_Silent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block first;
    private readonly Block second;

    public Net() : base(nameof(Net))
    {
        this.first = new Block();
        second = new Block();
        register_module(""third"", new Block());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => second.call(first.call(x));
}

static class Program
{
    static void Run() => new Net().eval();
}");

        // ---- holders that never register ------------------------------------------------------------------------------

        [Fact]
        public Task ElementOfAListField_Reports()
            => Verify.VerifyAnalyzerAsync(
                Code(Child + @"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Block> {|#2:_blocks|} = new List<Block> { new Block() };

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _blocks[0].call(x);
}"),
                Unregistered(0, "_fc", "Block", Never),
                Unregistered(1, "_dropout", "Block", Never),
                Unregistered(2, "_blocks", "Net", "a List<Block> is never registered; use ModuleList<Block>"));

        [Fact]
        public Task FieldAssignedAfterTheHoldersRegistration_Reports()
            => Verify.VerifyAnalyzerAsync(
                Code(Child + @"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block {|#2:_block|};

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
        _block = new Block();
    }

    public override Tensor forward(Tensor x) => _block.call(x);
}"),
                Unregistered(0, "_fc", "Block", Never),
                Unregistered(1, "_dropout", "Block", Never),
                Unregistered(2, "_block", "Net", "assigned after RegisterComponents() at line 23"));

        [Fact]
        public Task HolderThatNeverRegistersUsedAsRoot_ReportsBoth()
            => Verify.VerifyAnalyzerAsync(
                Code(Child + @"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block {|#2:_block|} = new Block();

    public Net() : base(nameof(Net)) { }

    public override Tensor forward(Tensor x) => _block.call(x);
}

static class Program
{
    static void Run() => new Net().eval();
}"),
                Unregistered(0, "_fc", "Block", Never),
                Unregistered(1, "_dropout", "Block", Never),
                Unregistered(2, "_block", "Net", Never));

        // ---- registered children ---------------------------------------------------------------------------------------

        [Fact]
        public Task FieldOfAParentThatCallsRegisterComponents_IsSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block _block = new Block();

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _block.call(x);
}

static class Program
{
    static void Run()
    {
        var model = new Net();
        model.eval();
        var optimizer = optim.Adam(model.parameters());
    }
}");

        [Fact]
        public Task RegisteredWithRegisterModule_IsSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Block _block;

    public Net() : base(nameof(Net))
    {
        _block = new Block();
        register_module(""block"", _block);
    }

    public override Tensor forward(Tensor x) => _block.call(x);
}

static class Program
{
    static void Run() => new Net().eval();
}");

        [Fact]
        public Task LocalGivenToRegisterModule_IsSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    public Net() : base(nameof(Net))
    {
        var block = new Block();
        block.to(CPU);
        register_module(""block"", block);
    }

    public override Tensor forward(Tensor x) => x;
}");

        [Fact]
        public Task ElementOfASequentialFieldOfARegisteringParent_Reports()
            => Reports(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body = nn.Sequential((""a"", new Block()), (""b"", nn.ReLU()));

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _body.call(x);
}");

        [Fact]
        public Task ElementsOfASequentialBuiltByAQuery_Reports()
            => Reports(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body;

    public Net(int depth) : base(nameof(Net))
    {
        _body = nn.Sequential(System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, depth), _ => new Block()));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _body.call(x);
}");

        [Fact]
        public Task ElementsOfAModuleListBuiltByAQuery_AreSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Block> _blocks;

    public Net(int depth) : base(nameof(Net))
    {
        _blocks = new ModuleList<Block>(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(System.Linq.Enumerable.Range(0, depth), _ => new Block())));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _blocks[0].call(x);
}");

        [Fact]
        public Task AppendedToASequential_Reports()
            => Reports(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _body = nn.Sequential();

    public Net() : base(nameof(Net))
    {
        _body.append(new Block());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _body.call(x);
}");

        [Fact]
        public Task ModuleListAndModuleDictFieldsOfARegisteringParent_AreSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Block> _blocks = new ModuleList<Block>(new Block(), new Block());
    private readonly ModuleDict<Block> _heads = new ModuleDict<Block>();

    public Net() : base(nameof(Net))
    {
        _heads.Add((""main"", new Block()));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _heads[""main""].call(_blocks[0].call(x));
}

static class Program
{
    static void Run() => new Net().train();
}");

        [Fact]
        public Task ChildOfAChildThatNeverRegisters_UnderARegisteringRoot_IsSilent()
            => Silent(@"
class Stage : nn.Module<Tensor, Tensor>
{
    private readonly Block _block = new Block();

    public Stage() : base(nameof(Stage)) { }

    public override Tensor forward(Tensor x) => _block.call(x);
}

class Net : nn.Module<Tensor, Tensor>
{
    private readonly Stage _stage = new Stage();

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _stage.call(x);
}

static class Program
{
    static void Run() => new Net().eval();
}");

        [Fact]
        public Task NeverInstantiated_IsSilent()
            => Silent(string.Empty);

        [Fact]
        public Task OnlyForwardIsCalled_IsSilent()
            => Silent(@"
static class Program
{
    static Tensor Run(Tensor x) => new Block().call(x);
}");

        [Fact]
        public Task EvalOnAParentsFieldAfterTheParentRegisteredIt_IsSilent()
            => Silent(@"
class Net : nn.Module<Tensor, Tensor>
{
    public readonly Block Body = new Block();

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => Body.call(x);
}

static class Program
{
    static void Run()
    {
        var net = new Net();
        net.Body.eval();
        var optimizer = optim.Adam(net.Body.parameters());
    }
}");

        [Fact]
        public Task ParameterOfAMethod_IsSilent()
            => Silent(@"
static class Program
{
    static void Evaluate(Block block) => block.eval();
}");

        [Fact]
        public Task ReturnedFromAFactory_IsSilent()
            => Silent(@"
static class Factory
{
    public static Block Create()
    {
        var block = new Block();
        block.to(CPU);
        return block;
    }
}");

        [Fact]
        public Task LocalThatAlsoEscapes_IsSilent()
            => Silent(@"
class Holder
{
    public Block Model;
}

static class Program
{
    static void Run(Holder holder)
    {
        var model = new Block();
        model.eval();
        holder.Model = model;
    }
}");

        [Fact]
        public Task PublicFieldOfATrainer_IsSilent()
            => Silent(@"
class Trainer
{
    public Block Model = new Block();

    public void Evaluate() => Model.eval();
}");

        [Fact]
        public Task HelperThatPassesItsParameterOn_IsSilent()
            => Silent(@"
static class Program
{
    static void Run() => Wrap(new Block());

    static void Wrap(nn.Module<Tensor, Tensor> module)
    {
        module.eval();
        Keep(module);
    }

    static void Keep(nn.Module<Tensor, Tensor> module) { }
}");

        [Fact]
        public Task GenericHolderThatRegisters_IsSilent()
            => Silent(@"
class Residual<T> : nn.Module<Tensor, Tensor> where T : nn.Module<Tensor, Tensor>
{
    private readonly T _inner;

    public Residual(T inner) : base(nameof(Residual<T>))
    {
        _inner = inner;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + _inner.call(x);
}

static class Program
{
    static void Run() => new Residual<Block>(new Block()).eval();
}");

        // A creation written with an alias, or a new() in a file that never names the class, is a creation of it too: the
        // text tier once looked for the class's name only (found by ShortcutEquivalenceTests.IndirectCalls).
        [Fact]
        public Task EvalOnACreationWrittenWithAnAlias_Reports()
            => Verify.VerifyAnalyzerAsync(
                "using B = Block;\n" + Code(Child + @"
static class Program
{
    static void Run()
    {
        var block = new B();
        block.eval();
    }
}"),
                Unregistered(0, "_fc", "Block", Never),
                Unregistered(1, "_dropout", "Block", Never));

        [Fact]
        public Task EvalOnACreationWrittenWithAnEscapedName_Reports()
            => Reports(@"
static class Program
{
    static void Run()
    {
        var block = new Bl\u006fck();
        block.eval();
    }
}");

        [Fact]
        public Task NewGivenToAMethodOfAnotherFileThatUsesItAsARoot_Reports()
        {
            var test = new Verify.Test
            {
                TestState =
                {
                    Sources =
                    {
                        Code(Child + @"
static class Trainer
{
    public static void Prepare(Block block) => block.eval();
}"),
                        @"static class Program
{
    static void Run() => Trainer.Prepare(new());
}",
                    },
                },
            };
            test.ExpectedDiagnostics.Add(Unregistered(0, "_fc", "Block", Never));
            test.ExpectedDiagnostics.Add(Unregistered(1, "_dropout", "Block", Never));
            return test.RunAsync();
        }

        [Fact]
        public Task RequireRootUseOff_ReportsWithoutARootUse()
        {
            var test = new Verify.Test { TestCode = Code(Child) };
            test.TestState.AnalyzerConfigFiles.Add(Verifiers.TestCompilation.EditorConfig("torchsharp_analyzers.TORCH008.require_root_use = false"));
            test.ExpectedDiagnostics.Add(Unregistered(0, "_fc", "Block", Never));
            test.ExpectedDiagnostics.Add(Unregistered(1, "_dropout", "Block", Never));
            return test.RunAsync();
        }

        [Fact]
        public Task DerivedClassUsedAsRoot_NamesIt()
            => Verify.VerifyAnalyzerAsync(Code(@"
abstract class BlockBase : nn.Module<Tensor, Tensor>
{
    protected readonly Dropout {|#0:_dropout|} = nn.Dropout(0.5);

    protected BlockBase(string name) : base(name) { }
}

class UsedAsChild : BlockBase
{
    public UsedAsChild() : base(nameof(UsedAsChild)) { }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}

class UsedAsRoot : BlockBase
{
    public UsedAsRoot() : base(nameof(UsedAsRoot)) { }

    public override Tensor forward(Tensor x) => _dropout.call(x);
}

class Net : nn.Module<Tensor, Tensor>
{
    private readonly UsedAsChild _child = new UsedAsChild();

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => _child.call(x);
}

static class Program
{
    static void Run() => new UsedAsRoot().eval();
}"),
                Unregistered(0, "_dropout", "UsedAsRoot", Never));
    }
}
