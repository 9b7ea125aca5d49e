// expect: TORCH001
// The estimate_loss idiom (eval(), measure, train() at the end) called after eval() and before generation: the helper
// puts the model back in training mode, and the generation runs with Dropout active (issue 14, item 4).
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
        torch.manual_seed(13);
        var model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.3), nn.Linear(8, 1));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var input = torch.randn(8, 4);
        var target = torch.randn(8, 1);
        model.eval();
        var loss = EstimateLoss(model, input, target);
        using (torch.no_grad())
        {
            var generated = model.call(input);
            return "loss=" + loss.ToString("F4") + " shape=" + string.Join("x", generated.shape);
        }
    }

    private static float EstimateLoss(Sequential model, Tensor input, Tensor target)
    {
        model.eval();
        float loss;
        using (torch.no_grad())
        {
            loss = nn.functional.mse_loss(model.call(input), target).item<float>();
        }

        model.train();
        return loss;
    }
}
