// expect: TORCH007
// A training helper called inside inference_mode: its backward() has no graph to follow.
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
        torch.manual_seed(72);
        var model = nn.Sequential(nn.Linear(4, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        using (torch.inference_mode())
        {
            return "backward=" + Learn(model, input);
        }
    }

    private static string Learn(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        var loss = model.call(input).pow(2).mean();
        try
        {
            loss.backward();
            return "ok";
        }
        catch (Exception)
        {
            return "failed";
        }
    }
}
