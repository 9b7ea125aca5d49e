// expect: TORCH011
// fix: TORCH011.InsertZeroGrad -> Correct_GanEachOptimizerZeroed.cs
// A GAN loop that zeroes the generator's optimizer only: the discriminator's steps accumulate its own gradients and the generator loss's.
using System;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using static TorchSharp.torch;

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(5);
        var generator = nn.Linear(2, 4);
        var discriminator = nn.Linear(4, 1);
        var optG = optim.Adam(generator.parameters(), 0.01);
        var optD = optim.Adam(discriminator.parameters(), 0.01);
#if MONITOR
        monitor.Watch(optG, "optG");
        monitor.Watch(optD, "optD");
#endif
        for (var i = 0; i < 4; i++)
        {
            var noise = torch.randn(16, 2);
            var real = torch.randn(16, 4) + 1;
            var fake = generator.call(noise);
            var lossD = discriminator.call(fake.detach()).mean() - discriminator.call(real).mean();
#if MONITOR
            monitor.Backward(lossD);
            monitor.Step(optD);
#else
            lossD.backward();
            optD.step();
#endif
            optG.zero_grad();
            var lossG = -discriminator.call(fake).mean();
#if MONITOR
            monitor.Backward(lossG);
            monitor.Step(optG);
#else
            lossG.backward();
            optG.step();
#endif
        }

        return "d_weight_sum=" + discriminator.weight.sum().item<float>().ToString("F4");
    }
}
