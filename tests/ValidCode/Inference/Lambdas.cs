using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>
    /// Inference in lambdas, written right: queries materialized inside no_grad, handlers and workers that open their
    /// own scope (grad mode is per thread), method groups run in place inside no_grad, lazy queries handed to a caller
    /// that enumerates them inside its own scope.
    /// </summary>
    public sealed class BatchScorer
    {
        private readonly MlpClassifier _model = new MlpClassifier(20, 64, 4);

        public BatchScorer() => _model.eval();

        /// <summary>The classes of every batch, computed by a query materialized inside the scope.</summary>
        public List<Tensor> ClassesOf(IReadOnlyList<Tensor> batches)
        {
            var model = new MlpClassifier(20, 64, 4);
            model.eval();
            using (torch.no_grad())
            {
                return batches.Select(batch => model.call(batch).argmax(1)).ToList();
            }
        }

        /// <summary>A method group run in place inside the scope.</summary>
        public Tensor[] ScoresOf(IReadOnlyList<Tensor> batches)
        {
            using (torch.no_grad())
            {
                return batches.Select(Score).ToArray();
            }
        }

        private Tensor Score(Tensor batch) => _model.call(batch).softmax(1);

        /// <summary>A lazy query: its caller enumerates it, under its own scope.</summary>
        public static IEnumerable<Tensor> Lazily(MlpClassifier model, IEnumerable<Tensor> batches)
            => batches.Select(batch => model.call(batch));

        public static long CountPositive(MlpClassifier model, IEnumerable<Tensor> batches)
        {
            model.eval();
            using (torch.inference_mode())
            {
                return Lazily(model, batches).Sum(output => output.argmax(1).sum().ToInt64());
            }
        }

        /// <summary>A worker thread opens its own scope: the creator's scope would not reach it.</summary>
        public static float ScoreOnAWorker(Tensor input)
        {
            var model = new MlpClassifier(20, 64, 4);
            model.eval();
            var score = 0f;
            var worker = new Thread(() =>
            {
                using var noGrad = torch.no_grad();
                score = model.call(input).max().ToSingle();
            });
            worker.Start();
            worker.Join();
            return score;
        }

        /// <summary>An awaited Task.Run whose lambda opens its own scope.</summary>
        public static async Task<float> ScoreInBackgroundAsync(Tensor input)
        {
            var model = new MlpClassifier(20, 64, 4);
            model.eval();
            return await Task.Run(() =>
            {
                using (torch.no_grad())
                {
                    return model.call(input).max().ToSingle();
                }
            }).ConfigureAwait(false);
        }

        /// <summary>Training steps in a lambda run in place: the graph is used, nothing to report.</summary>
        public static void TrainOnEach(MlpClassifier model, List<(Tensor Input, Tensor Target)> batches)
        {
            var optimizer = optim.Adam(model.parameters());
            model.train();
            batches.ForEach(batch =>
            {
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(batch.Input), batch.Target);
                loss.backward();
                optimizer.step();
            });
        }
    }
}
