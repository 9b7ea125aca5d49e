// expect: TORCH001
// A validation pass in eval() mode, then train() for the next epoch, then a prediction under no_grad: training mode again.
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
        torch.manual_seed(12);
        var model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.3), nn.Linear(8, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        model.eval();
        using (torch.no_grad())
        {
            model.call(input);
        }

        model.train();
        var optimizer = optim.SGD(model.parameters(), 0.01);
        var loss = model.call(input).pow(2).mean();
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();

        using (torch.no_grad())
        {
            var prediction = model.call(input);
            return "shape=" + string.Join("x", prediction.shape);
        }
    }
}
