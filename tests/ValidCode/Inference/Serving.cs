using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>A model server: the model is put in eval mode once, each request runs under inference_mode on its own thread.</summary>
    public sealed class ModelServer : IDisposable
    {
        private readonly MlpClassifier _model;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly ConcurrentDictionary<string, long> _cache = new ConcurrentDictionary<string, long>();

        public ModelServer(string weights)
        {
            _model = new MlpClassifier(20, 64, 4);
            _model.load(weights);
            _model.eval();
        }

        /// <summary>The class of one request, cached by key.</summary>
        public async Task<long> PredictAsync(string key, float[] features, CancellationToken cancellationToken)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = PredictOne(features);
                _cache[key] = result;
                return result;
            }
            finally
            {
                _gate.Release();
            }
        }

        private long PredictOne(float[] features)
        {
            using var mode = torch.inference_mode();
            using var input = torch.tensor(features).unsqueeze(0);
            return _model.call(input).argmax(1).item<long>();
        }

        public void Dispose()
        {
            _gate.Dispose();
            _model.Dispose();
        }
    }

    /// <summary>A lazily created model, put in eval mode by the factory.</summary>
    public sealed class LazyModel
    {
        private readonly Lazy<Regressor> _model;

        public LazyModel(string weights)
        {
            _model = new Lazy<Regressor>(() =>
            {
                var model = new Regressor(8);
                model.load(weights);
                model.eval();
                return model;
            });
        }

        /// <summary>The predicted value.</summary>
        public float Predict(float[] features)
        {
            var model = _model.Value;
            model.eval();
            using (torch.no_grad())
            {
                return model.call(torch.tensor(features).unsqueeze(0)).item<float>();
            }
        }
    }
}
