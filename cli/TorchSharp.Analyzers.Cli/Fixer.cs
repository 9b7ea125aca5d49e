using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>One file that <c>--fix</c> changed: its path relative to the root, and its text before and after.</summary>
    internal sealed record FixedFile(string Path, string RelativePath, SourceText Before, SourceText After);

    /// <summary>
    /// <c>--fix</c> on a solution (the loose files of a folder, or projects MSBuild loaded): provider by provider and
    /// document by document, the provider's Fix All over the document for one action (the first the provider offers,
    /// or the one <c>--action</c> names).
    /// </summary>
    internal static class Fixer
    {
        public static async Task<(ImmutableArray<FixedFile> Files, Solution Fixed)> FixAsync(
            Solution solution, ImmutableArray<DocumentId> documents, string root, Func<Diagnostic, bool> selected, string? action, ICheckProgress progress, CancellationToken cancellationToken)
        {
            var original = solution;
            var diagnostics = new AnalyzerDiagnostics(selected);
            var providers = Product.CreateCodeFixProviders().Where(p => p.GetFixAllProvider() is not null).ToList();
            progress.Stage("Fixing", providers.Count * documents.Length);
            foreach (var provider in providers)
            {
                var fixAll = provider.GetFixAllProvider()!;
                foreach (var documentId in documents)
                {
                    progress.Item(LooseFolder.Relative(root, original.GetDocument(documentId)!.FilePath!));
                    var document = solution.GetDocument(documentId)!;
                    var fixable = (await diagnostics.AnalyzeAsync(document.Project, cancellationToken).ConfigureAwait(false))
                        .Where(d => IsIn(d, document) && provider.FixableDiagnosticIds.Contains(d.Id))
                        .ToList();
                    if (fixable.Count == 0)
                    {
                        continue;
                    }

                    var key = await EquivalenceKeyAsync(provider, document, fixable, action, cancellationToken).ConfigureAwait(false);
                    if (key is null)
                    {
                        continue;
                    }

                    var context = new FixAllContext(document, provider, FixAllScope.Document, key, provider.FixableDiagnosticIds, diagnostics, cancellationToken);
                    var fix = await fixAll.GetFixAsync(context).ConfigureAwait(false);
                    if (fix is null)
                    {
                        continue;
                    }

                    foreach (var operation in await fix.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (operation is ApplyChangesOperation apply)
                        {
                            solution = apply.ChangedSolution;
                            break;
                        }
                    }
                }
            }

            var changed = ImmutableArray.CreateBuilder<FixedFile>();
            foreach (var documentId in documents)
            {
                var before = await original.GetDocument(documentId)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
                var after = await solution.GetDocument(documentId)!.GetTextAsync(cancellationToken).ConfigureAwait(false);
                if (!before.ContentEquals(after))
                {
                    var path = original.GetDocument(documentId)!.FilePath!;
                    changed.Add(new FixedFile(path, LooseFolder.Relative(root, path), before, after));
                }
            }

            return (changed.ToImmutable(), solution);
        }

        /// <summary>
        /// Our selected diagnostics in <paramref name="documents"/> of the fixed solution, as a check of the written files
        /// would report them (a file compiled into several projects, e.g. multi-targeted, counted once).
        /// </summary>
        public static async Task<ImmutableArray<Diagnostic>> RemainingAsync(Solution solution, ImmutableArray<DocumentId> documents, Func<Diagnostic, bool> selected, CancellationToken cancellationToken)
        {
            var analysis = new AnalyzerDiagnostics(selected);
            var paths = documents.Select(d => solution.GetDocument(d)!.FilePath).ToImmutableHashSet(StringComparer.Ordinal);
            var remaining = new List<Diagnostic>();
            foreach (var projectId in documents.Select(d => d.ProjectId).Distinct())
            {
                remaining.AddRange((await analysis.AnalyzeAsync(solution.GetProject(projectId)!, cancellationToken).ConfigureAwait(false))
                    .Where(d => d.Location.SourceTree?.FilePath is { } path && paths.Contains(path)));
            }

            return remaining
                .GroupBy(d => (d.Id, d.Location.SourceTree!.FilePath, d.Location.SourceSpan))
                .Select(g => g.First())
                .ToImmutableArray();
        }

        /// <summary>
        /// Writes the fixed files, keeping each file's encoding. A read-only file (even for a user who could write it)
        /// is a usage error found before anything is written.
        /// </summary>
        public static void Write(ImmutableArray<FixedFile> files)
        {
            foreach (var file in files)
            {
                if ((File.GetAttributes(file.Path) & FileAttributes.ReadOnly) != 0)
                {
                    throw new UsageException($"'{file.RelativePath}' is read-only; --fix wrote nothing (use --dry-run to see the changes)");
                }
            }

            foreach (var file in files)
            {
                try
                {
                    using var writer = new StreamWriter(file.Path, append: false, file.Before.Encoding ?? new System.Text.UTF8Encoding(false));
                    file.After.Write(writer);
                }
                catch (UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write '{file.RelativePath}' (read-only or access denied); no further file was written");
                }
            }
        }

        /// <summary>By path: a project analyzed once serves the later snapshots of its unchanged documents.</summary>
        private static bool IsIn(Diagnostic diagnostic, Document document)
            => string.Equals(diagnostic.Location.SourceTree?.FilePath, document.FilePath, StringComparison.Ordinal);

        private static async Task<string?> EquivalenceKeyAsync(CodeFixProvider provider, Document document, List<Diagnostic> fixable, string? action, CancellationToken cancellationToken)
        {
            foreach (var diagnostic in fixable)
            {
                var actions = new List<CodeAction>();
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), cancellationToken)).ConfigureAwait(false);
                var keys = actions.Select(a => a.EquivalenceKey).Where(k => k is not null).ToList();
                if (action is null ? keys.Count > 0 : keys.Contains(action))
                {
                    return action ?? keys[0];
                }
            }

            return null;
        }

        /// <summary>
        /// Fresh analyzers over a project, with the project's .editorconfig options; only our selected diagnostics. A
        /// project is analyzed again only when it or a project it depends on changed (its dependent version).
        /// </summary>
        private sealed class AnalyzerDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly Func<Diagnostic, bool> selected;

            private readonly Dictionary<(ProjectId, VersionStamp), ImmutableArray<Diagnostic>> analyzed = new();

            public AnalyzerDiagnostics(Func<Diagnostic, bool> selected) => this.selected = selected;

            public async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken)
            {
                var key = (project.Id, await project.GetDependentVersionAsync(cancellationToken).ConfigureAwait(false));
                lock (analyzed)
                {
                    if (analyzed.TryGetValue(key, out var known))
                    {
                        return known;
                    }
                }

                var diagnostics = await AnalyzeFreshAsync(project, cancellationToken).ConfigureAwait(false);
                lock (analyzed)
                {
                    analyzed[key] = diagnostics;
                }

                return diagnostics;
            }

            private async Task<ImmutableArray<Diagnostic>> AnalyzeFreshAsync(Project project, CancellationToken cancellationToken)
            {
                var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
                var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
                var all = await compilation.WithAnalyzers(Product.CreateAnalyzers(), options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                return all.Where(d => Product.IsOurs(d.Id) && d.Location.IsInSource && selected(d)).ToImmutableArray();
            }

            public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false);

            public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            {
                return (await AnalyzeAsync(document.Project, cancellationToken).ConfigureAwait(false)).Where(d => IsIn(d, document));
            }

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => Task.FromResult(Enumerable.Empty<Diagnostic>());
        }
    }
}
