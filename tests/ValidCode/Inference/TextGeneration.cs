using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Inference
{
    /// <summary>
    /// nanoGPT's <c>generate</c>, ported as a method of the model: PyTorch decorates it with <c>@torch.no_grad()</c>, the
    /// port opens the scope itself. The model's mode stays its caller's business (eval() before generating).
    /// </summary>
    public sealed class CharLanguageModel : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding _tokens;
        private readonly Linear _head;

        public CharLanguageModel(long vocabulary, long width) : base(nameof(CharLanguageModel))
        {
            _tokens = nn.Embedding(vocabulary, width);
            _head = nn.Linear(width, vocabulary);
            RegisterComponents();
        }

        public override Tensor forward(Tensor idx) => _head.call(_tokens.call(idx));

        /// <summary>Samples <paramref name="maxNewTokens"/> tokens after <paramref name="idx"/>, one forward pass per token.</summary>
        public Tensor Generate(Tensor idx, int maxNewTokens)
        {
            using (torch.no_grad())
            {
                for (var i = 0; i < maxNewTokens; i++)
                {
                    var logits = call(idx).select(1, -1);
                    var next = logits.softmax(-1).multinomial(1);
                    idx = torch.cat(new[] { idx, next }, 1);
                }
            }

            return idx;
        }

        /// <summary>The most likely next token of every position, through the submodules directly.</summary>
        public Tensor sample_greedy(Tensor idx)
        {
            using var noGrad = torch.no_grad();
            return _head.call(_tokens.call(idx)).argmax(-1);
        }
    }

    /// <summary>
    /// Token streams written as iterators: the body runs where the stream is enumerated, so the scope belongs there —
    /// around a <c>foreach</c> over the call, or a LINQ call that enumerates it — or inside the iterator itself.
    /// </summary>
    public static class TokenStreams
    {
        /// <summary>One greedy token per step, with no grad scope of its own: its callers enumerate it inside one.</summary>
        public static IEnumerable<Tensor> GenerateTokens(nn.Module<Tensor, Tensor> model, Tensor idx, int steps)
        {
            for (var i = 0; i < steps; i++)
            {
                idx = model.call(idx).argmax(-1);
                yield return idx;
            }
        }

        /// <summary>Enumerated in place inside no_grad.</summary>
        public static void Print(nn.Module<Tensor, Tensor> model, Tensor idx)
        {
            model.eval();
            using (torch.no_grad())
            {
                foreach (var token in GenerateTokens(model, idx, 8))
                {
                    Console.WriteLine(token.ToString());
                }
            }
        }

        /// <summary>Materialized in place under a using declaration.</summary>
        public static List<Tensor> Collect(nn.Module<Tensor, Tensor> model, Tensor idx)
        {
            model.eval();
            using var noGrad = torch.no_grad();
            return GenerateTokens(model, idx, 8).Take(4).ToList();
        }

        /// <summary>The stream handed to a caller: where it is enumerated, and in which grad mode, is not known here.</summary>
        public static IEnumerable<Tensor> Stream(nn.Module<Tensor, Tensor> model, Tensor idx)
        {
            model.eval();
            return GenerateTokens(model, idx, 16);
        }

        /// <summary>Stored first and enumerated later inside no_grad: the grad mode of the call says nothing.</summary>
        public static int CountLater(nn.Module<Tensor, Tensor> model, Tensor idx)
        {
            model.eval();
            var stream = GenerateTokens(model, idx, 8);
            using (torch.no_grad())
            {
                return stream.Count();
            }
        }

        /// <summary>An iterator that opens the scope around each step itself, outside the <c>yield</c>.</summary>
        public static IEnumerable<long> SampleLabels(nn.Module<Tensor, Tensor> model, IEnumerable<Tensor> batches)
        {
            foreach (var batch in batches)
            {
                long label;
                using (torch.no_grad())
                {
                    label = model.call(batch).argmax(-1).sum().ToInt64();
                }

                yield return label;
            }
        }

        /// <summary>Enumerated in place with autograd on: the iterator's own scope covers its pass.</summary>
        public static long TotalLabel(nn.Module<Tensor, Tensor> model, IEnumerable<Tensor> batches)
        {
            model.eval();
            return SampleLabels(model, batches).Sum();
        }
    }
}
