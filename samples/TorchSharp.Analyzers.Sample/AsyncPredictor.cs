using System;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Sample
{
    /// <summary>Scores batches that arrive asynchronously (from a queue, a socket, a file).</summary>
    internal sealed class AsyncPredictor
    {
        private readonly SentimentNet _model;
        private readonly Func<Task<Tensor>> _nextBatch;

        public AsyncPredictor(SentimentNet model, Func<Task<Tensor>> nextBatch)
        {
            _model = model;
            _nextBatch = nextBatch;
        }

        public async Task<long> PredictNextAsync()
        {
            _model.eval();
            using (torch.no_grad())
            {
                // Mistake (TORCH009): the method resumes on a thread-pool thread, where autograd records the forward pass;
                // the thread that opened the scope keeps autograd off.
                var batch = await _nextBatch();
                return _model.call(batch).argmax(1).sum().item<long>();
            }
        }
    }
}
