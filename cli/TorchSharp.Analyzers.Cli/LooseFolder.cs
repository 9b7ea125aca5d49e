using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// Checks a folder (or one .cs file) as loose files: every *.cs under it (bin, obj and hidden folders skipped) in
    /// one ad-hoc compilation against the shipped references, with the folder's .editorconfig files.
    /// </summary>
    internal static class LooseFolder
    {
        /// <summary>What a build of a .NET 8 project defines.</summary>
        private static readonly string[] PreprocessorSymbols = { "NET", "NETCOREAPP", "NET8_0", "NET8_0_OR_GREATER", "NET7_0_OR_GREATER", "NET6_0_OR_GREATER", "NET5_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER" };

        public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, preprocessorSymbols: PreprocessorSymbols);

        /// <summary>The root folder and the source files a path names, or a <see cref="UsageException"/>.</summary>
        public static (string Root, ImmutableArray<string> Files) Resolve(string path, ImmutableArray<string> includes, ImmutableArray<string> excludes)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                var extension = Path.GetExtension(full).ToLowerInvariant();
                if (extension != ".cs")
                {
                    throw new UsageException($"'{path}' is not a C# file (.cs) or a folder");
                }

                return (Path.GetDirectoryName(full)!, ImmutableArray.Create(full));
            }

            if (!Directory.Exists(full))
            {
                throw new UsageException($"'{path}' does not exist");
            }

            var root = Path.TrimEndingDirectorySeparator(full);
            var selected = Glob.Selection(includes, excludes);
            var files = Enumerate(root)
                .Where(f => selected(Relative(root, f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToImmutableArray();
            if (files.IsEmpty)
            {
                throw new UsageException(includes.IsEmpty && excludes.IsEmpty
                    ? $"'{path}' holds no C# files (bin, obj and hidden folders are skipped)"
                    : $"no C# file under '{path}' matches the --include/--exclude patterns");
            }

            return (root, files);
        }

        /// <summary>Checks the files; findings are not yet filtered by rule or severity.</summary>
        public static async Task<CheckResult> CheckAsync(string root, ImmutableArray<string> files, ICheckProgress progress, CancellationToken cancellationToken)
        {
            var editorConfig = EditorConfigFor(root, files);
            progress.Stage("Parsing", files.Length);
            var trees = files.Select(f =>
            {
                progress.Item(Relative(root, f));
                return Parse(f, cancellationToken);
            }).ToImmutableArray();
            var implicitUsingsProject = ImplicitUsings.EnablingProject(root);
            if (implicitUsingsProject is not null)
            {
                trees = trees.Add(ImplicitUsings.Tree(root));
            }

            progress.Stage($"Compiling and analyzing {files.Length} file{(files.Length == 1 ? string.Empty : "s")}", 0);
            var compilation = CreateCompilation(trees, editorConfig);
            var compilerErrors = compilation.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);

            var analyzers = Product.CreateAnalyzers();
            var exceptions = new ConcurrentQueue<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, editorConfig.OptionsProvider),
                onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception.Message),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false);
            var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);

            var findings = diagnostics
                .Where(d => Product.IsOurs(d.Id) && d.Location.IsInSource)
                .Select(d => ToFinding(root, d))
                .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
                .ToImmutableArray();
            var rules = analyzers.SelectMany(a => a.SupportedDiagnostics)
                .Where(d => Product.IsOurs(d.Id))
                .GroupBy(d => d.Id, StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToImmutableArray();
            return new CheckResult(
                root,
                files.Length,
                compilerErrors,
                findings,
                rules,
                exceptions.Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage())).Distinct().ToImmutableArray(),
                editorConfig.Paths,
                References.Source,
                implicitUsingsProject is null ? null : Relative(root, implicitUsingsProject));
        }

        /// <summary>The .editorconfig files of the root, of the folders of <paramref name="files"/> under it, and of its parents.</summary>
        public static EditorConfigFiles EditorConfigFor(string root, ImmutableArray<string> files)
        {
            var directories = new SortedSet<string>(StringComparer.Ordinal) { root };
            foreach (var file in files)
            {
                for (var directory = Path.GetDirectoryName(file); directory is not null && directory.Length > root.Length; directory = Path.GetDirectoryName(directory))
                {
                    directories.Add(directory);
                }
            }

            return EditorConfigFiles.Load(root, directories);
        }

        /// <summary>The ad-hoc compilation of <paramref name="trees"/>: an executable when a file has top-level statements.</summary>
        public static CSharpCompilation CreateCompilation(ImmutableArray<SyntaxTree> trees, EditorConfigFiles editorConfig)
        {
            var options = new CSharpCompilationOptions(
                    OutputKindFor(trees),
                    nullableContextOptions: NullableContextOptions.Enable,
                    allowUnsafe: true)
                .WithSyntaxTreeOptionsProvider(editorConfig.SeverityProvider);
            return CSharpCompilation.Create("TorchSharpAnalyzersCheck", trees, References.All, options);
        }

        /// <summary>A console application when a file has top-level statements, a library otherwise.</summary>
        public static OutputKind OutputKindFor(IEnumerable<SyntaxTree> trees)
            => trees.Any(t => t.GetRoot() is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any())
                ? OutputKind.ConsoleApplication
                : OutputKind.DynamicallyLinkedLibrary;

        /// <summary>Parses one file with its path, as a build does.</summary>
        public static SyntaxTree Parse(string file, CancellationToken cancellationToken)
        {
            SourceText text;
            using (var stream = File.OpenRead(file))
            {
                text = SourceText.From(stream);
            }

            return CSharpSyntaxTree.ParseText(text, ParseOptions, file, cancellationToken);
        }

        /// <summary>The path of <paramref name="file"/> relative to <paramref name="root"/>, with <c>/</c> separators.</summary>
        public static string Relative(string root, string file)
            => Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');

        /// <summary>One of our diagnostics as a finding located relative to <paramref name="root"/>.</summary>
        public static Finding ToFinding(string root, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.GetLineSpan();
            return new Finding(
                diagnostic.Id,
                diagnostic.Severity,
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                Relative(root, span.Path),
                span.StartLinePosition.Line + 1,
                span.StartLinePosition.Character + 1,
                span.EndLinePosition.Line + 1,
                span.EndLinePosition.Character + 1,
                diagnostic.Descriptor.HelpLinkUri);
        }

        private static IEnumerable<string> Enumerate(string root) => EnumerateFiles(root, "*.cs");

        /// <summary>The files matching <paramref name="pattern"/> under <paramref name="root"/>; bin, obj and hidden folders are skipped.</summary>
        public static IEnumerable<string> EnumerateFiles(string root, string pattern)
        {
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var directory = pending.Pop();
                foreach (var file in Directory.EnumerateFiles(directory, pattern))
                {
                    yield return file;
                }

                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    var name = Path.GetFileName(child);
                    if (name is "bin" or "obj" || name.StartsWith('.'))
                    {
                        continue;
                    }

                    pending.Push(child);
                }
            }
        }
    }
}
