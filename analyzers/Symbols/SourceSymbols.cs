using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>Which symbols this compilation declares: the methods whose bodies the mode flow can read and summarise.</summary>
    internal static class SourceSymbols
    {
        /// <summary>
        /// Whether <paramref name="symbol"/> is declared (at least partly) in a syntax tree of <paramref name="compilation"/>;
        /// a loop, not LINQ, as the facts walk asks it per call. "In source" is not enough: in an IDE a project reference is
        /// a compilation reference, and the other project's symbols are in source trees this compilation cannot bind
        /// (<c>GetSemanticModel</c> throws for them). Such a symbol is treated as a build would see it, as metadata.
        /// </summary>
        public static bool IsInSource(this ISymbol symbol, Compilation compilation)
        {
            foreach (var location in symbol.Locations)
            {
                if (location.SourceTree is { } tree && compilation.ContainsSyntaxTree(tree))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
