using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The compiler errors of one loaded project (its path relative to the checked root).</summary>
    internal sealed record ProjectSummary(string Name, string RelativePath, int CompilerErrors);

    /// <summary>
    /// The C# projects of a loaded solution (or of a project and its references) that MSBuild could evaluate, the folder
    /// of the opened file, and why others (or parts of them) failed to load.
    /// </summary>
    internal sealed record LoadedProjects(string Root, Solution Solution, ImmutableArray<Project> Projects, ConcurrentQueue<string> Failures);

    /// <summary>
    /// Checks a <c>.csproj</c>, <c>.sln</c> or <c>.slnx</c> through MSBuildWorkspace, with the MSBuild of the installed
    /// .NET SDK (Microsoft.Build.Locator). Restore is the user's: each project is compiled with the references its
    /// design-time build resolves. A project that fails to load is reported with its reason, and the others are checked.
    /// </summary>
    internal static class MSBuildProjects
    {
        private static readonly object RegistrationLock = new();

        private static readonly object LoadLock = new();

        private static string? msbuildPath;

        public static bool IsProjectOrSolution(string path)
            => Path.GetExtension(path).ToLowerInvariant() is ".csproj" or ".sln" or ".slnx";

        /// <summary>Registers the SDK's MSBuild once per process; must run before any MSBuild type is loaded.</summary>
        public static void RegisterMSBuild()
        {
            lock (RegistrationLock)
            {
                if (MSBuildLocator.IsRegistered && msbuildPath is not null)
                {
                    return;
                }

                try
                {
                    msbuildPath = MSBuildLocator.RegisterDefaults().MSBuildPath;
                }
                catch (InvalidOperationException exception)
                {
                    throw new UsageException("no .NET SDK found to load projects with (" + exception.Message + "); check the folder instead");
                }
            }
        }

        /// <summary>Checks the projects <paramref name="path"/> names; findings are not yet filtered by rule or severity.</summary>
        public static CheckResult Check(string path, ImmutableArray<string> includes, ImmutableArray<string> excludes, ICheckProgress progress, CancellationToken cancellationToken)
            => Use(path, progress, loaded => CheckAsync(loaded, includes, excludes, progress, cancellationToken), cancellationToken);

        /// <summary>
        /// Opens the projects <paramref name="path"/> names and hands them to <paramref name="use"/>, which must be done
        /// with the solution when its task ends: the workspace is disposed then.
        /// </summary>
        public static T Use<T>(string path, ICheckProgress progress, Func<LoadedProjects, Task<T>> use, CancellationToken cancellationToken)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new UsageException($"'{path}' does not exist");
            }

            RegisterMSBuild();

            // MSBuild evaluates and builds through process-wide state: one workspace at a time (tests run checks in parallel).
            lock (LoadLock)
            {
                return UseAsync(full, progress, use, cancellationToken).GetAwaiter().GetResult();
            }
        }

        /// <summary>The C# documents of the loaded projects that a fix may change: real files, once each, selected by the globs.</summary>
        public static ImmutableArray<DocumentId> FixableDocuments(LoadedProjects loaded, ImmutableArray<string> includes, ImmutableArray<string> excludes)
        {
            var selected = Glob.Selection(includes, excludes);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return loaded.Projects
                .SelectMany(p => p.Documents)
                .Where(d => d.FilePath is not null && !IsUnderBuildOutput(d.FilePath) && selected(LooseFolder.Relative(loaded.Root, d.FilePath)) && seen.Add(d.FilePath))
                .Select(d => d.Id)
                .ToImmutableArray();
        }

        // Not inlined into Use: MSBuild types must not be loaded before the locator has registered the SDK.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static async Task<T> UseAsync<T>(string full, ICheckProgress progress, Func<LoadedProjects, Task<T>> use, CancellationToken cancellationToken)
        {
            var root = Path.GetDirectoryName(full)!;
            var failures = new ConcurrentQueue<string>();
            using var workspace = MSBuildWorkspace.Create();
            workspace.WorkspaceFailed += (_, e) =>
            {
                if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
                {
                    failures.Enqueue(Explain(root, e.Diagnostic.Message));
                }
            };

            progress.Stage("Loading " + Path.GetFileName(full), 0);
            var loadProgress = new LoadProgress(progress);
            Solution solution;
            try
            {
                solution = Path.GetExtension(full).Equals(".csproj", StringComparison.OrdinalIgnoreCase)
                    ? (await workspace.OpenProjectAsync(full, loadProgress, cancellationToken: cancellationToken).ConfigureAwait(false)).Solution
                    : await workspace.OpenSolutionAsync(full, loadProgress, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                throw new UsageException($"'{Path.GetFileName(full)}' could not be loaded: {exception.Message}");
            }

            // A project that MSBuild failed to evaluate is still in the solution, empty: it is left out (its failure names it).
            var projects = solution.Projects
                .Where(p => p.Language == LanguageNames.CSharp && !failures.Any(f => p.FilePath is not null && f.Contains(p.FilePath, StringComparison.Ordinal)))
                .ToImmutableArray();
            if (projects.IsEmpty)
            {
                throw new UsageException($"no C# project of '{Path.GetFileName(full)}' could be loaded" +
                                         (failures.IsEmpty ? string.Empty : ": " + string.Join("; ", failures.Distinct())));
            }

            foreach (var project in projects.Where(p => p.FilePath is not null).GroupBy(p => p.FilePath!).Select(g => g.First()))
            {
                if (!File.Exists(Path.Combine(Path.GetDirectoryName(project.FilePath!)!, "obj", "project.assets.json")))
                {
                    failures.Enqueue($"{LooseFolder.Relative(root, project.FilePath!)} looks not restored (no obj/project.assets.json): its package references are missing; run dotnet restore first");
                }
            }

            return await use(new LoadedProjects(root, solution, projects, failures)).ConfigureAwait(false);
        }

        /// <summary>
        /// MSBuildWorkspace's words for a load failure, except for an F# or VB project of the solution, which it cannot
        /// open: that one is said plainly ("Lib/Lib.fsproj skipped: not a C# project").
        /// </summary>
        private static string Explain(string root, string message)
        {
            var match = NotAssociated.Match(message);
            return match.Success ? LooseFolder.Relative(root, match.Groups[1].Value) + " skipped: not a C# project" : message;
        }

        private static readonly System.Text.RegularExpressions.Regex NotAssociated = new(
            "^Cannot open project '([^']+)' because the file extension '[^']+' is not associated with a language",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static async Task<CheckResult> CheckAsync(LoadedProjects loaded, ImmutableArray<string> includes, ImmutableArray<string> excludes, ICheckProgress progress, CancellationToken cancellationToken)
        {
            var (root, _, projects, failures) = loaded;
            var selected = Glob.Selection(includes, excludes);
            var analyzers = Product.CreateAnalyzers();
            var exceptions = new ConcurrentQueue<string>();
            var findings = new List<Finding>();
            var summaries = new List<ProjectSummary>();
            var files = new SortedSet<string>(StringComparer.Ordinal);
            var editorConfigs = new SortedSet<string>(StringComparer.Ordinal);
            progress.Stage("Analyzing", projects.Length);
            foreach (var project in projects)
            {
                progress.Item(project.Name);
                var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
                if (compilation is null)
                {
                    failures.Enqueue($"{project.Name}: no compilation");
                    continue;
                }

                summaries.Add(new ProjectSummary(
                    project.Name,
                    LooseFolder.Relative(root, project.FilePath ?? project.Name),
                    compilation.GetDiagnostics(cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error)));
                foreach (var document in project.Documents.Where(d => d.FilePath is not null && !IsUnderBuildOutput(d.FilePath)))
                {
                    var relative = LooseFolder.Relative(root, document.FilePath!);
                    if (selected(relative))
                    {
                        files.Add(relative);
                    }
                }

                foreach (var config in project.AnalyzerConfigDocuments.Where(d => d.FilePath is not null))
                {
                    editorConfigs.Add(config.FilePath!);
                }

                var options = new CompilationWithAnalyzersOptions(
                    project.AnalyzerOptions,
                    onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception.Message),
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: false);
                var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
                findings.AddRange(diagnostics
                    .Where(d => Product.IsOurs(d.Id) && d.Location.IsInSource)
                    .Select(d => LooseFolder.ToFinding(root, d))
                    .Where(f => selected(f.RelativePath)));
                foreach (var failure in diagnostics.Where(d => d.Id == "AD0001"))
                {
                    exceptions.Enqueue(failure.GetMessage());
                }
            }

            var rules = analyzers.SelectMany(a => a.SupportedDiagnostics)
                .Where(d => Product.IsOurs(d.Id))
                .GroupBy(d => d.Id, StringComparer.Ordinal)
                .Select(g => g.First())
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToImmutableArray();
            return new CheckResult(
                root,
                files.Count,
                summaries.Sum(s => s.CompilerErrors),
                findings
                    .Distinct() // a multi-targeted project is loaded once per target framework
                    .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
                    .ToImmutableArray(),
                rules,
                exceptions.Distinct().ToImmutableArray(),
                editorConfigs.ToImmutableArray(),
                "the projects' own references, resolved by the MSBuild in " + msbuildPath)
            {
                Projects = summaries.OrderBy(s => s.RelativePath, StringComparer.Ordinal).ToImmutableArray(),
                LoadFailures = failures.Distinct().ToImmutableArray(),
            };
        }

        /// <summary>MSBuildWorkspace's load steps (evaluate, build, resolve references) as items of the loading stage.</summary>
        private sealed class LoadProgress : IProgress<ProjectLoadProgress>
        {
            private readonly ICheckProgress progress;

            public LoadProgress(ICheckProgress progress) => this.progress = progress;

            public void Report(ProjectLoadProgress value)
                => progress.Item($"{Path.GetFileName(value.FilePath)} ({value.Operation.ToString().ToLowerInvariant()}{(value.TargetFramework is null ? string.Empty : ", " + value.TargetFramework)})");
        }

        private static bool IsUnderBuildOutput(string path)
            => path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(s => s is "obj" or "bin");
    }
}

