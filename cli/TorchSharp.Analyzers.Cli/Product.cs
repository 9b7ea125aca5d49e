using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The analyzers and code fixes the tool runs: every concrete one of the two product assemblies.</summary>
    internal static class Product
    {
        /// <summary>The name of the tool in reports.</summary>
        public const string ToolName = "TorchSharp.Analyzers";

        /// <summary>Where users read about the tool.</summary>
        public const string InformationUri = "https://github.com/torchsharp-analyzers/torchsharp-analyzers";

        /// <summary>The product version (informational version without the source revision).</summary>
        public static string Version { get; } =
            (typeof(Product).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

        /// <summary>Fresh instances of every analyzer.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
            => Create<DiagnosticAnalyzer>(typeof(Descriptors).Assembly);

        /// <summary>Fresh instances of every code fix provider.</summary>
        public static ImmutableArray<CodeFixProvider> CreateCodeFixProviders()
            => Create<CodeFixProvider>(typeof(TorchSharp.Analyzers.CodeFixes.MissingEvalCodeFixProvider).Assembly);

        /// <summary>True for the ids this product reports.</summary>
        public static bool IsOurs(string id) => id.StartsWith("TORCH", StringComparison.Ordinal);

        private static ImmutableArray<T> Create<T>(Assembly assembly)
            => assembly.GetTypes()
                .Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .Select(t => (T)Activator.CreateInstance(t)!)
                .ToImmutableArray();
    }
}
