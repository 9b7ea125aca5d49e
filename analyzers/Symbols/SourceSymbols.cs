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

        /// <summary>
        /// Whether a declaration is in a syntax tree of <paramref name="compilation"/>, so that its syntax may be read and
        /// bound: the same question as <see cref="IsInSource"/>, asked of one declaration of a symbol.
        /// </summary>
        public static bool IsInSource(this SyntaxReference reference, Compilation compilation) => compilation.ContainsSyntaxTree(reference.SyntaxTree);

        /// <summary>
        /// The semantic model of <paramref name="tree"/> when it is a tree of <paramref name="compilation"/>; null for a tree
        /// of another compilation (a project reference in an IDE), for which <c>GetSemanticModel</c> would throw. Not cached
        /// here: every host runs analyzers through CompilationWithAnalyzers, whose compilation hands out the driver's own
        /// cached model per tree (so bindings are shared with it) and drops it when the tree is done.
        /// </summary>
#pragma warning disable RS1030 // The flow engine and TORCH008 follow calls into other bodies of the compilation, as roslyn-analyzers' flow framework does.
        public static SemanticModel? ModelIfInSource(this Compilation compilation, SyntaxTree tree)
            => compilation.ContainsSyntaxTree(tree) ? compilation.GetSemanticModel(tree) : null;
#pragma warning restore RS1030
    }
}
