// expect: TORCH002
// fix: TORCH002.UsingBlock -> Correct_AccuracyInTrainModeInsideNoGrad.cs
// differs: the monitor judges only eval-mode passes; a train-mode pass whose output has no gradient yet may still get one (a GAN's generator output first read through detach()), so it cannot settle one at run time
// A training step, then the batch accuracy in train mode with autograd on: the accuracy pass records a graph that
// argmax() ends at once.
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
        var logits = model.call(input);
        var correct = logits.argmax(1).eq(labels).sum().item<long>();
        return "correct=" + correct + " recorded=" + logits.requires_grad;
    }
}
