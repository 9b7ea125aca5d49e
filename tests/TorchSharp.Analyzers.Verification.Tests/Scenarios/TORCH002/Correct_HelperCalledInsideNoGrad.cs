// expect: none
// The same helper, every call inside no_grad, as its callers' convention says: nothing recorded, same numbers.
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

public static class Scenario
{
    private static Tensor Score(Sequential model, Tensor input)
    {
        model.eval();
        return model.call(input);
    }

    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(21);
        var model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(16, 4);
        Tensor first;
        using (torch.no_grad())
        {
            first = Score(model, input);
        }

        using (torch.no_grad())
        {
            var second = Score(model, input);
            return "requires_grad=" + first.requires_grad + "," + second.requires_grad + " sum=" + (first + second).sum().item<float>().ToString("F4");
        }
    }
}
