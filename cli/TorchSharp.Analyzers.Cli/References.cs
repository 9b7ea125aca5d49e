using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// The metadata references of an ad-hoc compilation: the .NET 8 reference assemblies shipped with the tool
    /// (refs/net8.0) and the TorchSharp.dll shipped with it. Nothing of TorchSharp is loaded or run.
    /// </summary>
    internal static class References
    {
        private static readonly Lazy<(ImmutableArray<MetadataReference> References, string Source)> Lazy = new(Load);

        public static ImmutableArray<MetadataReference> All => Lazy.Value.References;

        /// <summary>Where the references came from, for the report.</summary>
        public static string Source => Lazy.Value.Source;

        private static (ImmutableArray<MetadataReference>, string) Load()
        {
            var torchSharp = Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll");
            var directory = Path.Combine(AppContext.BaseDirectory, "refs", "net8.0");
            if (!File.Exists(torchSharp) || !Directory.Exists(directory))
            {
                throw new UsageException("the tool is incomplete: TorchSharp.dll or refs/net8.0 is missing beside it in " + AppContext.BaseDirectory);
            }

            var files = Directory.GetFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal).ToList();
            var references = files.Append(torchSharp).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray();
            return (references, ".NET 8 reference assemblies (" + files.Count + ") and TorchSharp " +
                                System.Reflection.AssemblyName.GetAssemblyName(torchSharp).Version);
        }
    }
}
