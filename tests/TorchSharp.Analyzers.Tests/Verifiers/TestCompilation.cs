using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.Tests.Verifiers
{
    /// <summary>What every test compilation is built against: .NET 8 and the real TorchSharp assembly.</summary>
    internal static class TestCompilation
    {
        /// <summary>.NET 8 reference assemblies, resolved from the package that restore downloaded.</summary>
        public static ReferenceAssemblies ReferenceAssemblies { get; } = ReferenceAssemblies.Net.Net80;

        /// <summary>TorchSharp.dll, the assembly users compile against.</summary>
        public static MetadataReference TorchSharp { get; } = MetadataReference.CreateFromFile(typeof(global::TorchSharp.torch).Assembly.Location);

        /// <summary>The language version tests compile with unless they say otherwise.</summary>
        public const LanguageVersion LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12;

        /// <summary>An .editorconfig for all files of a test project, with the given lines in its <c>[*.cs]</c> section.</summary>
        public static (string Path, string Content) EditorConfig(string lines)
            => ("/.editorconfig", "root = true\n\n[*.cs]\n" + lines + "\n");

        /// <summary>The directory of TorchSharp.dll, for tests that need more of the package.</summary>
        public static string TorchSharpDirectory => Path.GetDirectoryName(typeof(global::TorchSharp.torch).Assembly.Location)!;
    }
}
