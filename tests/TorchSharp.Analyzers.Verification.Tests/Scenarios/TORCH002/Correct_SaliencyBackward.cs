// expect: none
// Eval mode with autograd on on purpose: the gradient with respect to the input (a saliency map) is used.
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
        torch.manual_seed(22);
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(3, 4).requires_grad_(true);
        model.eval();
        var score = model.call(input).sum();
        score.backward();
        return "saliency=" + input.grad.abs().sum().item<float>().ToString("F4");
    }
}
