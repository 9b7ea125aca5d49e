// expect: none
// A parameter-free head (ReLU, Dropout) in eval mode on a fresh tensor, autograd on: nothing is recorded, no_grad would change nothing.
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
        var head = nn.Sequential(nn.ReLU(), nn.Dropout(0.5));
#if MONITOR
        monitor.Attach(head, "head");
#endif
        var input = torch.randn(16, 4);
        head.eval();
        var output = head.call(input);
        return "requires_grad=" + output.requires_grad + " sum=" + output.sum().item<float>().ToString("F4");
    }
}
