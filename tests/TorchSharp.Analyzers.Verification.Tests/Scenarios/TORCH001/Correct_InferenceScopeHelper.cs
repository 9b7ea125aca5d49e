// expect: none
// The runtime's inference scope sets eval() and no_grad together.
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
        torch.manual_seed(13);
        var model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Dropout(0.5));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(16, 4);
        using (model.inference())
        {
            var first = model.call(input);
            var second = model.call(input);
            return "equal=" + torch.eq(first, second).all().item<bool>() + " training_after=" + model.training;
        }
    }
}
