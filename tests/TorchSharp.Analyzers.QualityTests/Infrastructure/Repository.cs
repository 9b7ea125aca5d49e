using System;
using System.IO;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>Paths inside the repository, found by walking up from the test assembly to <c>Analyzers.sln</c>.</summary>
    internal static class Repository
    {
        /// <summary>The repository root (the directory of <c>Analyzers.sln</c>).</summary>
        public static string Root { get; } = FindRoot();

        /// <summary>An absolute path for a path relative to the root, written with '/'.</summary>
        public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

        /// <summary>A path relative to the root, with '/', for failure messages.</summary>
        public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
