using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH008.UnregisteredSubmoduleDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnregisteredSubmoduleAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH008
{
    /// <summary>
    /// A field typed <c>nn.Module&lt;Tensor, Tensor&gt;</c> whose every stored value is a stateless layer — an activation
    /// picked by a factory of this compilation, as the LLaMA/Phi/Mistral MLPs of public model libraries do — changes
    /// nothing when left unregistered: silent, like a field typed <c>ReLU</c>. A factory that may return a layer with
    /// parameters, or one whose body is not in sight, keeps the finding.
    /// </summary>
    public class StatelessByValueTests
    {
        private const string Activations = @"
static class Activations
{
    public static nn.Module<Tensor, Tensor> Get(string name) => name switch
    {
        ""silu"" => nn.SiLU(),
        ""relu"" => nn.ReLU(),
        ""gelu"" => nn.GELU(),
        _ => throw new ArgumentException(name),
    };

    public static nn.Module<Tensor, Tensor> Learned(string name)
    {
        if (name == ""prelu"")
        {
            return nn.PReLU(1);
        }

        return nn.Tanh();
    }
}
";

        [Fact]
        public Task ActivationFromAFactoryAfterRegistration_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Activations + @"
class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _up;
    private readonly nn.Module<Tensor, Tensor> _act;

    public Mlp(string activation) : base(nameof(Mlp))
    {
        _up = nn.Linear(4, 4);
        RegisterComponents();
        _act = Activations.Get(activation);
    }

    public override Tensor forward(Tensor x) => _act.call(_up.call(x));
}

class Program
{
    static void Main() { var mlp = new Mlp(""silu""); mlp.eval(); }
}"));

        [Fact]
        public Task SwitchOfActivationsInTheConstructor_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
sealed class Activation : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _function;

    public Activation(string name) : base(name)
    {
        _function = name switch
        {
            ""relu"" => nn.ReLU(),
            ""tanh"" => nn.Tanh(),
            _ => nn.Identity(),
        };
    }

    public override Tensor forward(Tensor x) => _function.call(x);
}

class Program
{
    static void Main() { var act = new Activation(""relu""); act.eval(); }
}"));

        [Fact]
        public Task FactoryThatMayReturnALayerWithParameters_Reports()
            => Verify.VerifyAnalyzerAsync(Code(Activations + @"
class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _up;
    private readonly nn.Module<Tensor, Tensor> {|#0:_act|};

    public Mlp(string activation) : base(nameof(Mlp))
    {
        _up = nn.Linear(4, 4);
        RegisterComponents();
        _act = Activations.Learned(activation);
    }

    public override Tensor forward(Tensor x) => _act.call(_up.call(x));
}"), Unregistered(0, "_act", "Mlp", "assigned after RegisterComponents() at line 36"));

        [Fact]
        public Task ParameterFreeModuleWithABuffer_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Rotary : nn.Module<Tensor, Tensor>
{
    public Rotary(int dim) : base(nameof(Rotary))
    {
        register_buffer(""inv_freq"", torch.arange(0, dim, 2).to(torch.float32), persistent: false);
    }

    public override Tensor forward(Tensor x) => x;
}

class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear _proj;
    private readonly Rotary {|#0:_rotary|};

    public Attention() : base(nameof(Attention))
    {
        _proj = nn.Linear(4, 4);
        RegisterComponents();
        _rotary = new Rotary(4);
    }

    public override Tensor forward(Tensor x) => _rotary.call(_proj.call(x));
}"), Unregistered(0, "_rotary", "Attention", "assigned after RegisterComponents() at line 25"));

        [Fact]
        public Task ParameterFreeCustomModule_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Swish : nn.Module<Tensor, Tensor>
{
    public Swish() : base(nameof(Swish)) { }
    public override Tensor forward(Tensor x) => x * torch.sigmoid(x);
}

class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _proj;
    private readonly Swish _act;

    public Block() : base(nameof(Block))
    {
        _proj = nn.Linear(4, 4);
        RegisterComponents();
        _act = new Swish();
    }

    public override Tensor forward(Tensor x) => _act.call(_proj.call(x));
}"));

        [Fact]
        public Task ValueFromAParameter_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear _up;
    private readonly nn.Module<Tensor, Tensor> {|#0:_act|};

    public Mlp(nn.Module<Tensor, Tensor> activation) : base(nameof(Mlp))
    {
        _up = nn.Linear(4, 4);
        RegisterComponents();
        _act = activation;
    }

    public override Tensor forward(Tensor x) => _act.call(_up.call(x));
}"), Unregistered(0, "_act", "Mlp", "assigned after RegisterComponents() at line 15"));
    }
}
