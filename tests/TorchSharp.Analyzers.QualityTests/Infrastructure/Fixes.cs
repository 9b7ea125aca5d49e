using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>Runs code fixes the way an IDE does: in a workspace, through <see cref="CodeFixContext"/> and the actions' operations.</summary>
    internal static class Fixes
    {
        /// <summary>A one-document project in a fresh <see cref="AdhocWorkspace"/>.</summary>
        public static Document CreateDocument(string source, string fileName = "Source.cs")
        {
            var workspace = new AdhocWorkspace();
            var projectId = ProjectId.CreateNewId();
            var solution = workspace.CurrentSolution
                .AddProject(ProjectInfo.Create(
                    projectId,
                    VersionStamp.Default,
                    "Quality",
                    "Quality",
                    LanguageNames.CSharp,
                    compilationOptions: Compilations.Options,
                    parseOptions: Compilations.ParseOptions,
                    metadataReferences: Compilations.References));
            var documentId = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(documentId, fileName, SourceText.From(source), filePath: "/" + fileName);
            return solution.GetDocument(documentId)!;
        }

        /// <summary>
        /// The consumer's document of a <see cref="ProjectSplit"/>: two projects in a fresh <see cref="AdhocWorkspace"/>, the
        /// consumer with a project reference to the library, as an IDE loads a solution.
        /// </summary>
        public static Document CreateConsumerDocument(ProjectSplit split)
        {
            var library = CreateDocument(split.Library, "Library.cs");
            var solution = library.Project.Solution.WithProjectAssemblyName(library.Project.Id, ProjectSplits.LibraryName);
            var consumerId = ProjectId.CreateNewId();
            solution = solution.AddProject(ProjectInfo.Create(
                consumerId,
                VersionStamp.Default,
                ProjectSplits.ConsumerName,
                ProjectSplits.ConsumerName,
                LanguageNames.CSharp,
                compilationOptions: Compilations.Options,
                parseOptions: Compilations.ParseOptions,
                metadataReferences: Compilations.References,
                projectReferences: new[] { new ProjectReference(library.Project.Id) }));
            var documentId = DocumentId.CreateNewId(consumerId);
            return solution.AddDocument(documentId, "Consumer.cs", SourceText.From(split.Consumer), filePath: "/Consumer.cs").GetDocument(documentId)!;
        }

        /// <summary>A project of several files in a fresh <see cref="AdhocWorkspace"/>; returns its documents in file order.</summary>
        public static ImmutableArray<Document> CreateProject(IEnumerable<(string Path, string Source)> files)
        {
            var first = true;
            Document? document = null;
            var ids = ImmutableArray.CreateBuilder<DocumentId>();
            foreach (var (path, source) in files)
            {
                if (first)
                {
                    document = CreateDocument(source, System.IO.Path.GetFileName(path));
                    first = false;
                }
                else
                {
                    var id = DocumentId.CreateNewId(document!.Project.Id);
                    var name = System.IO.Path.GetFileName(path);
                    document = document.Project.Solution.AddDocument(id, name, SourceText.From(source), filePath: "/" + name).GetDocument(id)!;
                }

                ids.Add(document!.Id);
            }

            var solution = document?.Project.Solution;
            return solution is null ? ImmutableArray<Document>.Empty : ids.Select(id => solution.GetDocument(id)!).ToImmutableArray();
        }

        /// <summary>Our diagnostics of a document's project, from fresh analyzers, plus analyzer exceptions.</summary>
        public static async Task<AnalysisResult> AnalyzeAsync(Project project, CancellationToken cancellationToken = default)
        {
            var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
            return await Analysis.RunAsync(compilation, concurrent: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The actions <paramref name="provider"/> offers for <paramref name="diagnostic"/>, or the exception it threw.</summary>
        public static async Task<(ImmutableArray<CodeAction> Actions, Exception? Exception)> OfferedActionsAsync(
            CodeFixProvider provider, Document document, Diagnostic diagnostic, CancellationToken cancellationToken = default)
        {
            var actions = ImmutableArray.CreateBuilder<CodeAction>();
            try
            {
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
                await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                return (actions.ToImmutable(), null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return (actions.ToImmutable(), exception);
            }
        }

        /// <summary>The solution an action produces (the first <see cref="ApplyChangesOperation"/>), or the original one.</summary>
        public static async Task<Solution> ApplyAsync(CodeAction action, Solution solution, CancellationToken cancellationToken = default)
        {
            var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var operation in operations)
            {
                if (operation is ApplyChangesOperation apply)
                {
                    return apply.ChangedSolution;
                }
            }

            return solution;
        }

        /// <summary>
        /// Fix All in <paramref name="scope"/> with the provider's own Fix All provider, for the action with
        /// <paramref name="equivalenceKey"/>. Returns the fixed solution (the original when nothing is fixable).
        /// </summary>
        public static async Task<Solution> FixAllAsync(
            CodeFixProvider provider, Document document, string? equivalenceKey, FixAllScope scope, CancellationToken cancellationToken = default)
        {
            var fixAll = provider.GetFixAllProvider();
            if (fixAll is null)
            {
                return document.Project.Solution;
            }

            var context = new FixAllContext(
                document,
                provider,
                scope,
                equivalenceKey!,
                provider.FixableDiagnosticIds,
                new AnalyzerDiagnosticProvider(),
                cancellationToken);
            var action = await fixAll.GetFixAsync(context).ConfigureAwait(false);
            return action is null ? document.Project.Solution : await ApplyAsync(action, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Gives Fix All the diagnostics of fresh analyzers over the project.</summary>
        private sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
        {
            public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => (await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false)).Ours;

            public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            {
                var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
                return (await AnalyzeAsync(document.Project, cancellationToken).ConfigureAwait(false)).Ours.Where(d => d.Location.SourceTree == tree);
            }

            public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
                => (await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false)).Ours.Where(d => !d.Location.IsInSource);
        }
    }
}
