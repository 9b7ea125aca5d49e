// expect: none
// The same training step, then the batch accuracy inside no_grad: nothing recorded, same numbers.
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
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var optimizer = torch.optim.SGD(model.parameters(), 0.1);
        var input = torch.randn(32, 4);
        var labels = torch.randint(0, 3, new long[] { 32 });
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.call(input), labels);
        loss.backward();
        optimizer.step();
        using (torch.no_grad())
        {
            var logits = model.call(input);
            var correct = logits.argmax(1).eq(labels).sum().item<long>();
            return "correct=" + correct + " recorded=" + logits.requires_grad;
        }
    }
}
