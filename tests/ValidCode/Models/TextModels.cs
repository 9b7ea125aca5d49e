using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Models
{
    /// <summary>A sentiment model: Embedding → LSTM → Dropout → Linear.</summary>
    public sealed class SentimentModel : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding _embedding;
        private readonly LSTM _lstm;
        private readonly Dropout _dropout;
        private readonly Linear _head;

        public SentimentModel(long vocabulary, long embedding, long hidden, long classes)
            : base(nameof(SentimentModel))
        {
            _embedding = nn.Embedding(vocabulary, embedding);
            _lstm = nn.LSTM(embedding, hidden, numLayers: 2, batchFirst: true, dropout: 0.2);
            _dropout = nn.Dropout(0.4);
            _head = nn.Linear(hidden, classes);
            RegisterComponents();
        }

        /// <summary>The token encoder (embedding and LSTM), frozen by feature-extraction code.</summary>
        public nn.Module Encoder => _lstm;

        /// <summary>The embedding table.</summary>
        public Embedding Embedding => _embedding;

        public override Tensor forward(Tensor tokens)
        {
            using var scope = NewDisposeScope();
            var embedded = _embedding.call(tokens);
            var (output, _, _) = _lstm.call(embedded);
            var last = output.select(1, -1);
            return _head.call(_dropout.call(last)).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A Transformer encoder classifier over pre-computed token features.</summary>
    public sealed class TransformerClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _project;
        private readonly TransformerEncoder _encoder;
        private readonly LayerNorm _norm;
        private readonly Linear _head;

        public TransformerClassifier(long features, long model, long heads, long layers, long classes)
            : base(nameof(TransformerClassifier))
        {
            _project = nn.Linear(features, model);
            var layer = nn.TransformerEncoderLayer(model, heads, model * 4, 0.1);
            _encoder = nn.TransformerEncoder(layer, layers);
            _norm = nn.LayerNorm(model);
            _head = nn.Linear(model, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = _project.call(x).transpose(0, 1);
            h = _encoder.call(h, null, null);
            var pooled = _norm.call(h.mean(new long[] { 0 }));
            return _head.call(pooled).MoveToOuterDisposeScope();
        }
    }
}
