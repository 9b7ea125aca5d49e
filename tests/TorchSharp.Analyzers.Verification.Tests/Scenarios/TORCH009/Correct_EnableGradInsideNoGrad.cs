// expect: none
// A grad-on scope inside a no_grad of the same method: the thread keeps autograd on while the method waits, and the
// no_grad's Dispose restores "on" last, wherever it runs (measured harmless on a healthy thread pool).
using System;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(95);
        var model = nn.Sequential(nn.Linear(4, 1));
        var input = torch.randn(3, 4);
        var grad = SaliencyAsync(monitor, model, input).GetAwaiter().GetResult();
        return "grad_defined=" + (grad is not null) + " grad_enabled=" + torch.is_grad_enabled();
    }

    private static async Task<Tensor> SaliencyAsync(TorchMonitor monitor, nn.Module<Tensor, Tensor> model, Tensor input)
    {
#if MONITOR
        using var region = monitor.AsyncRegion("saliency");
#endif
        using (torch.no_grad())
        {
            using (torch.enable_grad())
            {
                var x = input.clone().requires_grad_(true);
                await Task.Delay(5);
                model.call(x).sum().backward();
                return x.grad;
            }
        }
    }
}
