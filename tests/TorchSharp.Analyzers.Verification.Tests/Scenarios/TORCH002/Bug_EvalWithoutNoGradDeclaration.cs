// expect: TORCH002
// fix: TORCH002.UsingDeclaration -> Correct_NoGradBlock.cs
// Prediction in eval() mode with autograd on: a graph is recorded and never used.
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
        torch.manual_seed(21);
        var model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(16, 4);
        model.eval();
        var output = model.call(input);
        return "requires_grad=" + output.requires_grad + " sum=" + output.sum().item<float>().ToString("F4");
    }
}
