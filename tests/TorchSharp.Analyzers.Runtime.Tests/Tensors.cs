using System.Linq;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    internal static class Tensors
    {
        /// <summary>Same shape and every element exactly equal.</summary>
        /// <remarks>TorchSharp's torch.equal compares element-wise and returns a tensor, unlike PyTorch's.</remarks>
        public static bool Identical(Tensor a, Tensor b)
            => a.shape.SequenceEqual(b.shape) && torch.eq(a, b).all().item<bool>();
    }
}
