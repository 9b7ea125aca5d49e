// expect: none
// Inference under no_grad after eval(): deterministic outputs, running mean unchanged.
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
        torch.manual_seed(11);
        var norm = nn.BatchNorm1d(8);
        var model = nn.Sequential(("fc", nn.Linear(4, 8)), ("bn", norm), ("drop", nn.Dropout(0.5)));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(16, 4);
        var meanBefore = norm.running_mean.clone();
        model.eval();
        using (torch.no_grad())
        {
            var first = model.call(input);
            var second = model.call(input);
            var equal = torch.eq(first, second).all().item<bool>();
            var meanChanged = !torch.eq(meanBefore, norm.running_mean).all().item<bool>();
            return "equal=" + equal + " mean_changed=" + meanChanged + " sum=" + first.sum().item<float>().ToString("F4");
        }
    }
}
