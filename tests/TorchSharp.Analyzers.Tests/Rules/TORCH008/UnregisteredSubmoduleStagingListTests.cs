using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH008.UnregisteredSubmoduleDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>
    /// TORCH008 and staging collections: a list of modules whose elements are handed to a Sequential, ModuleList or
    /// ModuleDict is not reported as a collection (measured in
    /// tests/TorchSharp.Analyzers.Runtime.Tests/StagingListRegistrationTests.cs); a list used only by itself still is.
    /// </summary>
    public class UnregisteredSubmoduleStagingListTests
    {
        private const string ListReason = "a List<Module<Tensor, Tensor>> is never registered; use ModuleList<Module<Tensor, Tensor>>";

        [Theory]
        [InlineData("_body = nn.Sequential(_layers);")]
        [InlineData("_body = nn.Sequential(this._layers);")]
        [InlineData("_body = nn.Sequential(_layers.ToArray());")]
        [InlineData("_body = nn.Sequential((_layers));")]
        public Task ListHandedToASequentialField_IsSilent(string handOff)
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> _layers = new();
    private readonly Sequential _body;

    public Block(int dim) : base(nameof(Block))
    {
        _layers.Add(nn.Conv1d(dim, dim, 3, padding: 1));
        _layers.Add(nn.Dropout(0.1));
        _layers.Add(nn.Conv1d(dim, dim, 1));
        " + handOff + @"
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _body.call(x);
}"));

        [Fact]
        public Task ListHandedToASequentialInAHelperMethod_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private List<nn.Module<Tensor, Tensor>> Layers { get; } = new();
    private readonly Sequential _body;

    public Block() : base(nameof(Block))
    {
        Layers.Add(nn.Linear(4, 4));
        _body = Build();
        RegisterComponents();
    }

    private Sequential Build() => nn.Sequential(Layers);

    public override Tensor forward(Tensor x) => _body.call(x);
}"));

        [Fact]
        public Task ArrayHandedToAModuleListConstructor_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear[] _heads;
    private readonly ModuleList<Linear> _registered;

    public Net() : base(nameof(Net))
    {
        _heads = new[] { nn.Linear(4, 2), nn.Linear(4, 2) };
        _registered = new ModuleList<Linear>(_heads);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _heads[0].call(x) + _heads[1].call(x);
}"));

        [Fact]
        public Task ListHandedToAModuleListsExtend_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> _staging = new List<Linear>();
    private readonly ModuleList<Linear> _layers = new ModuleList<Linear>();

    public Net() : base(nameof(Net))
    {
        _staging.Add(nn.Linear(4, 4));
        _staging.Add(nn.Linear(4, 4));
        _layers.extend(_staging);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[1].call(_layers[0].call(x));
}"));

        [Fact]
        public Task ListHandedToTheModuleListFactory_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Net : nn.Module<Tensor, Tensor>
{
    private readonly List<Linear> _staging = new List<Linear>();
    private readonly ModuleList<Linear> _layers;

    public Net() : base(nameof(Net))
    {
        _staging.Add(nn.Linear(4, 4));
        _layers = nn.ModuleList(_staging.ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}"));

        /// <summary>
        /// Where the container goes is not followed: a Sequential kept in a local and never registered leaves the layers
        /// unregistered at run time, but the rule gives no collection verdict once the list is handed to a container
        /// (docs/rules/TORCH008.md, "When it stays silent").
        /// </summary>
        [Fact]
        public Task ListHandedToASequentialInALocal_IsSilentAsAKnownGap()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> _layers = new();

    public Block() : base(nameof(Block))
    {
        _layers.Add(nn.Linear(4, 4));
        var body = nn.Sequential(_layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}"));

        [Fact]
        public Task ListUsedOnlyInForward_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> {|#0:_layers|} = new();

    public Block(int dim) : base(nameof(Block))
    {
        _layers.Add(nn.Conv1d(dim, dim, 3, padding: 1));
        _layers.Add(nn.Dropout(0.1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var layer in _layers)
        {
            x = layer.call(x);
        }

        return x;
    }
}"),
                Unregistered(0, "_layers", "Block", ListReason));

        [Fact]
        public Task ListHandedToOtherCode_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> {|#0:_layers|} = new();

    public Block() : base(nameof(Block))
    {
        _layers.Add(nn.Linear(4, 4));
        Console.WriteLine(Describe(_layers.ToArray()));
        RegisterComponents();
    }

    private static string Describe(IEnumerable<nn.Module<Tensor, Tensor>> layers) => string.Join("", "", layers);

    public override Tensor forward(Tensor x) => _layers[0].call(x);
}"),
                Unregistered(0, "_layers", "Block", ListReason));

        [Fact]
        public Task OnlyTheListHandedToTheContainer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Block : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> _staging = new();
    private readonly List<nn.Module<Tensor, Tensor>> {|#0:_extra|} = new();
    private readonly Sequential _body;

    public Block() : base(nameof(Block))
    {
        _staging.Add(nn.Linear(4, 4));
        _extra.Add(nn.Linear(4, 4));
        _body = nn.Sequential(_staging);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _extra[0].call(_body.call(x));
}"),
                Unregistered(0, "_extra", "Block", ListReason));
    }
}
