using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using ValidCode.Models;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>A predictor that builds and loads its model in the constructor, puts it in eval mode there, and predicts under no_grad.</summary>
    public sealed class SentimentPredictor : IDisposable
    {
        private readonly SentimentModel _model;

        public SentimentPredictor(string weights)
        {
            _model = new SentimentModel(10_000, 128, 256, 2);
            _model.load(weights);
            _model.eval();
        }

        /// <summary>The predicted class of one token sequence.</summary>
        public long Predict(Tensor tokens)
        {
            using (torch.no_grad())
            {
                return _model.call(tokens.unsqueeze(0)).argmax(1).item<long>();
            }
        }

        /// <summary>Class probabilities of a batch, under inference_mode.</summary>
        public float[] PredictProbabilities(Tensor tokens)
        {
            using var mode = torch.inference_mode();
            var probabilities = nn.functional.softmax(_model.call(tokens), 1);
            return probabilities.data<float>().ToArray();
        }

        /// <summary>The most likely class of each sequence, batch by batch.</summary>
        public IEnumerable<long> PredictMany(IEnumerable<Tensor> batches)
        {
            foreach (var batch in batches)
            {
                long[] labels;
                using (torch.no_grad())
                {
                    labels = _model.call(batch).argmax(1).data<long>().ToArray();
                }

                foreach (var label in labels)
                {
                    yield return label;
                }
            }
        }

        public void Dispose() => _model.Dispose();
    }

    /// <summary>A predictor that receives a model and sets eval mode on it itself.</summary>
    public sealed class ImagePredictor
    {
        private readonly ConvNet _model;
        private readonly string[] _labels;

        public ImagePredictor(ConvNet model, string[] labels)
        {
            _model = model;
            _model.eval();
            _labels = labels;
        }

        /// <summary>The label of the most likely class.</summary>
        public string Classify(Tensor image)
        {
            using var noGrad = torch.no_grad();
            var index = _model.call(image.unsqueeze(0)).argmax(1).item<long>();
            return _labels[index];
        }

        /// <summary>The top-k labels with their probabilities.</summary>
        public IReadOnlyList<(string Label, float Probability)> TopK(Tensor image, int k)
        {
            using (torch.inference_mode())
            {
                var probabilities = nn.functional.softmax(_model.call(image.unsqueeze(0)), 1).squeeze(0);
                var (values, indices) = probabilities.topk(k);
                var p = values.data<float>().ToArray();
                var i = indices.data<long>().ToArray();
                return Enumerable.Range(0, k).Select(j => (_labels[i[j]], p[j])).ToList();
            }
        }
    }

    /// <summary>Inference in free functions: eval() and a grad-disabled scope every time.</summary>
    public static class BatchInference
    {
        /// <summary>Loads a model and scores a batch.</summary>
        public static Tensor Score(string weights, Tensor inputs)
        {
            var model = new MlpClassifier(20, 64, 4);
            model.load(weights);
            model.eval();
            using (torch.no_grad())
            {
                return nn.functional.softmax(model.call(inputs), 1);
            }
        }

        /// <summary>Scores large inputs chunk by chunk under inference_mode, with a dispose scope per chunk.</summary>
        public static Tensor ScoreInChunks(MlpClassifier model, Tensor inputs, long chunk)
        {
            model.eval();
            using var mode = torch.inference_mode();
            var parts = new List<Tensor>();
            for (long start = 0; start < inputs.shape[0]; start += chunk)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(chunk, inputs.shape[0] - start);
                parts.Add(model.call(inputs.narrow(0, start, length)).MoveToOuterDisposeScope());
            }

            return torch.cat(parts, 0);
        }

        /// <summary>Evaluation with set_grad_enabled(false) as a using block.</summary>
        public static double Evaluate(Regressor model, Tensor inputs, Tensor targets)
        {
            model.eval();
            using (torch.set_grad_enabled(false))
            {
                var predictions = model.call(inputs);
                return nn.functional.mse_loss(predictions, targets).item<float>();
            }
        }

        /// <summary>Inference on the encoder of an auto-encoder, under no_grad.</summary>
        public static Tensor Embed(AutoEncoder autoEncoder, Tensor inputs)
        {
            autoEncoder.eval();
            using (torch.no_grad())
            {
                return autoEncoder.Encode(inputs);
            }
        }

        /// <summary>A model of unknown composition, handled the right way: eval() and no_grad.</summary>
        public static Tensor Run(nn.Module<Tensor, Tensor> model, Tensor input)
        {
            model.eval();
            using (torch.no_grad())
            {
                return model.call(input);
            }
        }

        /// <summary>An ensemble average: every member in eval mode, one no_grad scope.</summary>
        public static Tensor EnsemblePredict(IReadOnlyList<MlpClassifier> members, Tensor inputs)
        {
            foreach (var member in members)
            {
                member.eval();
            }

            using (torch.no_grad())
            {
                var probabilities = members.Select(m => nn.functional.softmax(m.call(inputs), 1)).ToList();
                return torch.stack(probabilities, 0).mean(new long[] { 0 });
            }
        }
    }
}
