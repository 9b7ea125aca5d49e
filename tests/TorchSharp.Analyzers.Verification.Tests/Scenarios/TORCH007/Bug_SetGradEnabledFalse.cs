// expect: TORCH007
// set_grad_enabled(false) switches autograd off for the thread until it is switched back on.
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
        torch.manual_seed(73);
        var model = nn.Sequential(nn.Linear(4, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        torch.set_grad_enabled(false);
        var loss = model.call(input).pow(2).mean();
        string result;
        try
        {
            loss.backward();
            result = "ok";
        }
        catch (Exception)
        {
            result = "failed";
        }

        torch.set_grad_enabled(true);
        return "backward=" + result;
    }
}
