// expect: none
// Adam over the runtime helper's trainable_parameters(): the same list.
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
        torch.manual_seed(31);
        var model = new Backbone();
#if MONITOR
        monitor.Attach(model, "model");
#endif
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }

        var frozenBefore = model.encoder.weight.detach().clone();
        var optimizer = optim.Adam(model.trainable_parameters(), 0.01);
#if MONITOR
        monitor.Watch(optimizer, "optimizer");
#endif
        var input = torch.randn(8, 4);
        for (var step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            var loss = model.call(input).pow(2).mean();
            loss.backward();
            optimizer.step();
        }

        var held = optimizer.parameters().Count();
        var frozenHeld = optimizer.parameters().Count(p => !p.requires_grad);
        var frozenUnchanged = torch.eq(frozenBefore, model.encoder.weight).all().item<bool>();
        return "held=" + held + " frozen_held=" + frozenHeld + " frozen_unchanged=" + frozenUnchanged + " head_sum=" + model.head.weight.sum().item<float>().ToString("F4");
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
