using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>The key of the engine's caches per method and depth: symbols compared as symbols, not as references.</summary>
    internal sealed class MethodDepthComparer : IEqualityComparer<(IMethodSymbol, int)>
    {
        public bool Equals((IMethodSymbol, int) x, (IMethodSymbol, int) y)
            => x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

        public int GetHashCode((IMethodSymbol, int) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) ^ obj.Item2;
    }
}
