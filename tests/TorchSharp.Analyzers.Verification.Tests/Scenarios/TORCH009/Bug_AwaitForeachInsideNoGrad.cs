// expect: TORCH009
// await foreach over an async stream inside no_grad: every batch after the first wait is scored with autograd recording.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(93);
        var model = nn.Sequential(nn.Linear(4, 1));
        model.eval();
        var recorded = ScoreAsync(monitor, model).GetAwaiter().GetResult();
        return "recorded_batches=" + recorded + " grad_enabled=" + torch.is_grad_enabled();
    }

    private static async IAsyncEnumerable<Tensor> Batches()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(2);
            yield return torch.ones(2, 4) * i;
        }
    }

    private static async Task<int> ScoreAsync(TorchMonitor monitor, nn.Module<Tensor, Tensor> model)
    {
#if MONITOR
        using var region = monitor.AsyncRegion("score");
#endif
        var recorded = 0;
        using (torch.no_grad())
        {
            await foreach (var batch in Batches())
            {
                if (model.call(batch).requires_grad)
                {
                    recorded++;
                }
            }
        }

        return recorded;
    }
}
