// expect: TORCH008
// Block is complete as a registered child, but its holder keeps it in a List<Block>, which RegisterComponents() never
// registers: nobody calls Block's RegisterComponents(), so neither the list nor Block's own layers are reached.
using System;
using System.Collections.Generic;
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

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear input = nn.Linear(4, 4);
    private readonly List<Block> blocks = new List<Block> { new Block(), new Block() };

    public Net() : base(nameof(Net))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => blocks[1].call(blocks[0].call(input.call(x)));
}
