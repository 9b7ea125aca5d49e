using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TorchSharp.Analyzers.Runtime;

namespace TorchSharp.Analyzers.Verification.Tests
{
    /// <summary>
    /// Compiles scenario programs in memory, runs the real analyzers over them (static verdict), executes them on real
    /// TorchSharp under a collecting <see cref="TorchMonitor"/> (dynamic verdict), and applies the real code fixes.
    /// </summary>
    /// <remarks>
    /// A scenario's monitor calls sit inside <c>#if MONITOR</c>: the analyzers see the user's program as written (a
    /// module handed to <c>monitor.Attach</c> would otherwise be "passed to unknown code" and lose its tracked mode),
    /// the execution compile defines MONITOR.
    /// </remarks>
    internal static class ScenarioHarness
    {
        public const string MonitorSymbol = "MONITOR";

        private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new Lazy<ImmutableArray<MetadataReference>>(LoadReferences);

        private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new Lazy<ImmutableArray<DiagnosticAnalyzer>>(() =>
            typeof(Descriptors).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() != null)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToImmutableArray());

        private static readonly Lazy<ImmutableArray<CodeFixProvider>> LazyFixers = new Lazy<ImmutableArray<CodeFixProvider>>(() =>
            typeof(TorchSharp.Analyzers.CodeFixes.MissingEvalCodeFixProvider).Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() != null)
                .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
                .ToImmutableArray());

        public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

        private static CSharpParseOptions StaticParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Latest);

        private static CSharpParseOptions ExecutionParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: new[] { MonitorSymbol });

        private static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Disable,
            optimizationLevel: OptimizationLevel.Debug);

        /// <summary>The analyzers' diagnostics on the program as written (MONITOR undefined).</summary>
        public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
        {
            var compilation = Compile(source, StaticParseOptions);
            AssertNoErrors(compilation, source);
            return await AnalyzeAsync(compilation).ConfigureAwait(false);
        }

        /// <summary>Compiles with MONITOR defined and runs <c>Scenario.Run</c> on a fresh thread under a collecting monitor.</summary>
        public static ScenarioRun Execute(string source)
        {
            var compilation = Compile(source, ExecutionParseOptions);
            using var image = new MemoryStream();
            var emitted = compilation.Emit(image);
            if (!emitted.Success)
            {
                throw new InvalidOperationException("Scenario does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
            }

            image.Position = 0;
            var context = new AssemblyLoadContext("scenario", isCollectible: true);
            try
            {
                var assembly = context.LoadFromStream(image);
                var run = assembly.GetType("Scenario")?.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)
                          ?? throw new InvalidOperationException("Scenario has no public static class Scenario with Run(TorchMonitor).");
                string? output = null;
                IReadOnlyList<MonitorFinding> findings = Array.Empty<MonitorFinding>();
                Exception? failure = null;

                // A fresh thread per run: grad mode and inference mode are per thread, and a scenario may leave them changed.
                var thread = new Thread(() =>
                {
                    try
                    {
                        var monitor = TorchMonitor.Collecting();
                        try
                        {
                            output = (string?)run.Invoke(null, new object[] { monitor });
                        }
                        finally
                        {
                            monitor.Dispose();
                            findings = monitor.Findings;
                        }
                    }
                    catch (Exception e)
                    {
                        failure = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    }
                }, maxStackSize: 16 * 1024 * 1024);
                thread.Start();
                thread.Join();
                if (failure != null)
                {
                    throw new InvalidOperationException("Scenario failed at run time: " + failure.Message, failure);
                }

                return new ScenarioRun(output ?? string.Empty, findings);
            }
            finally
            {
                context.Unload();
            }
        }

        /// <summary>
        /// Applies the action with <paramref name="equivalenceKey"/> of the provider that fixes <paramref name="id"/>, to the
        /// first diagnostic of that id, until none is left (at most 10 rounds). Returns the fixed source.
        /// </summary>
        public static async Task<string> ApplyFixAsync(string source, string id, string equivalenceKey)
        {
            var provider = LazyFixers.Value.Single(p => p.FixableDiagnosticIds.Contains(id));
            for (var round = 0; round < 10; round++)
            {
                using var workspace = new AdhocWorkspace();
                var projectId = ProjectId.CreateNewId();
                var solution = workspace.CurrentSolution
                    .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Scenario", "Scenario", LanguageNames.CSharp,
                        compilationOptions: CompilationOptions, parseOptions: StaticParseOptions, metadataReferences: LazyReferences.Value));
                var documentId = DocumentId.CreateNewId(projectId);
                solution = solution.AddDocument(documentId, "Scenario.cs", SourceText.From(source));
                var document = solution.GetDocument(documentId)!;
                var compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
                var diagnostic = (await AnalyzeAsync(compilation).ConfigureAwait(false))
                    .Where(d => d.Id == id)
                    .OrderBy(d => d.Location.SourceSpan.Start)
                    .FirstOrDefault();
                if (diagnostic is null)
                {
                    return source;
                }

                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                var chosen = actions.FirstOrDefault(a => a.EquivalenceKey == equivalenceKey)
                             ?? throw new InvalidOperationException("No action '" + equivalenceKey + "' for " + diagnostic + "; offered: " + string.Join(", ", actions.Select(a => a.EquivalenceKey)));
                var operations = await chosen.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
                var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(documentId)!;
                source = (await changed.GetTextAsync().ConfigureAwait(false)).ToString();
            }

            throw new InvalidOperationException("The fix for " + id + " did not converge in 10 rounds:\n" + source);
        }

        private static CSharpCompilation Compile(string source, CSharpParseOptions parseOptions)
            => CSharpCompilation.Create(
                "Scenario_" + Guid.NewGuid().ToString("N"),
                new[] { CSharpSyntaxTree.ParseText(source, parseOptions, path: "Scenario.cs") },
                LazyReferences.Value,
                CompilationOptions);

        private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
        {
            var withAnalyzers = compilation.WithAnalyzers(Analyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
            return await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        }

        private static void AssertNoErrors(Compilation compilation, string source)
        {
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("Scenario does not compile:\n" + string.Join("\n", errors) + "\n" + source);
            }
        }

        // The running framework's own assemblies, TorchSharp and the runtime library: one set shared by every compile.
        private static ImmutableArray<MetadataReference> LoadReferences()
        {
            var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
            var paths = trusted
                .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
                .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                .Append(typeof(TorchSharp.torch).Assembly.Location)
                .Append(typeof(TorchMonitor).Assembly.Location)
                .Distinct(StringComparer.Ordinal);
            var references = new List<MetadataReference>();
            foreach (var path in paths)
            {
                try
                {
                    using var stream = File.OpenRead(path);
                    using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
                    if (!reader.HasMetadata)
                    {
                        continue;
                    }
                }
                catch (BadImageFormatException)
                {
                    continue;
                }

                references.Add(MetadataReference.CreateFromFile(path));
            }

            return references.ToImmutableArray();
        }
    }

    /// <summary>What one execution printed and what the monitor found.</summary>
    internal sealed class ScenarioRun
    {
        public ScenarioRun(string output, IReadOnlyList<MonitorFinding> findings)
        {
            Output = output;
            Findings = findings;
        }

        public string Output { get; }

        public IReadOnlyList<MonitorFinding> Findings { get; }
    }
}
