// expect: none
// Nothing frozen: the optimizer over parameters() is right.
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
        torch.manual_seed(33);
        var model = nn.Linear(4, 2);
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var optimizer = optim.SGD(model.parameters(), 0.1);
#if MONITOR
        monitor.Watch(optimizer, "optimizer");
#endif
        return "held=" + optimizer.parameters().Count();
    }
}
