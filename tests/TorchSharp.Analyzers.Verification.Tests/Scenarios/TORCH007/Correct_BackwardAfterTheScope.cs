// expect: none
// Evaluation under no_grad, then a training step after the scope: the backward() works.
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
        torch.manual_seed(75);
        var model = nn.Sequential(nn.Linear(4, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        float score;
        using (torch.no_grad())
        {
            score = model.call(input).sum().item<float>();
        }

        var loss = model.call(input).pow(2).mean();
        loss.backward();
        return "score=" + score.ToString("F4") + " grad=" + (model.parameters().First().grad is not null);
    }
}
