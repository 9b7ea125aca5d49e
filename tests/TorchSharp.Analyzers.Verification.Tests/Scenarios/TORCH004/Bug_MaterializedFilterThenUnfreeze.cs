// expect: TORCH004
// Built over a materialized requires_grad filter, then the encoder is unfrozen: it is never updated.
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
        torch.manual_seed(41);
        var model = new Backbone();
#if MONITOR
        monitor.Attach(model, "model");
#endif
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }

        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList(), 0.01);
#if MONITOR
        monitor.Watch(optimizer, "optimizer");
#endif
        var input = torch.randn(8, 4);
        Step(model, optimizer, input);
        var encoderBefore = model.encoder.weight.detach().clone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = true;
        }

#if MONITOR
        monitor.Flush();
#endif
        string outcome;
        try
        {
            Step(model, optimizer, input);
            outcome = "stepped";
        }
        catch (Exception e)
        {
            outcome = e.GetType().Name;
        }

        var encoderChanged = !torch.eq(encoderBefore, model.encoder.weight).all().item<bool>();
        return "outcome=" + outcome + " encoder_changed=" + encoderChanged;
    }

    private static void Step(Backbone model, optim.Optimizer optimizer, Tensor input)
    {
        optimizer.zero_grad();
        model.call(input).pow(2).mean().backward();
        optimizer.step();
    }
}

public sealed class Backbone : nn.Module<Tensor, Tensor>
{
    public readonly Linear encoder = nn.Linear(4, 8);
    public readonly Linear head = nn.Linear(8, 2);

    public Backbone() : base(nameof(Backbone))
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => head.call(torch.nn.functional.relu(encoder.call(input)));
}
