using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench.Harness
{
    /// <summary>One phase only, repeated: a quiet target for a profiler (dotnet-trace, dotnet-counters).</summary>
    internal static class Loop
    {
        public static int Run(string phase, HarnessOptions options)
        {
            var corpora = new List<CorpusSpec>();
            if (!options.SkipGenerated)
            {
                corpora.AddRange(options.EffectiveSizes.Select(size => CorpusSpec.Generated(size, withTorchSharp: true)));
            }

            corpora.AddRange(options.Paths.Select(path => CorpusSpec.Folder(path, options.Project)));
            var iterations = options.Iterations > 0 ? options.Iterations : 3;
            ImmutableArray<DiagnosticAnalyzer> analyzers = phase switch
            {
                "compiler" => ImmutableArray<DiagnosticAnalyzer>.Empty,
                "ours" => AnalyzerSets.Ours(options.AnalyzersPath),
                "empty" => ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyAnalyzer()),
                "ca2000" => ImmutableArray.Create(AnalyzerSets.Reference()),
                _ => throw new ArgumentException("unknown phase: " + phase + " (compiler, ours, empty, ca2000)"),
            };

            CallbackProfiler.Calibrate();
            foreach (var corpus in corpora)
            {
                for (var i = 0; i < iterations; i++)
                {
                    if (analyzers.IsEmpty)
                    {
                        var run = Phases.Compiler(corpus);
                        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: compiler {1:F0} ms", corpus.Name, run.Time.TotalMilliseconds));
                    }
                    else
                    {
                        // Telemetry from a run without the profiler; processor time from a run through it (its own cost subtracted).
                        var run = Phases.Analyzers(corpus, analyzers);
                        var profiler = new CallbackProfiler();
                        Phases.Analyzers(corpus, analyzers, profiler);
                        Console.WriteLine(string.Format(
                            CultureInfo.InvariantCulture,
                            "{0}: {1} {2:F1} ms, CPU {3:F1} ms (wall {4:F0} ms) {5}",
                            corpus.Name,
                            phase,
                            run.Execution.TotalMilliseconds,
                            profiler.TotalCpu.TotalMilliseconds,
                            run.Wall.TotalMilliseconds,
                            string.Join(", ", run.PerAnalyzer.Select(p => p.Analyzer + " " + p.Time.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)))));
                        Console.WriteLine("  CPU by analyzer: " + string.Join(", ", profiler.ByAnalyzer.Select(p => p.Analyzer + " " + p.Cpu.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture))));
                        Console.WriteLine("  slowest: " + string.Join(", ", profiler.Slowest(5).Select(s => s.Symbol.ToDisplayString() + " " + s.Cpu.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture))));
                    }
                }
            }

            return 0;
        }
    }
}
