using System.Collections.Generic;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>Captures what the model outputs, with a forward hook.</summary>
    internal static class ActivationProbe
    {
        public static int CountOutputs(SentimentNet model, Tensor inputs)
        {
            var captured = new List<Tensor>();
            var remover = model.register_forward_hook((module, input, output) =>
            {
                captured.Add(output.detach());
                return output;
            });
            model.eval();
            using (torch.no_grad())
            {
                // Mistake (TORCH010): forward(..) skips the hook registered above; call(..) runs it.
                model.forward(inputs);
            }

            remover.remove();
            return captured.Count;
        }
    }
}
