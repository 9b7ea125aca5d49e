// expect: none
// An agent acts through an internal Q-network base whose every implementation is a plain MLP: no eval() needed under no_grad.
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

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(21);
        QNet q = new Mlp();
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
            return "actions=" + string.Join(",", values.argmax(1).data<long>().ToArray());
        }
    }
}
