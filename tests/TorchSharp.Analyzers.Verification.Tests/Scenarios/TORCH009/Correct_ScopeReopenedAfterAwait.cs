// expect: none
// The scope ends before the await and is opened again after it, on whichever thread the method resumes.
using System;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(91);
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1));
        model.eval();
        var input = torch.randn(8, 4);
        var (sum, recorded) = PredictAsync(monitor, model, input).GetAwaiter().GetResult();
        return "sum=" + sum.ToString("F4") + " recorded=" + recorded + " grad_enabled=" + torch.is_grad_enabled();
    }

    private static async Task<(float, bool)> PredictAsync(TorchMonitor monitor, nn.Module<Tensor, Tensor> model, Tensor input)
    {
#if MONITOR
        using var region = monitor.AsyncRegion("predict");
#endif
        float first;
        using (torch.no_grad())
        {
            first = model.call(input).sum().item<float>();
        }

        await Task.Delay(5);
        using (torch.no_grad())
        {
            var output = model.call(input);
            return (first + output.sum().item<float>(), output.requires_grad);
        }
    }
}
