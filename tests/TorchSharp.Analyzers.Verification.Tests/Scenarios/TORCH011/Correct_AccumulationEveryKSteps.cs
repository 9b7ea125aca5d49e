// expect: none
// Gradient accumulation: backward() on every batch, step() and zero_grad() together every 4 batches.
using System;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(11);
        var model = nn.Linear(4, 1);
        var optimizer = optim.SGD(model.parameters(), 0.05);
#if MONITOR
        monitor.Watch(optimizer, "optimizer");
#endif
        const int k = 4;
        for (var i = 0; i < 12; i++)
        {
            var x = torch.randn(8, 4);
            var y = torch.randn(8, 1);
            var loss = nn.functional.mse_loss(model.call(x), y) / k;
#if MONITOR
            monitor.Backward(loss);
#else
            loss.backward();
#endif
            if ((i + 1) % k == 0)
            {
#if MONITOR
                monitor.Step(optimizer);
#else
                optimizer.step();
#endif
                optimizer.zero_grad();
            }
        }

        return "weight_sum=" + model.weight.sum().item<float>().ToString("F4");
    }
}
