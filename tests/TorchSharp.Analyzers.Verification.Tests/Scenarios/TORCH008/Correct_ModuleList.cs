// expect: none
// A ModuleList is a module: RegisterComponents() registers it and every layer in it.
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
        torch.manual_seed(84);
        var model = new Stack();
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

public sealed class Stack : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> layers;

    public Stack() : base(nameof(Stack))
    {
        layers = new ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 4));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        foreach (var layer in layers)
        {
            input = layer.call(input);
        }

        return input;
    }
}
