using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// The loose files of a folder as one project of an <see cref="AdhocWorkspace"/>, compiled as a check compiles them
    /// (the shipped references, the folder's .editorconfig files as analyzer config documents, the SDK's implicit global
    /// usings when a project file enables them): what <c>--fix</c> on a folder works on.
    /// </summary>
    internal static class LooseWorkspace
    {
        /// <summary>The solution and the documents of <paramref name="files"/> in it (the implicit usings are not among them: never fixed or written).</summary>
        public static async Task<(Solution Solution, ImmutableArray<DocumentId> Documents)> CreateAsync(string root, ImmutableArray<string> files, CancellationToken cancellationToken)
        {
            var projectId = ProjectId.CreateNewId();
            var documents = files.Select(f => Document(projectId, Path.GetFileName(f), ReadText(f), f)).ToList();
            var configs = LooseFolder.EditorConfigFor(root, files).Paths.Select(f => Document(projectId, Path.GetFileName(f), ReadText(f), f)).ToList();

            var all = documents.ToList();
            if (ImplicitUsings.EnablingProject(root) is not null)
            {
                var usings = ImplicitUsings.Tree(root);
                all.Add(Document(projectId, Path.GetFileName(usings.FilePath), usings.GetText(cancellationToken), usings.FilePath, isGenerated: true));
            }

            var project = ProjectInfo.Create(
                    projectId, VersionStamp.Default, "TorchSharpAnalyzersCheck", "TorchSharpAnalyzersCheck", LanguageNames.CSharp,
                    filePath: Path.Combine(root, "TorchSharpAnalyzersCheck.csproj"),
                    compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
                    parseOptions: LooseFolder.ParseOptions,
                    documents: all,
                    metadataReferences: References.All)
                .WithAnalyzerConfigDocuments(configs);
            var solution = new AdhocWorkspace().AddSolution(SolutionInfo.Create(SolutionId.CreateNewId(), VersionStamp.Default, projects: new[] { project }));

            // An executable when a file has top-level statements, as in a check.
            var trees = new List<SyntaxTree>();
            foreach (var document in solution.GetProject(projectId)!.Documents)
            {
                trees.Add((await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false))!);
            }

            var options = solution.GetProject(projectId)!.CompilationOptions!.WithOutputKind(LooseFolder.OutputKindFor(trees));
            return (solution.WithProjectCompilationOptions(projectId, options), documents.Select(d => d.Id).ToImmutableArray());
        }

        private static DocumentInfo Document(ProjectId projectId, string name, SourceText text, string path, bool isGenerated = false)
            => DocumentInfo.Create(
                DocumentId.CreateNewId(projectId), name, loader: TextLoader.From(TextAndVersion.Create(text, VersionStamp.Default, path)), filePath: path, isGenerated: isGenerated);

        private static SourceText ReadText(string file)
        {
            using var stream = File.OpenRead(file);
            return SourceText.From(stream);
        }
    }
}
