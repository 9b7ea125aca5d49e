// expect: TORCH007
// The loss is computed and differentiated inside no_grad: nothing was recorded, backward() throws.
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
        torch.manual_seed(71);
        var model = nn.Sequential(nn.Linear(4, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        string result;
        using (torch.no_grad())
        {
            var loss = model.call(input).pow(2).mean();
            try
            {
                loss.backward();
                result = "ok";
            }
            catch (Exception)
            {
                result = "failed";
            }
        }

        return "backward=" + result;
    }
}
