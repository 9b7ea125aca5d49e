using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>
    /// The metadata references of the benchmark compilations: the .NET 8 reference assemblies
    /// (Microsoft.NETCore.App.Ref 8.0.0, fetched at restore by PackageDownload) and the real TorchSharp.dll. When the
    /// reference pack is missing, the running framework's trusted platform assemblies stand in, and the report says so.
    /// </summary>
    internal static class References
    {
        private static readonly Lazy<(ImmutableArray<MetadataReference> References, string Source)> LazyFramework =
            new Lazy<(ImmutableArray<MetadataReference>, string)>(LoadFramework);

        private static readonly Lazy<MetadataReference> LazyTorchSharp =
            new Lazy<MetadataReference>(() => MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));

        /// <summary>The framework references.</summary>
        public static ImmutableArray<MetadataReference> Framework => LazyFramework.Value.References;

        /// <summary>Where <see cref="Framework"/> comes from, for the report.</summary>
        public static string FrameworkSource => LazyFramework.Value.Source;

        /// <summary>TorchSharp.dll of the TorchSharp package this project references (0.107.0).</summary>
        public static MetadataReference TorchSharp => LazyTorchSharp.Value;

        /// <summary>The TorchSharp version compiled against, for the report.</summary>
        public static string TorchSharpVersion => typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";

        /// <summary>The framework, plus TorchSharp when <paramref name="withTorchSharp"/>.</summary>
        public static ImmutableArray<MetadataReference> For(bool withTorchSharp)
            => withTorchSharp ? Framework.Add(TorchSharp) : Framework;

        /// <summary>A value the project file stored in this assembly's metadata.</summary>
        public static string? BuildMetadata(string key)
            => typeof(References).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;

        private static (ImmutableArray<MetadataReference>, string) LoadFramework()
        {
            var packageRoot = BuildMetadata("NuGetPackageRoot");
            if (!string.IsNullOrEmpty(packageRoot))
            {
                var directory = Path.Combine(packageRoot, "microsoft.netcore.app.ref", "8.0.0", "ref", "net8.0");
                if (Directory.Exists(directory))
                {
                    var files = Directory.GetFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal).ToArray();
                    return (files.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray(),
                            "Microsoft.NETCore.App.Ref 8.0.0 (" + files.Length + " reference assemblies)");
                }
            }

            var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(f => Path.GetFileName(f).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(f) is "mscorlib.dll" or "netstandard.dll")
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToArray();
            return (trusted.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToImmutableArray(),
                    "the running framework's trusted platform assemblies (" + trusted.Length + "; Microsoft.NETCore.App.Ref 8.0.0 not found)");
        }
    }
}
