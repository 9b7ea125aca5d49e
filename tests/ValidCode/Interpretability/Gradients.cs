using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Interpretability
{
    /// <summary>Gradients with respect to the input: the model is in eval mode and autograd is on by design.</summary>
    public static class Gradients
    {
        /// <summary>A vanilla saliency map: |d score / d input|.</summary>
        public static Tensor Saliency(MlpClassifier model, Tensor input, long target)
        {
            model.eval();
            var x = input.detach().clone().requires_grad_(true);
            var scores = model.call(x);
            scores[0, target].backward();
            return x.grad!.abs();
        }

        /// <summary>The fast gradient sign method: an adversarial example within <paramref name="epsilon"/>.</summary>
        public static Tensor Fgsm(MlpClassifier model, Tensor input, Tensor label, double epsilon)
        {
            model.eval();
            var x = input.detach().clone().requires_grad_(true);
            var loss = nn.functional.cross_entropy(model.call(x), label);
            loss.backward();
            using (torch.no_grad())
            {
                return (x + epsilon * x.grad!.sign()).clamp(-3, 3);
            }
        }

        /// <summary>Integrated gradients along a straight path from a baseline.</summary>
        public static Tensor IntegratedGradients(MlpClassifier model, Tensor input, long target, int steps)
        {
            model.eval();
            var baseline = torch.zeros_like(input);
            var total = torch.zeros_like(input);
            for (var i = 1; i <= steps; i++)
            {
                var point = (baseline + (input - baseline) * ((double)i / steps)).detach().requires_grad_(true);
                var score = model.call(point)[0, target];
                score.backward();
                total += point.grad!;
            }

            return (input - baseline) * total / steps;
        }

        /// <summary>Projected gradient descent: several FGSM steps, each projected back into the epsilon ball.</summary>
        public static Tensor Pgd(ConvNet model, Tensor image, Tensor label, double epsilon, double step, int iterations)
        {
            model.eval();
            var adversarial = image.detach().clone();
            for (var i = 0; i < iterations; i++)
            {
                adversarial.requires_grad_(true);
                var loss = nn.functional.cross_entropy(model.call(adversarial), label);
                loss.backward();
                using (torch.no_grad())
                {
                    adversarial = adversarial + step * adversarial.grad!.sign();
                    adversarial = torch.min(torch.max(adversarial, image - epsilon), image + epsilon).detach();
                }
            }

            return adversarial;
        }
    }
}
