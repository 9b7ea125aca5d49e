// expect: TORCH008
// fix: TORCH008.RegisterComponents -> Correct_ChildRegisteredByParent.cs
// The same blocks in a Sequential field instead of a ModuleList: the Sequential is registered, but a Sequential never
// calls its elements' RegisterComponents(), so Block's layers are reached by nothing (0.107.0).
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(81);
        var model = new Net();
#if MONITOR
        monitor.Attach(model, "model");
#endif
        model.eval();
        var input = torch.randn(16, 4);
        using (torch.no_grad())
        {
            var equal = torch.eq(model.call(input), model.call(input)).all().item<bool>();
            return "eval_equal=" + equal + " parameters=" + model.parameters().Count();
        }
    }
}

public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc = nn.Linear(4, 4);
    private readonly Dropout dropout = nn.Dropout(0.5);

    public Block() : base(nameof(Block)) { }

    public override Tensor forward(Tensor input) => dropout.call(fc.call(input));
}

public sealed class Stage : nn.Module<Tensor, Tensor>
{
    private readonly Block inner = new Block();

    public Stage() : base(nameof(Stage)) { }

    public override Tensor forward(Tensor input) => inner.call(input);
}

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Stage block = new Stage();
    private readonly Sequential body = nn.Sequential(("first", new Block()), ("second", new Block()));

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => body.call(block.call(input));
}
