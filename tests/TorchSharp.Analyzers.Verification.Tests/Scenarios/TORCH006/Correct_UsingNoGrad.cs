// expect: none
// The no_grad() scope is disposed when Predict returns: backward() works afterwards.
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
        torch.manual_seed(61);
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1));
        var input = torch.randn(8, 4);
        var prediction = Predict(model, input);
        var loss = model.call(input).pow(2).mean();
        string backward;
        try
        {
            loss.backward();
            backward = "ok";
        }
        catch (Exception)
        {
            backward = "failed";
        }

        return "prediction=" + prediction.ToString("F4") + " grad_enabled=" + torch.is_grad_enabled() + " backward=" + backward;
    }

    private static float Predict(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        using (torch.no_grad())
        {
            var output = model.call(input);
            return output.sum().item<float>();
        }
    }
}
