using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TorchSharp.Analyzers.Bench.Corpus;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>The parsed sources of one measured compilation; every phase compiles them afresh.</summary>
    internal sealed class CorpusSpec
    {
        private static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);

        /// <summary>
        /// One thread (the measurement compares single-threaded times), nullable enabled as in new .NET projects, and
        /// the reference rule CA2000 switched on (it is off by default). The same options serve every phase.
        /// </summary>
        public static readonly CSharpCompilationOptions Options = new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                concurrentBuild: false)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { [AnalyzerSets.ReferenceId] = ReportDiagnostic.Warn });

        private CorpusSpec(string name, bool hasTorchSharp, ImmutableArray<SyntaxTree> trees, int files, int lines)
        {
            Name = name;
            HasTorchSharp = hasTorchSharp;
            Trees = trees;
            Files = files;
            Lines = lines;
        }

        public string Name { get; }

        public bool HasTorchSharp { get; }

        public ImmutableArray<SyntaxTree> Trees { get; }

        /// <summary>Measured source files (the stand-in API of the no-TorchSharp corpora is not counted).</summary>
        public int Files { get; }

        /// <summary>Lines of the measured source files.</summary>
        public int Lines { get; }

        /// <summary>Generated TorchSharp code, or the same code against the <c>Fake</c> stand-in when <paramref name="withTorchSharp"/> is false.</summary>
        public static CorpusSpec Generated(int files, bool withTorchSharp)
        {
            var generated = ProjectGenerator.Generate(files, withTorchSharp ? "TorchSharp" : "Fake");
            return FromGenerated(
                withTorchSharp ? "TorchSharp, " + files + " files" : "no TorchSharp, " + files + " files",
                generated,
                withTorchSharp);
        }

        /// <summary>One method of about <paramref name="lines"/> lines, with the models it uses.</summary>
        public static CorpusSpec LargeMethod(int lines)
            => FromGenerated("one " + lines + "-line method", ProjectGenerator.LargeMethod(lines, "TorchSharp"), withTorchSharp: true);

        /// <summary>Every *.cs file under <paramref name="directory"/> (bin and obj skipped), compiled against TorchSharp.</summary>
        public static CorpusSpec Folder(string directory)
        {
            var root = Path.GetFullPath(directory);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException(root);
            }

            var separator = Path.DirectorySeparatorChar;
            var paths = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains(separator + "obj" + separator, StringComparison.Ordinal) && !p.Contains(separator + "bin" + separator, StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();
            var trees = paths.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), ParseOptions, p)).ToImmutableArray();
            var lines = trees.Sum(t => t.GetText().Lines.Count);
            return new CorpusSpec("folder " + Path.GetFileName(root.TrimEnd(separator)), hasTorchSharp: true, trees, paths.Count, lines);
        }

        /// <summary>
        /// A fresh compilation of freshly parsed trees: no binding is shared with any earlier phase, and nothing the
        /// analyzers keep per syntax tree (what a file's text tells them) either — as in a build, where every tree is new.
        /// </summary>
        public CSharpCompilation NewCompilation()
            => CSharpCompilation.Create(
                "Bench.Project",
                Trees.Select(tree => CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath)),
                References.For(HasTorchSharp),
                Options);

        private static CorpusSpec FromGenerated(string name, ImmutableArray<GeneratedFile> generated, bool withTorchSharp)
        {
            var trees = generated.Select(f => CSharpSyntaxTree.ParseText(f.Text, ParseOptions, f.Path)).ToList();
            if (!withTorchSharp)
            {
                trees.Add(CSharpSyntaxTree.ParseText(FakeTorch.Source, ParseOptions, FakeTorch.Path));
            }

            return new CorpusSpec(name, withTorchSharp, trees.ToImmutableArray(), generated.Length, generated.Sum(f => f.Lines));
        }
    }
}
