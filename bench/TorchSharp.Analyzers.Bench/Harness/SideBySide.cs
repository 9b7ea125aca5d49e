using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench.Harness
{
    /// <summary>What the side-by-side run measures.</summary>
    internal sealed class HarnessOptions
    {
        public bool Quick { get; set; }

        public List<int> Sizes { get; } = new List<int>();

        /// <summary>Iterations per phase; 0 = the mode's default (quick: 3 for small corpora, 2 for the others — one iteration of the largest is at the mercy of a single garbage collection; full: 5).</summary>
        public int Iterations { get; set; }

        public List<string> Paths { get; } = new List<string>();

        /// <summary>How the <see cref="Paths"/> folders are compiled (implicit usings, extra references).</summary>
        public FolderProject Project { get; set; } = FolderProject.Plain;

        /// <summary>Another build of TorchSharp.Analyzers.dll to measure instead of the referenced one.</summary>
        public string? AnalyzersPath { get; set; }

        /// <summary>Also run each of our analyzers alone on the largest TorchSharp corpus.</summary>
        public bool Isolate { get; set; }

        public int MethodLines { get; set; } = 500;

        public bool SkipGenerated { get; set; }

        /// <summary>Also measure our analyzers with every body pre-bound (<see cref="PreBindAnalyzer"/>); on by default in full mode.</summary>
        public bool Prebound { get; set; }

        public IReadOnlyList<int> EffectiveSizes => Sizes.Count > 0 ? Sizes : new[] { 50, 200, 1000 };

        public int IterationsFor(int lines)
            => Iterations > 0 ? Iterations
               : Quick ? (lines < 20_000 ? 3 : 2)
               : 5;
    }

    /// <summary>The measurements of one corpus: for each quantity, the best (least) over the iterations.</summary>
    internal sealed class CorpusResult
    {
        public CorpusResult(CorpusSpec corpus, int iterations)
        {
            Corpus = corpus;
            Iterations = iterations;
        }

        public CorpusSpec Corpus { get; }

        public int Iterations { get; }

        /// <summary>The compiler phase with the least wall time.</summary>
        public CompilerRun Compiler { get; init; } = new CompilerRun();

        /// <summary>Least thread processor time of the compiler phase.</summary>
        public TimeSpan CompilerThreadCpu { get; init; }

        /// <summary>Least process processor time of the compiler phase.</summary>
        public TimeSpan CompilerProcessCpu { get; init; }

        /// <summary>The run with our analyzers with the least telemetry time (its per-analyzer times and findings are reported).</summary>
        public AnalyzerRun Ours { get; init; } = new AnalyzerRun();

        /// <summary>Least wall time of GetAnalyzerDiagnosticsAsync with our analyzers.</summary>
        public TimeSpan OursWall { get; init; }

        /// <summary>Least process processor time of GetAnalyzerDiagnosticsAsync with our analyzers.</summary>
        public TimeSpan OursProcessCpu { get; init; }

        /// <summary>Least thread processor time inside our callbacks (callback profiler), and that run's profiler.</summary>
        public TimeSpan OursCpu { get; init; }

        public ProfileSummary? Profile { get; init; }

        /// <summary>Least thread processor time inside our callbacks when every body was bound before (their own work only); null when not measured.</summary>
        public TimeSpan? OursPreboundCpu { get; init; }

        public double OursPreboundOverCompilerCpu => OursPreboundCpu is { } cpu ? cpu.TotalMilliseconds / CompilerThreadCpu.TotalMilliseconds : double.NaN;

        /// <summary>The empty analyzer's run with the least wall time; measured on TorchSharp corpora only.</summary>
        public AnalyzerRun? Empty { get; init; }

        public TimeSpan? EmptyProcessCpu { get; init; }

        /// <summary>CA2000's run with the least telemetry time; skipped in quick mode where it would dominate the run time.</summary>
        public AnalyzerRun? Reference { get; init; }

        public double OursOverCompiler => Ours.Execution.TotalMilliseconds / Compiler.Time.TotalMilliseconds;

        public double OursCpuOverCompilerCpu => OursCpu.TotalMilliseconds / CompilerThreadCpu.TotalMilliseconds;

        public double OursOverReference => Reference is null || Reference.Execution.TotalMilliseconds == 0 ? double.NaN : Ours.Execution.TotalMilliseconds / Reference.Execution.TotalMilliseconds;

        public double OursPerThousandLines => Ours.Execution.TotalMilliseconds * 1000.0 / Corpus.Lines;

        public double OursCpuPerThousandLines => OursCpu.TotalMilliseconds * 1000.0 / Corpus.Lines;

        public double CompilerPerThousandLines => Compiler.Time.TotalMilliseconds * 1000.0 / Corpus.Lines;

        /// <summary>
        /// What our analyzers add to the wall time of an analyzer run, over an empty analyzer of the same shape. The
        /// driver compiles on one thread while it analyses on another, so on two cores this hides much of our cost.
        /// </summary>
        public TimeSpan? MarginalWall => Empty is null ? null : OursWall - Empty.Wall;

        public double MarginalWallOverCompiler => MarginalWall is { } marginal ? marginal.TotalMilliseconds / Compiler.Time.TotalMilliseconds : double.NaN;

        /// <summary>The same difference in processor time of the process: everything our analyzers cause, wherever it runs.</summary>
        public TimeSpan? MarginalCpu => EmptyProcessCpu is { } empty ? OursProcessCpu - empty : null;

        public double MarginalCpuOverCompiler => MarginalCpu is { } marginal ? marginal.TotalMilliseconds / CompilerProcessCpu.TotalMilliseconds : double.NaN;
    }

    /// <summary>The single-method measurement.</summary>
    internal sealed class MethodResult
    {
        public string Method { get; init; } = string.Empty;

        public int MethodLines { get; init; }

        /// <summary>Thread processor time of all our analyzers' callbacks for that method, best of the repeats.</summary>
        public TimeSpan MethodCpu { get; init; }

        /// <summary>Telemetry of our analyzers over the whole compilation (the method and the models it uses), best of the repeats.</summary>
        public TimeSpan CompilationTime { get; init; }

        public TimeSpan CompilerTime { get; init; }

        public int Repeats { get; init; }
    }

    /// <summary>Runs every phase on every corpus, in one process, and hands the results to the report.</summary>
    internal sealed class SideBySide
    {
        private readonly HarnessOptions _options;
        private readonly Action<string> _progress;
        private ImmutableArray<DiagnosticAnalyzer> _ours;
        private ImmutableArray<DiagnosticAnalyzer> _empty;
        private ImmutableArray<DiagnosticAnalyzer> _reference;

        public SideBySide(HarnessOptions options, Action<string> progress)
        {
            _options = options;
            _progress = progress;
        }

        public string OursLocation { get; private set; } = string.Empty;

        public ImmutableArray<string> OurAnalyzerNames { get; private set; }

        /// <summary>The diagnostic ids of each of our analyzers, by analyzer name.</summary>
        public ImmutableDictionary<string, ImmutableHashSet<string>> OurDiagnosticIds { get; private set; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

        public string ReferenceName { get; private set; } = string.Empty;

        public List<CorpusResult> Results { get; } = new List<CorpusResult>();

        public MethodResult? Method { get; private set; }

        public List<(string Analyzer, AnalyzerRun Run)> Isolated { get; } = new List<(string, AnalyzerRun)>();

        public string IsolatedCorpus { get; private set; } = string.Empty;

        public TimeSpan WarmUp { get; private set; }

        /// <summary>The callback profiler's own processor time per callback, subtracted from every callback it times.</summary>
        public TimeSpan ProfilerOwnCost { get; private set; }

        /// <summary>Editor-like latency: the documents of the slowest methods of the largest corpus, each analysed alone on a fresh compilation.</summary>
        public List<(string Path, int Lines, TimeSpan Compiler, TimeSpan Ours, int Findings)> Documents { get; } = new List<(string, int, TimeSpan, TimeSpan, int)>();

        public string DocumentsCorpus { get; private set; } = string.Empty;

        public void Run()
        {
            _ours = AnalyzerSets.Ours(_options.AnalyzersPath);
            OursLocation = AnalyzerSets.OursLocation(_ours);
            OurAnalyzerNames = _ours.Select(a => a.GetType().Name).ToImmutableArray();
            OurDiagnosticIds = _ours.ToImmutableDictionary(a => a.GetType().Name, a => a.SupportedDiagnostics.Select(d => d.Id).ToImmutableHashSet(StringComparer.Ordinal));
            _empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
            var reference = AnalyzerSets.Reference();
            ReferenceName = reference.GetType().FullName ?? reference.GetType().Name;
            _reference = ImmutableArray.Create(reference);

            var watch = Stopwatch.StartNew();
            _progress("warm-up (JIT of the compiler, the driver and every analyzer) …");
            foreach (var withTorch in new[] { true, false })
            {
                Measure(CorpusSpec.Generated(20, withTorch), withTorch ? 2 : 1, forceReference: true);
            }

            Phases.Profile(CorpusSpec.LargeMethod(_options.MethodLines), _ours);
            ProfilerOwnCost = TimeSpan.FromTicks(CallbackProfiler.Calibrate() / 100);
            WarmUp = watch.Elapsed;

            if (!_options.SkipGenerated)
            {
                foreach (var size in _options.EffectiveSizes)
                {
                    foreach (var withTorch in new[] { true, false })
                    {
                        var corpus = CorpusSpec.Generated(size, withTorch);
                        Results.Add(Measure(corpus, _options.IterationsFor(corpus.Lines), forceReference: false));
                    }
                }
            }

            foreach (var path in _options.Paths)
            {
                var corpus = CorpusSpec.Folder(path, _options.Project);
                Results.Add(Measure(corpus, _options.IterationsFor(corpus.Lines), forceReference: false));
            }

            Method = MeasureMethod();
            MeasureDocuments();

            if (_options.Isolate && Largest() is { } largest)
            {
                IsolatedCorpus = largest.Corpus.Name;
                foreach (var analyzer in _ours)
                {
                    _progress("alone: " + analyzer.GetType().Name + " on " + largest.Corpus.Name);
                    var runs = Enumerable.Range(0, Math.Min(2, _options.IterationsFor(largest.Corpus.Lines)))
                        .Select(_ => Phases.Analyzers(largest.Corpus, ImmutableArray.Create(analyzer)))
                        .ToList();
                    Isolated.Add((analyzer.GetType().Name, runs.OrderBy(r => r.Execution).First()));
                }
            }
        }

        /// <summary>The largest TorchSharp corpus measured.</summary>
        public CorpusResult? Largest() => Results.Where(r => r.Corpus.HasTorchSharp).OrderByDescending(r => r.Corpus.Lines).FirstOrDefault();

        private CorpusResult Measure(CorpusSpec corpus, int iterations, bool forceReference)
        {
            var withEmpty = corpus.HasTorchSharp;

            // Quick mode: the reference only where its ratio means something and it does not dominate the run time.
            var withReference = forceReference || !_options.Quick || (corpus.HasTorchSharp && corpus.Lines < 100_000);
            var compiler = new List<CompilerRun>();
            var ours = new List<AnalyzerRun>();
            var profiles = new List<ProfileSummary>();
            var empty = new List<AnalyzerRun>();
            var reference = new List<AnalyzerRun>();
            var prebound = new List<TimeSpan>();
            var withPrebound = _options.Prebound && corpus.HasTorchSharp;
            for (var i = 0; i < iterations; i++)
            {
                _progress(corpus.Name + " (" + corpus.Lines + " lines), iteration " + (i + 1) + "/" + iterations);
                var compilerRun = Phases.Compiler(corpus);

                // Telemetry as Roslyn reports it, with nothing between the driver's clock and our callbacks; processor
                // time per callback from a second run through the profiler, whose own cost it subtracts.
                var oursRun = Phases.Analyzers(corpus, _ours);
                var profile = new CallbackProfiler();
                Phases.Analyzers(corpus, _ours, profile);
                var emptyRun = withEmpty ? Phases.Analyzers(corpus, _empty) : null;
                var referenceRun = withReference ? Phases.Analyzers(corpus, _reference) : null;
                if (withPrebound)
                {
                    var preboundProfile = new CallbackProfiler();
                    Phases.Analyzers(corpus, ImmutableArray.Create<DiagnosticAnalyzer>(new PreBindAnalyzer()).AddRange(preboundProfile.Wrap(_ours)));
                    prebound.Add(preboundProfile.TotalCpu);
                }

                compiler.Add(compilerRun);
                ours.Add(oursRun);
                profiles.Add(profile.Summarize(20));
                if (emptyRun != null)
                {
                    empty.Add(emptyRun);
                }

                if (referenceRun != null)
                {
                    reference.Add(referenceRun);
                }

                _progress(FormattableString.Invariant(
                    $"  compiler {compilerRun.Time.TotalMilliseconds:F0} ms (thread CPU {compilerRun.ThreadCpu.TotalMilliseconds:F0}); ours {oursRun.Execution.TotalMilliseconds:F1} ms (CPU {profile.TotalCpu.TotalMilliseconds:F1}; run wall {oursRun.Wall.TotalMilliseconds:F0}, CPU {oursRun.Cpu.TotalMilliseconds:F0}); empty run wall {emptyRun?.Wall.TotalMilliseconds ?? double.NaN:F0}, CPU {emptyRun?.Cpu.TotalMilliseconds ?? double.NaN:F0}; CA2000 {referenceRun?.Execution.TotalMilliseconds ?? double.NaN:F0} ms{(prebound.Count > i ? FormattableString.Invariant($"; ours pre-bound CPU {prebound[i].TotalMilliseconds:F0} ms") : string.Empty)}"));
            }

            var bestProfile = profiles.OrderBy(p => p.TotalCpu).First();
            return new CorpusResult(corpus, iterations)
            {
                Compiler = compiler.OrderBy(r => r.Time).First(),
                CompilerThreadCpu = compiler.Min(r => r.ThreadCpu),
                CompilerProcessCpu = compiler.Min(r => r.Cpu),
                Ours = ours.OrderBy(r => r.Execution).First(),
                OursWall = ours.Min(r => r.Wall),
                OursProcessCpu = ours.Min(r => r.Cpu),
                OursCpu = bestProfile.TotalCpu,
                Profile = bestProfile,
                Empty = empty.OrderBy(r => r.Wall).FirstOrDefault(),
                EmptyProcessCpu = empty.Count == 0 ? null : empty.Min(r => r.Cpu),
                OursPreboundCpu = prebound.Count == 0 ? null : prebound.Min(),
                Reference = reference.OrderBy(r => r.Execution).FirstOrDefault(),
            };
        }

        private void MeasureDocuments()
        {
            if (!(Largest() is { Profile: { } profile } largest))
            {
                return;
            }

            DocumentsCorpus = largest.Corpus.Name;
            var paths = profile.Slowest
                .Select(s => s.Path)
                .Where(p => p.Length > 0)
                .Distinct(StringComparer.Ordinal)
                .Take(3)
                .ToList();
            foreach (var path in paths)
            {
                _progress("one document on a fresh compilation: " + path);
                var runs = Enumerable.Range(0, _options.Quick ? 2 : 3).Select(_ => Phases.Document(largest.Corpus, path, _ours)).ToList();
                var lines = largest.Corpus.Trees.First(t => t.FilePath == path).GetText().Lines.Count;
                Documents.Add((path, lines, runs.Min(r => r.Compiler), runs.Min(r => r.Ours), runs[0].Findings));
            }
        }

        private MethodResult MeasureMethod()
        {
            var corpus = CorpusSpec.LargeMethod(_options.MethodLines);
            var repeats = _options.Quick ? 5 : 10;
            var best = TimeSpan.MaxValue;
            var bestCompilation = TimeSpan.MaxValue;
            var bestCompiler = TimeSpan.MaxValue;
            var name = string.Empty;
            var lines = 0;
            for (var i = 0; i < repeats; i++)
            {
                _progress(corpus.Name + ", repeat " + (i + 1) + "/" + repeats);
                var (profiler, compilation) = Phases.Profile(corpus, _ours);
                var method = compilation.GetTypeByMetadataName("Bench.Project.Workflows.Experiment")!.GetMembers("Run").Single();
                var time = profiler.CpuOf(method.ToDisplayString());
                best = time < best ? time : best;
                name = method.ContainingType.Name + "." + method.Name;
                lines = CallbackProfiler.LinesOf(method);
                var telemetry = Phases.Analyzers(corpus, _ours).Execution;
                bestCompilation = telemetry < bestCompilation ? telemetry : bestCompilation;
                var compiler = Phases.Compiler(corpus).Time;
                bestCompiler = compiler < bestCompiler ? compiler : bestCompiler;
            }

            return new MethodResult
            {
                Method = name,
                MethodLines = lines,
                MethodCpu = best,
                CompilationTime = bestCompilation,
                CompilerTime = bestCompiler,
                Repeats = repeats,
            };
        }
    }
}
