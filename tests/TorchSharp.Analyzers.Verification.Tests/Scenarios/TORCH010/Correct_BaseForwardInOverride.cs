// expect: none
// A subclass's forward extends its base class's with base.forward(..): the module itself is run with call(..), its hooks run.
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Analyzers.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

public class Regressor : nn.Module<Tensor, Tensor>
{
    public readonly Linear fc = nn.Linear(4, 1);

    public Regressor() : base(nameof(Regressor)) { RegisterComponents(); }

    public override Tensor forward(Tensor x) => fc.call(x);
}

public sealed class Scaled : Regressor
{
    public override Tensor forward(Tensor x) => base.forward(x) * 2;
}

public static class Scenario
{
    public static string Run(TorchMonitor monitor)
    {
        torch.manual_seed(103);
        var model = new Scaled();
#if MONITOR
        monitor.Attach(model, "model");
#endif
        var seen = 0;
        model.register_forward_hook((m, input, output) => { seen++; return output; });
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var input = torch.randn(16, 4);
        var target = torch.randn(16, 1);
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(model.call(input), target);
        loss.backward();
        optimizer.step();
        return "hook calls=" + seen + " loss=" + loss.item<float>().ToString("F4");
    }
}
