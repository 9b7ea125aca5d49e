using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>The compiler alone: <c>GetDiagnostics()</c> on a fresh compilation (declaration, binding and flow analysis; no emit).</summary>
    internal sealed class CompilerRun
    {
        public TimeSpan Time { get; init; }

        /// <summary>Processor time of this process during the phase: not inflated when other processes compete for the cores.</summary>
        public TimeSpan Cpu { get; init; }

        /// <summary>Processor time of the calling thread, which does all the work (concurrentBuild: false).</summary>
        public TimeSpan ThreadCpu { get; init; }

        public long AllocatedBytes { get; init; }

        public long PeakManagedBytes { get; init; }

        public int Errors { get; init; }

        public int Warnings { get; init; }

        public string FirstError { get; init; } = string.Empty;
    }

    /// <summary>A fresh compilation with analyzers: <c>CompilationWithAnalyzers.GetAnalyzerDiagnosticsAsync</c>.</summary>
    internal sealed class AnalyzerRun
    {
        /// <summary>Wall time of GetAnalyzerDiagnosticsAsync: the compiler's binding plus the driver plus the analyzers.</summary>
        public TimeSpan Wall { get; init; }

        /// <summary>Processor time of this process during GetAnalyzerDiagnosticsAsync.</summary>
        public TimeSpan Cpu { get; init; }

        /// <summary>Roslyn's analyzer telemetry: <c>ExecutionTime</c> summed over the analyzers run.</summary>
        public TimeSpan Execution { get; init; }

        public ImmutableArray<(string Analyzer, TimeSpan Time)> PerAnalyzer { get; init; }

        public long AllocatedBytes { get; init; }

        public long PeakManagedBytes { get; init; }

        public ImmutableDictionary<string, int> Diagnostics { get; init; } = ImmutableDictionary<string, int>.Empty;

        public ImmutableArray<string> Exceptions { get; init; } = ImmutableArray<string>.Empty;

        public int DiagnosticCount => Diagnostics.Values.Sum();
    }

    internal static class Phases
    {
        public static CompilerRun Compiler(CorpusSpec corpus)
        {
            var compilation = corpus.NewCompilation();
            using var memory = MemoryProbe.Start();
            var cpu = ProcessorTime();
            var thread = Measurement.ThreadCpu.Now();
            var watch = Stopwatch.StartNew();
            var diagnostics = compilation.GetDiagnostics();
            watch.Stop();
            var threadCpu = Measurement.ThreadCpu.Elapsed(thread, Measurement.ThreadCpu.Now());
            cpu = ProcessorTime() - cpu;
            var (allocated, peak) = memory.Stop();
            var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            return new CompilerRun
            {
                Time = watch.Elapsed,
                Cpu = cpu,
                ThreadCpu = threadCpu,
                AllocatedBytes = allocated,
                PeakManagedBytes = peak,
                Errors = errors.Count,
                Warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning),
                FirstError = errors.Count == 0 ? string.Empty : errors[0].ToString(),
            };
        }

        /// <summary>
        /// <paramref name="analyzers"/> on a fresh compilation; with a <paramref name="profiler"/>, each analyzer runs inside its
        /// wrapper, which also reads the thread clock around every callback (about a microsecond each, counted in the telemetry).
        /// </summary>
        public static AnalyzerRun Analyzers(CorpusSpec corpus, ImmutableArray<DiagnosticAnalyzer> analyzers, CallbackProfiler? profiler = null)
        {
            var compilation = corpus.NewCompilation();
            var names = analyzers.Select(a => a.GetType().Name).ToImmutableArray();
            analyzers = profiler is null ? analyzers : profiler.Wrap(analyzers);
            var exceptions = new ConcurrentQueue<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception.GetType().Name + ": " + exception.Message),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.WithAnalyzers(analyzers, options);

            using var memory = MemoryProbe.Start();
            var cpu = ProcessorTime();
            var watch = Stopwatch.StartNew();
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            watch.Stop();
            cpu = ProcessorTime() - cpu;
            var (allocated, peak) = memory.Stop();

            var perAnalyzer = ImmutableArray.CreateBuilder<(string, TimeSpan)>();
            var total = TimeSpan.Zero;
            for (var i = 0; i < analyzers.Length; i++)
            {
                var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[i], CancellationToken.None).GetAwaiter().GetResult();
                perAnalyzer.Add((names[i], telemetry.ExecutionTime));
                total += telemetry.ExecutionTime;
            }

            return new AnalyzerRun
            {
                Wall = watch.Elapsed,
                Cpu = cpu,
                Execution = total,
                PerAnalyzer = perAnalyzer.ToImmutable(),
                AllocatedBytes = allocated,
                PeakManagedBytes = peak,
                Diagnostics = diagnostics.GroupBy(d => d.Id).ToImmutableDictionary(g => g.Key, g => g.Count()),
                Exceptions = exceptions.ToImmutableArray(),
            };
        }

        private static TimeSpan ProcessorTime()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }

        /// <summary>
        /// One document analysed on a fresh compilation, as an editor does after an edit: the compiler's semantic
        /// diagnostics of that document, and our analyzers' telemetry for that document only.
        /// </summary>
        public static (TimeSpan Compiler, TimeSpan Ours, int Findings) Document(CorpusSpec corpus, string path, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var fresh = corpus.NewCompilation();
            var tree = fresh.SyntaxTrees.First(t => t.FilePath == path);
            var watch = Stopwatch.StartNew();
            fresh.GetSemanticModel(tree).GetDiagnostics();
            var compiler = watch.Elapsed;

            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
            var withAnalyzers = corpus.NewCompilation().WithAnalyzers(analyzers, options);
            var model = withAnalyzers.Compilation.GetSemanticModel(withAnalyzers.Compilation.SyntaxTrees.First(t => t.FilePath == path));
            var findings = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None).GetAwaiter().GetResult().Length;
            var ours = TimeSpan.Zero;
            foreach (var analyzer in analyzers)
            {
                ours += withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime;
            }

            return (compiler, ours, findings);
        }

        /// <summary>Our analyzers wrapped in the <see cref="CallbackProfiler"/>: time per method, on a fresh compilation.</summary>
        public static (CallbackProfiler Profiler, Compilation Compilation) Profile(CorpusSpec corpus, ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var profiler = new CallbackProfiler();
            var compilation = corpus.NewCompilation();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
            compilation.WithAnalyzers(profiler.Wrap(analyzers), options).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            return (profiler, compilation);
        }
    }

    /// <summary>
    /// Bytes allocated on this thread's process between start and stop (<see cref="GC.GetTotalAllocatedBytes"/>), and the
    /// peak managed heap above the starting point, sampled every few milliseconds (<see cref="GC.GetTotalMemory"/>).
    /// </summary>
    internal sealed class MemoryProbe : IDisposable
    {
        private readonly long _allocatedAtStart;
        private readonly long _heapAtStart;
        private readonly Thread _sampler;
        private long _peak;
        private volatile bool _stopped;

        private MemoryProbe()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _heapAtStart = GC.GetTotalMemory(forceFullCollection: true);
            _peak = _heapAtStart;
            _sampler = new Thread(Sample) { IsBackground = true, Name = "memory sampler", Priority = ThreadPriority.AboveNormal };
            _sampler.Start();
            _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
        }

        public static MemoryProbe Start() => new MemoryProbe();

        public (long Allocated, long Peak) Stop()
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart;
            _stopped = true;
            _sampler.Join();
            var peak = Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(forceFullCollection: false));
            return (allocated, Math.Max(0, peak - _heapAtStart));
        }

        public void Dispose()
        {
            _stopped = true;
            if (_sampler.IsAlive)
            {
                _sampler.Join();
            }
        }

        private void Sample()
        {
            while (!_stopped)
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                Thread.Sleep(5);
            }
        }
    }
}
