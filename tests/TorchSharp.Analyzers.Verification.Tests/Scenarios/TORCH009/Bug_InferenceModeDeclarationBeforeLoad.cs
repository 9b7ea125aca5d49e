// expect: TORCH009
// fix: TORCH009.EndScopeAroundAwait -> Correct_LoadBeforeInferenceMode.cs
// A using declaration of inference_mode before an awaited load: the forward pass after it runs outside inference mode
// on a thread-pool thread, and the calling thread stays in inference mode.
using System;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(92);
        var model = nn.Sequential(nn.Linear(4, 3));
        model.eval();
        var text = ClassifyAsync(monitor, model).GetAwaiter().GetResult();
        return text + " inference_after=" + torch.is_inference_mode_enabled();
    }

    private static async Task<Tensor> LoadAsync()
    {
        await Task.Delay(5);
        return torch.ones(2, 4);
    }

    private static async Task<string> ClassifyAsync(TorchMonitor monitor, nn.Module<Tensor, Tensor> model)
    {
#if MONITOR
        using var region = monitor.AsyncRegion("classify");
#endif
        using var scope = torch.inference_mode();
        var batch = await LoadAsync();
        var output = model.call(batch);
        return "sum=" + output.sum().item<float>().ToString("F4") + " recorded=" + output.requires_grad;
    }
}
