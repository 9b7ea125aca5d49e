// expect: none
// The training loop runs the model with call(..): the pre-hook clips the inputs at every step.
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
        torch.manual_seed(102);
        var model = nn.Linear(4, 1);
#if MONITOR
        monitor.Attach(model, "model");
#endif
        // A pre-hook that clips the inputs: it changes what the model learns from.
        model.register_forward_pre_hook((m, x) => x.clamp(-1, 1));
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var input = torch.randn(16, 4) * 3;
        var target = torch.randn(16, 1);
        float last = 0;
        for (var step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(input), target);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
        }

        return "loss=" + last.ToString("F4");
    }
}
