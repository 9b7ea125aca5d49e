// expect: TORCH011
// zero_grad() between backward() and step(): every step runs on zero gradients and the weights never change.
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
        var before = model.weight.sum().item<float>();
        for (var i = 0; i < 5; i++)
        {
            var loss = nn.functional.mse_loss(model.call(x), y);
#if MONITOR
            monitor.Backward(loss);
#else
            loss.backward();
#endif
            optimizer.zero_grad();
#if MONITOR
            monitor.Step(optimizer);
#else
            optimizer.step();
#endif
        }

        return "weight_changed=" + (model.weight.sum().item<float>() != before);
    }
}
