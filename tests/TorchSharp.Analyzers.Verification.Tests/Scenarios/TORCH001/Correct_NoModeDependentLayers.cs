// expect: none
// Linear and ReLU behave the same in both modes: no eval() needed.
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
        torch.manual_seed(14);
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        using (torch.no_grad())
        {
            var output = model.call(torch.randn(4, 4));
            return "sum=" + output.sum().item<float>().ToString("F4");
        }
    }
}
