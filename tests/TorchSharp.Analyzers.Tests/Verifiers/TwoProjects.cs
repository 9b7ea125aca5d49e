using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.Tests.Verifiers
{
    /// <summary>
    /// A second project that the tested one references, as an IDE solution of several projects does: the reference is a
    /// compilation reference, so the library's symbols are source symbols whose trees are not in the tested compilation.
    /// </summary>
    internal static class TwoProjects
    {
        /// <summary>The library project's name.</summary>
        public const string LibraryName = "Library";

        /// <summary>Adds <paramref name="librarySource"/> as a project of its own (with TorchSharp) that <paramref name="state"/> references.</summary>
        public static void AddLibrary(SolutionState state, string librarySource)
        {
            var library = state.AdditionalProjects[LibraryName];
            library.Sources.Add(("/Library/Library.cs", librarySource));
            library.AdditionalReferences.Add(TestCompilation.TorchSharp);
            state.AdditionalProjectReferences.Add(LibraryName);
        }
    }
}
