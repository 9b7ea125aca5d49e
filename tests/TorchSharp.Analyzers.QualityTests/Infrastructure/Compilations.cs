using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>
    /// Builds in-memory compilations against the .NET 8 reference assemblies and TorchSharp.dll. The references are
    /// resolved and read once per test run and shared by every compilation.
    /// </summary>
    internal static class Compilations
    {
        private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(
            () => ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).GetAwaiter().GetResult()
                .Add(MetadataReference.CreateFromFile(typeof(global::TorchSharp.torch).Assembly.Location)),
            LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>.NET 8 reference assemblies plus TorchSharp.dll.</summary>
        public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

        /// <summary>The parse options every quality test uses (C# 12, what the .NET 8 SDK compiles).</summary>
        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

        /// <summary>A library with nullable annotations on, as the repository's projects build.</summary>
        public static CSharpCompilationOptions Options { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true,
            concurrentBuild: false);

        /// <summary>Parses one source.</summary>
        public static SyntaxTree Parse(string source, string path = "Source.cs")
            => CSharpSyntaxTree.ParseText(source, ParseOptions, path);

        /// <summary>A compilation of the given sources.</summary>
        public static CSharpCompilation Create(string name, IEnumerable<SyntaxTree> trees)
            => CSharpCompilation.Create(name, trees, References, Options);

        /// <summary>A compilation of one source.</summary>
        public static CSharpCompilation Create(string source, string path = "Source.cs")
            => Create("Quality", new[] { Parse(source, path) });

        /// <summary>The compiler errors of a compilation.</summary>
        public static ImmutableArray<Diagnostic> Errors(Compilation compilation)
            => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

        /// <summary>A one-line description of diagnostics for failure messages.</summary>
        public static string Describe(IEnumerable<Diagnostic> diagnostics, int max = 8)
        {
            var list = diagnostics.ToList();
            var text = string.Join(Environment.NewLine, list.Take(max).Select(d => "    " + d));
            return list.Count > max ? text + Environment.NewLine + $"    … and {list.Count - max} more" : text;
        }
    }
}
