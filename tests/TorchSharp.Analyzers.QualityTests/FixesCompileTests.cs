using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>
    /// Fixes always compile: over every corpus source that compiles and has diagnostics (the rule tests' sources and the
    /// docs examples), every action offered for a diagnostic yields code without compiler errors and with fewer
    /// diagnostics of that id; Fix All (document scope) of every action yields code without errors, and a second Fix All
    /// changes nothing.
    /// </summary>
    public class FixesCompileTests
    {
        private const int MaxDiagnosticsPerSource = 6;
        private readonly ITestOutputHelper _output;

        public FixesCompileTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void EveryFix_Compiles_AndFixAllIsIdempotent()
        {
            var failures = new ConcurrentQueue<string>();
            var sources = 0;
            var actionsChecked = 0;
            var fixAllsChecked = 0;
            var stopwatch = Stopwatch.StartNew();
            Parallel.ForEach(Corpus.All, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, source =>
            {
                try
                {
                    var (actions, fixAlls) = CheckAsync(source, failures).GetAwaiter().GetResult();
                    if (actions + fixAlls > 0)
                    {
                        Interlocked.Increment(ref sources);
                        Interlocked.Add(ref actionsChecked, actions);
                        Interlocked.Add(ref fixAllsChecked, fixAlls);
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{source.Origin}: {e}");
                }
            });

            _output.WriteLine($"{sources} compiling sources with fixable diagnostics, {actionsChecked} actions and {fixAllsChecked} Fix Alls checked in {stopwatch.ElapsedMilliseconds} ms");
            Assert.True(sources >= 50, $"only {sources} compiling corpus sources had fixable diagnostics; the corpus extraction is broken");
            Assert.True(failures.IsEmpty, $"{failures.Count} failures; first ones:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures.Take(8))}");
        }

        private static async Task<(int Actions, int FixAlls)> CheckAsync(CorpusSource source, ConcurrentQueue<string> failures)
        {
            var document = Fixes.CreateDocument(source.Code);
            var compilation = (await document.Project.GetCompilationAsync().ConfigureAwait(false))!;
            if (!Compilations.Errors(compilation).IsEmpty)
            {
                return (0, 0);
            }

            var analysis = await Analysis.RunAsync(compilation, concurrent: false).ConfigureAwait(false);
            var providers = Product.CreateCodeFixProviders();
            var fixable = analysis.Ours.Where(d => providers.Any(p => p.FixableDiagnosticIds.Contains(d.Id))).Take(MaxDiagnosticsPerSource).ToList();
            if (fixable.Count == 0)
            {
                return (0, 0);
            }

            var actionCount = 0;
            var fixAllCount = 0;
            var fixAllKeys = new HashSet<(CodeFixProvider, string?)>();
            foreach (var diagnostic in fixable)
            {
                var before = analysis.Ours.Count(d => d.Id == diagnostic.Id);
                foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var where = $"{source.Origin}: {diagnostic.Id} at {diagnostic.Location.GetLineSpan().StartLinePosition} ('{diagnostic.GetMessage()}'), {provider.GetType().Name}";
                    var (actions, exception) = await Fixes.OfferedActionsAsync(provider, document, diagnostic).ConfigureAwait(false);
                    if (exception is not null)
                    {
                        failures.Enqueue($"{where}: RegisterCodeFixesAsync threw {exception}");
                        continue;
                    }

                    foreach (var action in actions)
                    {
                        actionCount++;
                        var fixedDocument = (await Fixes.ApplyAsync(action, document.Project.Solution).ConfigureAwait(false)).GetDocument(document.Id)!;
                        var fixedCompilation = (await fixedDocument.Project.GetCompilationAsync().ConfigureAwait(false))!;
                        var text = (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString();
                        var errors = Compilations.Errors(fixedCompilation);
                        if (!errors.IsEmpty)
                        {
                            failures.Enqueue($"{where}, action '{action.EquivalenceKey}': the fixed code does not compile:{Environment.NewLine}{Compilations.Describe(errors)}{Environment.NewLine}--- fixed code ---{Environment.NewLine}{text}");
                            continue;
                        }

                        var after = (await Analysis.RunAsync(fixedCompilation, concurrent: false).ConfigureAwait(false)).Ours.Count(d => d.Id == diagnostic.Id);
                        if (after >= before)
                        {
                            failures.Enqueue($"{where}, action '{action.EquivalenceKey}': {diagnostic.Id} is still reported ({before} before, {after} after){Environment.NewLine}--- fixed code ---{Environment.NewLine}{text}");
                        }

                        if (fixAllKeys.Add((provider, action.EquivalenceKey)))
                        {
                            fixAllCount++;
                            await CheckFixAllAsync(provider, document, action.EquivalenceKey, where, failures).ConfigureAwait(false);
                        }
                    }
                }
            }

            return (actionCount, fixAllCount);
        }

        /// <summary>
        /// Fix All over a whole project of several files — the sample, which holds a mistake of most rules — for every
        /// provider and action: the project compiles afterwards and a second pass changes nothing.
        /// </summary>
        [Fact]
        public async Task FixAllOverTheSampleProject_CompilesAndIsIdempotent()
        {
            var directory = Repository.PathOf("samples/TorchSharp.Analyzers.Sample");
            var files = System.IO.Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (f, System.IO.File.ReadAllText(f))).ToList();
            var documents = Fixes.CreateProject(files);
            var project = documents[0].Project;
            var diagnostics = (await Fixes.AnalyzeAsync(project)).Ours;
            Assert.NotEmpty(diagnostics);
            var failures = new ConcurrentQueue<string>();
            foreach (var provider in Product.CreateCodeFixProviders())
            {
                foreach (var diagnostic in diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)))
                {
                    var document = project.GetDocument(diagnostic.Location.SourceTree)!;
                    var (actions, _) = await Fixes.OfferedActionsAsync(provider, document, diagnostic);
                    foreach (var key in actions.Select(a => a.EquivalenceKey).Distinct())
                    {
                        var once = await Fixes.FixAllAsync(provider, document, key, FixAllScope.Project);
                        var onceProject = once.GetProject(project.Id)!;
                        var errors = Compilations.Errors((await onceProject.GetCompilationAsync())!);
                        if (!errors.IsEmpty)
                        {
                            failures.Enqueue($"sample project, Fix All '{key}' ({diagnostic.Id}): the fixed project does not compile:{Environment.NewLine}{Compilations.Describe(errors)}");
                            continue;
                        }

                        var twice = await Fixes.FixAllAsync(provider, onceProject.GetDocument(document.Id)!, key, FixAllScope.Project);
                        foreach (var id in onceProject.DocumentIds)
                        {
                            var a = (await onceProject.GetDocument(id)!.GetTextAsync()).ToString();
                            var b = (await twice.GetDocument(id)!.GetTextAsync()).ToString();
                            if (a != b)
                            {
                                failures.Enqueue($"sample project, Fix All '{key}' ({diagnostic.Id}): not idempotent in {onceProject.GetDocument(id)!.Name}");
                            }
                        }
                    }
                }
            }

            Assert.True(failures.IsEmpty, string.Join(Environment.NewLine + Environment.NewLine, failures));
        }

        private static async Task CheckFixAllAsync(CodeFixProvider provider, Document document, string? key, string where, ConcurrentQueue<string> failures)
        {
            var once = (await Fixes.FixAllAsync(provider, document, key, FixAllScope.Document).ConfigureAwait(false)).GetDocument(document.Id)!;
            var onceText = (await once.GetTextAsync().ConfigureAwait(false)).ToString();
            var errors = Compilations.Errors((await once.Project.GetCompilationAsync().ConfigureAwait(false))!);
            if (!errors.IsEmpty)
            {
                failures.Enqueue($"{where}, Fix All '{key}': the fixed code does not compile:{Environment.NewLine}{Compilations.Describe(errors)}{Environment.NewLine}--- fixed code ---{Environment.NewLine}{onceText}");
                return;
            }

            var twice = (await Fixes.FixAllAsync(provider, once, key, FixAllScope.Document).ConfigureAwait(false)).GetDocument(document.Id)!;
            var twiceText = (await twice.GetTextAsync().ConfigureAwait(false)).ToString();
            if (twiceText != onceText)
            {
                failures.Enqueue($"{where}, Fix All '{key}': not idempotent, a second Fix All changed the code again{Environment.NewLine}--- after one pass ---{Environment.NewLine}{onceText}{Environment.NewLine}--- after two ---{Environment.NewLine}{twiceText}");
            }
        }
    }
}
