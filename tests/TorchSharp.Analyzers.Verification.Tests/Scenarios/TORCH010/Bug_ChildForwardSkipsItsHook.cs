// expect: TORCH010
// fix: TORCH010.UseCall -> Correct_ChildCallRunsItsHook.cs
// The model's forward runs its output layer with forward(..): the hook registered on that layer never runs.
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    public readonly Linear fc1 = nn.Linear(4, 8);
    public readonly Linear fc2 = nn.Linear(8, 1);

    public Net() : base(nameof(Net)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => fc2.forward(fc1.call(x).relu());
}

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(101);
        var model = new Net();
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var seen = 0;
        model.fc2.register_forward_hook((m, input, output) => { seen++; return output; });
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var input = torch.randn(16, 4);
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

        return "hook calls=" + seen + " loss=" + last.ToString("F4");
    }
}
