using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench.Harness
{
    /// <summary>
    /// The findings mode (<c>--findings &lt;file&gt;</c>): no timing, only what our analyzers report on each <c>--path</c>
    /// folder, compiled exactly as the report compiles it (<see cref="CorpusSpec.Folder"/>), for a review by hand
    /// (docs/real-world.md). Per folder: files, compiler errors (they limit what the analyzers can prove), the count per
    /// rule, then one line per diagnostic — rule id, file relative to the folder, line:column, message, trimmed source line.
    /// </summary>
    internal static class Findings
    {
        public static int Run(HarnessOptions options, string outputPath)
        {
            if (options.Paths.Count == 0)
            {
                throw new ArgumentException("--findings needs at least one --path");
            }

            var analyzers = AnalyzerSets.Ours(options.AnalyzersPath);
            var text = new StringBuilder();
            text.Append("# analyzers: ").AppendLine(AnalyzerSets.OursLocation(analyzers));
            foreach (var reference in options.Project.References)
            {
                text.Append("# extra reference: ").AppendLine(Path.GetFileName(reference));
            }

            foreach (var path in options.Paths)
            {
                Write(text, path, analyzers, options.Project);
                Console.Error.WriteLine("findings: " + path + " done");
            }

            File.WriteAllText(outputPath, text.ToString());
            return 0;
        }

        private static void Write(StringBuilder text, string path, ImmutableArray<DiagnosticAnalyzer> analyzers, FolderProject project)
        {
            var root = Path.GetFullPath(path);
            var corpus = CorpusSpec.Folder(root, project);
            var compilation = corpus.NewCompilation();
            var usings = project.GlobalUsingsOf(root);

            var errorList = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var errors = errorList.Count;
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
            var diagnostics = compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult()
                .OrderBy(d => d.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToList();

            // A build lists no hidden (silent) diagnostic; they are counted, not listed (TORCH010 without hooks).
            var hidden = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Hidden).ToList();
            diagnostics = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();

            text.AppendLine();
            text.Append("## folder ").AppendLine(root);
            text.Append("files: ").Append(corpus.Files.ToString(CultureInfo.InvariantCulture))
                .Append(", lines: ").Append(corpus.Lines.ToString(CultureInfo.InvariantCulture))
                .Append(", implicit usings: ").Append(usings.Length.ToString(CultureInfo.InvariantCulture))
                .Append(", compiler errors: ").Append(errors.ToString(CultureInfo.InvariantCulture))
                .Append(", findings: ").AppendLine(diagnostics.Count.ToString(CultureInfo.InvariantCulture));
            if (errors > 0)
            {
                text.Append("most frequent errors: ").AppendLine(string.Join(", ", errorList.GroupBy(d => d.Id)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5)
                    .Select(g => g.Key + " x" + g.Count().ToString(CultureInfo.InvariantCulture))));
                text.Append("most frequent error messages: ").AppendLine(string.Join(" / ", errorList.GroupBy(d => d.GetMessage(CultureInfo.InvariantCulture))
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(6)
                    .Select(g => g.Key + " x" + g.Count().ToString(CultureInfo.InvariantCulture))));
            }

            foreach (var group in diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                text.Append("count ").Append(group.Key).Append(": ").AppendLine(group.Count().ToString(CultureInfo.InvariantCulture));
            }

            foreach (var group in hidden.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                text.Append("hidden (not listed) ").Append(group.Key).Append(": ").AppendLine(group.Count().ToString(CultureInfo.InvariantCulture));
            }

            foreach (var diagnostic in diagnostics)
            {
                var span = diagnostic.Location.GetLineSpan();
                var file = diagnostic.Location.SourceTree?.FilePath is { Length: > 0 } treePath ? Path.GetRelativePath(root, treePath) : "(no file)";
                var line = diagnostic.Location.SourceTree is { } tree && diagnostic.Location.IsInSource
                    ? tree.GetText().Lines[span.StartLinePosition.Line].ToString().Trim()
                    : string.Empty;
                text.Append(diagnostic.Id).Append(' ').Append(file).Append(':')
                    .Append((span.StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture)).Append(':')
                    .Append((span.StartLinePosition.Character + 1).ToString(CultureInfo.InvariantCulture))
                    .Append(" | ").Append(diagnostic.GetMessage(CultureInfo.InvariantCulture))
                    .Append(" | ").AppendLine(line);
            }
        }
    }
}
