using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>Which symbols this compilation declares: the methods whose bodies the mode flow can read and summarise.</summary>
    internal static class SourceSymbols
    {
        /// <summary>Whether <paramref name="symbol"/> is declared (at least partly) in source; a loop, not LINQ, as the facts walk asks it per call.</summary>
        public static bool IsInSource(this ISymbol symbol)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.IsInSource)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
