// expect: TORCH006
// fix: TORCH006.UsingDeclaration -> Correct_InferenceModeDeclaration.cs
// A discarded inference_mode() keeps the thread in inference mode after the helper returns.
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
        torch.manual_seed(62);
        var model = nn.Sequential(nn.Linear(4, 2));
        var total = Score(model, torch.randn(5, 4));
        return "score=" + total.ToString("F4") + " inference_after=" + torch.is_inference_mode_enabled() + " grad_after=" + torch.is_grad_enabled();
    }

    private static float Score(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        torch.inference_mode();
        return model.call(input).sum().item<float>();
    }
}
