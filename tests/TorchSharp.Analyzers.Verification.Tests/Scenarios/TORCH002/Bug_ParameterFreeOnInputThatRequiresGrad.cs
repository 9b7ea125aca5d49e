// expect: TORCH002
// The same parameter-free head on an input that requires grad: the graph is recorded and never used.
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
        var input = torch.randn(16, 4, requires_grad: true);
        head.eval();
        var output = head.call(input);
        return "requires_grad=" + output.requires_grad + " sum=" + output.sum().item<float>().ToString("F4");
    }
}
