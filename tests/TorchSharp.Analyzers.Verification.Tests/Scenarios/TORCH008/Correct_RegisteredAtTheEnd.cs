// expect: none
// RegisterComponents() after every assignment: eval() reaches the Dropout and parameters() sees the Linear.
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

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc;
    private readonly Dropout dropout;

    public Net() : base(nameof(Net))
    {
        fc = nn.Linear(4, 4);
        dropout = nn.Dropout(0.5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => dropout.call(fc.call(input));
}
