using System;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench.Benchmarks
{
    /// <summary>
    /// The BenchmarkDotNet suite: the compiler alone (the baseline, so the Ratio column is "times the compiler") against
    /// the compiler with our analyzers, with an empty analyzer of our shape (the driver's own cost), and with CA2000, on
    /// the generated corpora with and without TorchSharp. Every invocation compiles a fresh compilation, single-threaded.
    /// </summary>
    public class AnalyzerCost
    {
        private CorpusSpec? _corpus;
        private Microsoft.CodeAnalysis.CSharp.CSharpCompilation? _compilation;
        private ImmutableArray<DiagnosticAnalyzer> _ours;
        private ImmutableArray<DiagnosticAnalyzer> _empty;
        private ImmutableArray<DiagnosticAnalyzer> _reference;

        /// <summary>Generated files.</summary>
        [Params(50, 200, 1000)]
        public int Files { get; set; }

        /// <summary>Whether the corpus references TorchSharp (otherwise the same code against the Fake stand-in).</summary>
        [Params(true, false)]
        public bool TorchSharp { get; set; }

        /// <summary>In process (the harness needs no generated project), monitoring strategy: each invocation takes seconds.</summary>
        public static IConfig CreateConfig()
            => DefaultConfig.Instance
                .AddJob(Job.Default
                    .WithToolchain(InProcessEmitToolchain.Instance)
                    .WithStrategy(RunStrategy.Monitoring)
                    .WithLaunchCount(1)
                    .WithWarmupCount(1)
                    .WithIterationCount(5)
                    .WithGcServer(true)
                    .WithGcConcurrent(true))
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddExporter(MarkdownExporter.GitHub)
                .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

        [GlobalSetup]
        public void Setup()
        {
            _corpus = CorpusSpec.Generated(Files, TorchSharp);
            _ours = AnalyzerSets.Ours();
            _empty = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer());
            _reference = ImmutableArray.Create(AnalyzerSets.Reference());
        }

        /// <summary>Every invocation gets freshly parsed trees, parsed outside the measurement.</summary>
        [IterationSetup]
        public void FreshCompilation() => _compilation = _corpus!.NewCompilation();

        [Benchmark(Baseline = true, Description = "compiler")]
        public int Compiler() => _compilation!.GetDiagnostics().Length;

        [Benchmark(Description = "compiler + ours")]
        public int CompilerAndOurs() => Analyze(_ours);

        [Benchmark(Description = "compiler + empty analyzer")]
        public int CompilerAndEmpty() => Analyze(_empty);

        [Benchmark(Description = "compiler + CA2000")]
        public int CompilerAndReference() => Analyze(_reference);

        private int Analyze(ImmutableArray<DiagnosticAnalyzer> analyzers)
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
            return _compilation!.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult().Length;
        }
    }
}
