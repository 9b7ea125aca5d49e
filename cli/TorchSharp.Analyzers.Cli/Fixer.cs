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
    /// <c>--fix</c>: the loose files in an <see cref="AdhocWorkspace"/> (with the folder's .editorconfig files as
    /// analyzer config documents), then, provider by provider and document by document, the provider's Fix All over
    /// the document for one action (the first the provider offers, or the one <c>--action</c> names).
    /// </summary>
    internal static class Fixer
    {
        public static async Task<(ImmutableArray<FixedFile> Files, Solution Fixed)> FixAsync(
            string root, ImmutableArray<string> files, ImmutableArray<string> editorConfigs, Func<Diagnostic, bool> selected, string? action, CancellationToken cancellationToken)
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var documents = files.Select(f => DocumentInfo.Create(
                DocumentId.CreateNewId(projectId), Path.GetFileName(f), loader: TextLoader.From(TextAndVersion.Create(Read(f), VersionStamp.Default, f)), filePath: f)).ToList();
            var configs = editorConfigs.Select(f => DocumentInfo.Create(
                DocumentId.CreateNewId(projectId), ".editorconfig", loader: TextLoader.From(TextAndVersion.Create(Read(f), VersionStamp.Default, f)), filePath: f)).ToList();

            // The SDK's implicit global usings, as in a check; not in `documents`, so it is never fixed or written.
            DocumentInfo? generated = null;
            if (ImplicitUsings.EnablingProject(root) is not null)
            {
                var usings = ImplicitUsings.Tree(root);
                generated = DocumentInfo.Create(
                    DocumentId.CreateNewId(projectId), Path.GetFileName(usings.FilePath), loader: TextLoader.From(TextAndVersion.Create(usings.GetText(cancellationToken), VersionStamp.Default, usings.FilePath)), filePath: usings.FilePath, isGenerated: true);
            }

            var project = ProjectInfo.Create(
                    projectId, VersionStamp.Default, "TorchSharpAnalyzersCheck", "TorchSharpAnalyzersCheck", LanguageNames.CSharp,
                    filePath: Path.Combine(root, "TorchSharpAnalyzersCheck.csproj"),
                    compilationOptions: new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
                    parseOptions: LooseFolder.ParseOptions,
                    documents: generated is null ? documents : documents.Append(generated),
                    metadataReferences: References.All)
                .WithAnalyzerConfigDocuments(configs);
            var original = workspace.AddSolution(SolutionInfo.Create(SolutionId.CreateNewId(), VersionStamp.Default, projects: new[] { project }));
            var solution = await WithOutputKindAsync(original, projectId, cancellationToken).ConfigureAwait(false);
            original = solution;

            var diagnostics = new AnalyzerDiagnostics(selected);
            foreach (var provider in Product.CreateCodeFixProviders())
            {
                var fixAll = provider.GetFixAllProvider();
                if (fixAll is null)
                {
                    continue;
                }

                foreach (var documentId in documents.Select(d => d.Id))
                {
                    var document = solution.GetDocument(documentId)!;
                    var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
                    var fixable = (await diagnostics.AnalyzeAsync(document.Project, cancellationToken).ConfigureAwait(false))
                        .Where(d => d.Location.SourceTree == tree && provider.FixableDiagnosticIds.Contains(d.Id))
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
            foreach (var documentId in documents.Select(d => d.Id))
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

        /// <summary>Our selected diagnostics of the fixed project, as a check of the written files would report them.</summary>
        public static async Task<ImmutableArray<Diagnostic>> RemainingAsync(Solution solution, Func<Diagnostic, bool> selected, CancellationToken cancellationToken)
            => await new AnalyzerDiagnostics(selected).AnalyzeAsync(solution.Projects.Single(), cancellationToken).ConfigureAwait(false);

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

        private static async Task<Solution> WithOutputKindAsync(Solution solution, ProjectId projectId, CancellationToken cancellationToken)
        {
            var project = solution.GetProject(projectId)!;
            var trees = new List<SyntaxTree>();
            foreach (var document in project.Documents)
            {
                trees.Add((await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false))!);
            }

            var kind = LooseFolder.OutputKindFor(trees);
            return solution.WithProjectCompilationOptions(projectId, project.CompilationOptions!.WithOutputKind(kind));
        }

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

        private static SourceText Read(string file)
        {
            using var stream = File.OpenRead(file);
            return SourceText.From(stream);
        }

        /// <summary>Fresh analyzers over a project, with the project's .editorconfig options; only our selected diagnostics.</summary>
        private sealed class AnalyzerDiagnostics : FixAllContext.DiagnosticProvider
        {
            private readonly Func<Diagnostic, bool> selected;

            public AnalyzerDiagnostics(Func<Diagnostic, bool> selected) => this.selected = selected;

            public async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken)
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
                var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
                return (await AnalyzeAsync(document.Project, cancellationToken).ConfigureAwait(false)).Where(d => d.Location.SourceTree == tree);
            }

            public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => Task.FromResult(Enumerable.Empty<Diagnostic>());
        }
    }
}
