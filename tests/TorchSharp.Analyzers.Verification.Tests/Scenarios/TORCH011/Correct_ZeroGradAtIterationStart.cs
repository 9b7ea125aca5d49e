// expect: none
// zero_grad() at the start of every iteration: each step uses only its own batch's gradient.
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
        var x = torch.randn(32, 4);
        var y = torch.randn(32, 1);
        for (var i = 0; i < 5; i++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
#if MONITOR
            monitor.Backward(loss);
            monitor.Step(optimizer);
#else
            loss.backward();
            optimizer.step();
#endif
        }

        return "weight_sum=" + model.weight.sum().item<float>().ToString("F4");
    }
}
