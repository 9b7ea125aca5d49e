// expect: TORCH001
// The same agent, but one Q-network of the compilation has a Dropout and is what the agent holds: it drops under no_grad.
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

internal abstract class QNet : nn.Module<Tensor, Tensor>
{
    protected QNet(string name) : base(name) { }
}

internal sealed class Mlp : QNet
{
    private readonly Linear _fc1 = nn.Linear(4, 8);
    private readonly Linear _fc2 = nn.Linear(8, 2);
    public Mlp() : base(nameof(Mlp)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc2.call(nn.functional.relu(_fc1.call(x)));
}

internal sealed class NoisyNet : QNet
{
    private readonly Linear _fc = nn.Linear(4, 2);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public NoisyNet() : base(nameof(NoisyNet)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(21);
        QNet q = new NoisyNet();
#if MONITOR
        monitor.Attach(q, "q");
#endif
        return Act(q, torch.randn(16, 4));
    }

    private static string Act(QNet q, Tensor state)
    {
        using (torch.no_grad())
        {
            var values = q.call(state);
            return "sum=" + values.sum().item<float>().ToString("F4");
        }
    }
}
