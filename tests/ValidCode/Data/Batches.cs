using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace ValidCode.Data
{
    /// <summary>A mini-batch of inputs and labels.</summary>
    public sealed record Batch(Tensor Inputs, Tensor Labels);

    /// <summary>Synthetic data sets, so the examples are self-contained.</summary>
    public static class SyntheticData
    {
        /// <summary>Random classification batches.</summary>
        public static IEnumerable<Batch> Classification(int batches, long batchSize, long features, long classes, int seed = 1)
        {
            var generator = new Generator((ulong)seed);
            for (var i = 0; i < batches; i++)
            {
                var inputs = torch.randn(new[] { batchSize, features }, generator: generator);
                var labels = torch.randint(classes, new[] { batchSize }, generator: generator);
                yield return new Batch(inputs, labels);
            }
        }

        /// <summary>Random regression batches with a linear target.</summary>
        public static IEnumerable<Batch> Regression(int batches, long batchSize, long features)
        {
            var weights = torch.randn(features);
            for (var i = 0; i < batches; i++)
            {
                var inputs = torch.randn(batchSize, features);
                yield return new Batch(inputs, inputs.matmul(weights));
            }
        }

        /// <summary>Random images.</summary>
        public static IEnumerable<Batch> Images(int batches, long batchSize, long channels, long size, long classes)
        {
            for (var i = 0; i < batches; i++)
            {
                yield return new Batch(torch.randn(batchSize, channels, size, size), torch.randint(classes, new[] { batchSize }));
            }
        }

        /// <summary>Random token sequences.</summary>
        public static IEnumerable<Batch> Tokens(int batches, long batchSize, long length, long vocabulary, long classes)
        {
            if (vocabulary < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(vocabulary));
            }

            for (var i = 0; i < batches; i++)
            {
                yield return new Batch(torch.randint(vocabulary, new[] { batchSize, length }), torch.randint(classes, new[] { batchSize }));
            }
        }
    }

    /// <summary>Simple metrics.</summary>
    public static class Metrics
    {
        /// <summary>The fraction of correct predictions.</summary>
        public static double Accuracy(Tensor logits, Tensor labels)
            => logits.argmax(1).eq(labels).to_type(ScalarType.Float32).mean().item<float>();

        /// <summary>Running mean of a metric.</summary>
        public sealed class RunningMean
        {
            private double _sum;
            private long _count;

            public void Add(double value, long weight = 1)
            {
                _sum += value * weight;
                _count += weight;
            }

            public double Value => _count == 0 ? 0 : _sum / _count;
        }
    }
}
