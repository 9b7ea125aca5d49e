// expect: none
// Awaiting a task that is already complete does not suspend: the method goes on on the same thread, inside the scope.
using System;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(94);
        var model = nn.Sequential(nn.Linear(4, 1));
        model.eval();
        var recorded = PredictAsync(monitor, model, torch.randn(3, 4)).GetAwaiter().GetResult();
        return "recorded=" + recorded + " grad_enabled=" + torch.is_grad_enabled();
    }

    private static async Task<bool> PredictAsync(TorchMonitor monitor, nn.Module<Tensor, Tensor> model, Tensor input)
    {
#if MONITOR
        using var region = monitor.AsyncRegion("predict");
#endif
        using (torch.no_grad())
        {
            var scale = await Task.FromResult(2.0f);
            await Task.CompletedTask;
            return (model.call(input) * scale).requires_grad;
        }
    }
}
