// expect: none
// The building block used on its own, registering itself: eval() reaches the Dropout, parameters() has the Linear.
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
        var model = new Block();
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

    public Block() : base(nameof(Block))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => dropout.call(fc.call(input));
}
