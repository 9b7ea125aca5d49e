// expect: TORCH003
// Every parameter is frozen and SGD is built over them: it will train nothing (and construction raises no error).
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
        torch.manual_seed(32);
        var model = nn.Linear(4, 2);
#if MONITOR
        monitor.Attach(model, "model");
#endif
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }

        var optimizer = optim.SGD(model.parameters(), 0.1);
#if MONITOR
        monitor.Watch(optimizer, "optimizer");
#endif
        return "held=" + optimizer.parameters().Count();
    }
}
