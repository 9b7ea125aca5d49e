// expect: TORCH010
// differs: the monitor sees a direct forward(..) only through gradients on the module's parameters; an inference pass under no_grad leaves none
// Predictions run with forward(..) under no_grad: the hook registered to collect them never runs, but nothing records a gradient.
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
        torch.manual_seed(104);
        var model = nn.Linear(4, 2);
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var collected = 0;
        model.register_forward_hook((m, input, output) => { collected++; return output; });
        model.eval();
        Tensor prediction;
        using (torch.no_grad())
        {
            prediction = model.forward(torch.randn(8, 4));
        }

        return "collected=" + collected + " shape=" + string.Join("x", prediction.shape);
    }
}
