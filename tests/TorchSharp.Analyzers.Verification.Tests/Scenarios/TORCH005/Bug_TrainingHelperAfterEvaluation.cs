// expect: TORCH005
// fix: TORCH005.InsertTrain -> Correct_TrainingHelperCallsTrain.cs
// The training helper never calls train(), and its caller evaluates between epochs.
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
        torch.manual_seed(52);
        var model = nn.Sequential(("fc", nn.Linear(4, 8)), ("bn", nn.BatchNorm1d(8)), ("drop", nn.Dropout(0.3)), ("out", nn.Linear(8, 1)));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var input = torch.randn(16, 4);
        var target = torch.randn(16, 1);
        float last = 0;
        for (var epoch = 0; epoch < 3; epoch++)
        {
            last = TrainStep(model, optimizer, input, target);
            model.eval();
        }

#if MONITOR
        monitor.Flush();
#endif
        return "loss=" + last.ToString("F4");
    }

    private static float TrainStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor input, Tensor target)
    {
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(model.call(input), target);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
