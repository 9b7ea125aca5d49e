// expect: none
// enable_grad() inside no_grad records again: the backward() works.
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
        torch.manual_seed(74);
        var model = nn.Sequential(nn.Linear(4, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        string result;
        using (torch.no_grad())
        {
            using (torch.enable_grad())
            {
                var loss = model.call(input).pow(2).mean();
                loss.backward();
                result = "ok";
            }
        }

        return "backward=" + result;
    }
}
