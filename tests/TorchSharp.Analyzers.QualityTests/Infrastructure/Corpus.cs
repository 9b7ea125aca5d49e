using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>The sources the robustness and fix gates run over.</summary>
    internal static class Corpus
    {
        /// <summary>The rule tests' sources, the docs examples (wrapped) and the ValidCode files, in a stable order.</summary>
        public static ImmutableArray<CorpusSource> All { get; } = TestSources.All
            .Concat(DocExamples.All.Where(e => e.Kind is ExampleKind.Violating or ExampleKind.Fixed)
                .Select(e => new CorpusSource(e.Name, FragmentHarness.Wrap(e.Code) + "\n" + StripUsings(FragmentHarness.HarnessSource))))
            .Concat(ValidCodeFiles().Select(f => new CorpusSource(Repository.Relative(f), File.ReadAllText(f))))
            .ToImmutableArray();

        /// <summary>The sample program (real mistakes) and the ValidCode files, parsed, as one project's trees in a stable order.</summary>
        public static System.Collections.Generic.List<Microsoft.CodeAnalysis.SyntaxTree> SampleAndValidCodeTrees()
            => Directory.GetFiles(Repository.PathOf("samples/TorchSharp.Analyzers.Sample"), "*.cs")
                .Concat(ValidCodeFiles())
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => Compilations.Parse(File.ReadAllText(f), f))
                .ToList();

        /// <summary>The ValidCode project's C# files.</summary>
        public static ImmutableArray<string> ValidCodeFiles()
        {
            var directory = Repository.PathOf("tests/ValidCode");
            return Directory.Exists(directory)
                ? Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                             && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToImmutableArray()
                : ImmutableArray<string>.Empty;
        }

        /// <summary>The harness source without its using directives, to append it to a file that has them.</summary>
        private static string StripUsings(string source)
            => string.Join("\n", source.Split('\n').Where(l => !l.StartsWith("using ", StringComparison.Ordinal)));
    }
}
