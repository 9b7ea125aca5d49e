using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Scopes
{
    /// <summary>Async inference with grad-mode scopes that never straddle an await.</summary>
    public static class AsyncScopes
    {
        /// <summary>The awaited load comes first; the scope covers the synchronous forward pass only.</summary>
        public static async Task<Tensor> PredictAfterLoadAsync(Regressor model, Func<Task<Tensor>> load)
        {
            var inputs = await load().ConfigureAwait(false);
            model.eval();
            using (torch.no_grad())
            {
                return model.call(inputs);
            }
        }

        /// <summary>One scope per batch, closed before the next await.</summary>
        public static async Task<List<float>> ScoreStreamAsync(Regressor model, IAsyncEnumerable<Tensor> batches)
        {
            var scores = new List<float>();
            model.eval();
            await foreach (var batch in batches)
            {
                using var scope = torch.inference_mode();
                scores.Add(model.call(batch).mean().item<float>());
            }

            return scores;
        }

        /// <summary>The scope ends before the await and opens again after it.</summary>
        public static async Task<float> TwoPassesAsync(Regressor model, Tensor first, Func<Task<Tensor>> next)
        {
            model.eval();
            float total;
            using (torch.no_grad())
            {
                total = model.call(first).sum().item<float>();
            }

            var second = await next();
            using (torch.no_grad())
            {
                total += model.call(second).sum().item<float>();
            }

            return total;
        }

        /// <summary>A cached result awaited inside the scope: the task is complete, the method does not suspend.</summary>
        public static async Task<Tensor> PredictCachedAsync(Regressor model, Tensor inputs, float scale)
        {
            model.eval();
            using (torch.no_grad())
            {
                var factor = await Task.FromResult(scale);
                return model.call(inputs) * factor;
            }
        }

        /// <summary>The work on another thread opens its own scope there.</summary>
        public static Task<Tensor> PredictOnThePoolAsync(Regressor model, Tensor inputs)
        {
            model.eval();
            return Task.Run(() =>
            {
                using (torch.no_grad())
                {
                    return model.call(inputs);
                }
            });
        }
    }
}
