// expect: TORCH005
// A sampler object built with the trainer's model switches it to eval() every 2 batches and never back: the batches
// after a sample train in eval mode (issue 14, item 4).
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
        torch.manual_seed(53);
        var model = nn.Sequential(("fc", nn.Linear(4, 8)), ("bn", nn.BatchNorm1d(8)), ("drop", nn.Dropout(0.3)), ("out", nn.Linear(8, 1)));
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var trainer = new Trainer(model);
        var last = trainer.Fit(torch.randn(16, 4), torch.randn(16, 1), batches: 5);
#if MONITOR
        monitor.Flush();
#endif
        return "loss=" + last.ToString("F4");
    }
}

public sealed class Trainer
{
    private readonly Sequential _model;
    private readonly Sampler _sampler;
    private readonly optim.Optimizer _optimizer;

    public Trainer(Sequential model)
    {
        _model = model;
        _sampler = new Sampler(model);
        _optimizer = optim.SGD(_model.parameters(), 0.1);
    }

    public float Fit(Tensor input, Tensor target, int batches)
    {
        _model.train();
        float last = 0;
        for (var batch = 0; batch < batches; batch++)
        {
            if (batch % 2 == 0)
            {
                _sampler.Sample(input);
            }

            _optimizer.zero_grad();
            var loss = nn.functional.mse_loss(_model.call(input), target);
            loss.backward();
            _optimizer.step();
            last = loss.item<float>();
        }

        return last;
    }
}

public sealed class Sampler
{
    private readonly Sequential _model;

    public Sampler(Sequential model)
    {
        _model = model;
    }

    public void Sample(Tensor input)
    {
        _model.eval();
        using (torch.no_grad())
        {
            _model.call(input);
        }
    }
}
