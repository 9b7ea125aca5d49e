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
        private const string FolderPrefix = "folder ";

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

        private CorpusSpec(string name, bool hasTorchSharp, ImmutableArray<SyntaxTree> trees, int files, int lines, ImmutableArray<MetadataReference> extraReferences = default)
        {
            Name = name;
            HasTorchSharp = hasTorchSharp;
            Trees = trees;
            Files = files;
            Lines = lines;
            ExtraReferences = extraReferences.IsDefault ? ImmutableArray<MetadataReference>.Empty : extraReferences;
        }

        public string Name { get; }

        public bool HasTorchSharp { get; }

        /// <summary>Whether these are the sources of a folder (<c>--path</c>), not a generated corpus.</summary>
        public bool IsFolder => Name.StartsWith(FolderPrefix, StringComparison.Ordinal);

        public ImmutableArray<SyntaxTree> Trees { get; }

        /// <summary>Measured source files (the stand-in API of the no-TorchSharp corpora is not counted).</summary>
        public int Files { get; }

        /// <summary>Lines of the measured source files.</summary>
        public int Lines { get; }

        /// <summary>References a folder's own build has besides .NET and TorchSharp (<see cref="FolderProject.References"/>).</summary>
        public ImmutableArray<MetadataReference> ExtraReferences { get; }

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

        /// <summary>
        /// Every *.cs file under <paramref name="directory"/> (bin and obj skipped), compiled against TorchSharp, with the
        /// implicit global usings and extra references of <paramref name="project"/> (one more tree, not counted in the lines).
        /// </summary>
        public static CorpusSpec Folder(string directory, FolderProject project)
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
            var trees = paths.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), ParseOptions, p)).ToList();
            var lines = trees.Sum(t => t.GetText().Lines.Count);
            var usings = project.GlobalUsingsOf(root);
            if (usings.Length > 0)
            {
                var source = string.Concat(usings.Select(u => "global using " + u + ";\n"));
                trees.Add(CSharpSyntaxTree.ParseText(source, ParseOptions, Path.Combine(root, "(implicit usings).cs")));
            }

            var references = project.References.Select(r => (MetadataReference)MetadataReference.CreateFromFile(Path.GetFullPath(r))).ToImmutableArray();
            return new CorpusSpec(FolderPrefix + Path.GetFileName(root.TrimEnd(separator)), hasTorchSharp: true, trees.ToImmutableArray(), paths.Count, lines, references);
        }

        /// <summary>
        /// A fresh compilation of freshly parsed trees: no binding is shared with any earlier phase, and nothing the
        /// analyzers keep per syntax tree (what a file's text tells them) either — as in a build, where every tree is new.
        /// </summary>
        public CSharpCompilation NewCompilation()
            => CSharpCompilation.Create(
                "Bench.Project",
                Trees.Select(tree => CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath)),
                References.For(HasTorchSharp).AddRange(ExtraReferences),
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
