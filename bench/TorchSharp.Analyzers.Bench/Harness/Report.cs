using System;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench.Harness
{
    /// <summary>The side-by-side results as Markdown: environment, time, processor time, memory, per analyzer, per method, targets.</summary>
    internal static class Report
    {
        public const double CompilerShareTarget = 0.05;
        public const double AbsentShareTarget = 0.005;
        public const double FoldersTogetherShareTarget = 0.03;
        public const double GrowthTarget = 1.3;
        public const double MethodTargetMilliseconds = 20;

        public static string Write(SideBySide run, HarnessOptions options, TimeSpan elapsed)
        {
            var text = new StringBuilder();
            void Line(string line = "") => text.Append(line).Append('\n');

            Line("## TorchSharp.Analyzers: cost side by side with the compiler" + (options.Quick ? " (quick mode)" : string.Empty));
            Line();
            Line("- machine: " + Environment.ProcessorCount + " cores, " + RuntimeInformation.OSDescription + ", " + RuntimeInformation.FrameworkDescription + ", "
                 + (System.Runtime.GCSettings.IsServerGC ? "server" : "workstation") + " GC, load average at the end " + LoadAverage());
            Line("- compiler: Microsoft.CodeAnalysis.CSharp " + typeof(Compilation).Assembly.GetName().Version + ", single-threaded (concurrentBuild: false, concurrentAnalysis: false), C# 12, nullable enabled");
            Line("- references: " + References.FrameworkSource + " + TorchSharp " + References.TorchSharpVersion);
            Line("- ours: " + run.OurAnalyzerNames.Length + " analyzers (" + string.Join(", ", run.OurAnalyzerNames) + ") from " + run.OursLocation);
            Line("- reference: " + run.ReferenceName + " (" + AnalyzerSets.ReferenceId + ", " + AnalyzerSets.ReferencePackage + "), severity warning");
            Line("- every phase on a fresh compilation; each number is the best of the iterations; warm-up " + Seconds(run.WarmUp) + "; whole run " + Seconds(elapsed));
            Line();
            Line("compiler = `GetDiagnostics()` (declaration, binding, nullable and flow analysis; no emit). "
                 + "ours = Roslyn analyzer telemetry `ExecutionTime` summed over our analyzers, from a run of the analyzers as they ship (wall time inside our "
                 + "callbacks; it includes binding of other methods that our analyzers ask for before the driver gets to them, which the driver then reuses). "
                 + "CA2000 = the same telemetry for the reference analyzer.");
            Line();
            Line("| corpus | files | lines | compiler ms | ours ms | ours / compiler | target | CA2000 ms | ours / CA2000 | ours ms per 1k lines | findings |");
            Line("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
            foreach (var r in run.Results)
            {
                var limit = r.Corpus.HasTorchSharp ? CompilerShareTarget : AbsentShareTarget;
                Line("| " + r.Corpus.Name + " | " + r.Corpus.Files + " | " + Int(r.Corpus.Lines) + " | " + Ms(r.Compiler.Time) + " | " + Ms(r.Ours.Execution)
                     + " | " + Percent(r.OursOverCompiler, r.Corpus.HasTorchSharp ? 1 : 3) + " | " + Verdict(r.OursOverCompiler <= limit && r.OursCpuOverCompilerCpu <= limit) + " ≤ " + Percent(limit, 1)
                     + " | " + (r.Reference is null ? "—" : Ms(r.Reference.Execution)) + " | " + (r.Reference is null ? "—" : Percent(r.OursOverReference, 1))
                     + " | " + Number(r.OursPerThousandLines, 2) + " | " + r.Ours.DiagnosticCount + " |");
            }

            if (run.Results.Any(r => r.Reference is null))
            {
                Line();
                Line("— : in quick mode CA2000 runs on the TorchSharp corpora under 100,000 lines only (on the largest it alone takes longer than everything else).");
            }

            Line();
            Line("Processor time, which other processes on the machine do not inflate" + (ThreadCpu.IsThreadTime ? string.Empty : " (this platform has no thread clock: wall time instead)")
                 + ". compiler CPU = the compiling thread's processor time; ours CPU = the thread processor time inside every callback of our analyzers, "
                 + "from a second run in which a thin wrapper forwards their registrations and reads the thread clock around every callback (the wrapper's own "
                 + "time inside that window, " + Number(run.ProfilerOwnCost.TotalMilliseconds * 1000, 2) + " µs per callback measured on empty callbacks at the "
                 + "start, is subtracted from each); ours CPU, bodies pre-bound = the same when an extra analyzer has bound every method "
                 + "body through the driver's semantic models first (what is left is our analyzers' own work; the rest is binding they pull forward for the "
                 + "driver); ours − empty = processor time of the whole process for `GetAnalyzerDiagnosticsAsync` with "
                 + "our analyzers minus the same with an empty analyzer that registers the same kinds of actions — all our analyzers cause, binding "
                 + "included — and the same difference in wall time (the driver compiles on one thread while it analyses on another, so on two cores wall "
                 + "time hides much of it).");
            Line();
            var withPrebound = run.Results.Any(r => r.OursPreboundCpu != null);
            Line("| corpus | compiler CPU ms | ours CPU ms | ours / compiler (CPU) | ours CPU per 1k lines |"
                 + (withPrebound ? " ours CPU, bodies pre-bound | / compiler CPU |" : string.Empty)
                 + " ours − empty (process CPU) ms | / compiler process CPU | ours − empty (wall) ms |");
            Line("|---|---:|---:|---:|---:|" + (withPrebound ? "---:|---:|" : string.Empty) + "---:|---:|---:|");
            foreach (var r in run.Results)
            {
                Line("| " + r.Corpus.Name + " | " + Ms(r.CompilerThreadCpu) + " | " + Ms(r.OursCpu) + " | " + Percent(r.OursCpuOverCompilerCpu, r.Corpus.HasTorchSharp ? 1 : 3)
                     + " | " + Number(r.OursCpuPerThousandLines, 2)
                     + (withPrebound ? " | " + (r.OursPreboundCpu is { } pre ? Ms(pre) : "—") + " | " + (r.OursPreboundCpu is null ? "—" : Percent(r.OursPreboundOverCompilerCpu, 1)) : string.Empty)
                     + " | " + (r.MarginalCpu is { } cpu ? Ms(cpu) : "—") + " | " + (r.MarginalCpu is null ? "—" : Percent(r.MarginalCpuOverCompiler, 1))
                     + " | " + (r.MarginalWall is { } wall ? Ms(wall) : "—") + " |");
            }

            Line();
            Line("Memory (MB): allocated = `GC.GetTotalAllocatedBytes` during the phase; peak = highest managed heap above the phase's start (`GC.GetTotalMemory`, sampled every 5 ms).");
            Line();
            Line("| corpus | compiler alloc. | compiler peak | ours run alloc. | empty run alloc. | ours alloc. (difference) | ours run peak | CA2000 run alloc. |");
            Line("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in run.Results)
            {
                Line("| " + r.Corpus.Name + " | " + Mb(r.Compiler.AllocatedBytes) + " | " + Mb(r.Compiler.PeakManagedBytes) + " | " + Mb(r.Ours.AllocatedBytes) + " | " + (r.Empty is null ? "—" : Mb(r.Empty.AllocatedBytes))
                     + " | " + (r.Empty is null ? "—" : Mb(r.Ours.AllocatedBytes - r.Empty.AllocatedBytes)) + " | " + Mb(r.Ours.PeakManagedBytes) + " | " + (r.Reference is null ? "—" : Mb(r.Reference.AllocatedBytes)) + " |");
            }

            foreach (var r in run.Results.Where(r => r.Compiler.Errors > 0))
            {
                Line();
                Line("Note: " + r.Corpus.Name + " has " + r.Compiler.Errors + " compile errors (first: `" + r.Compiler.FirstError + "`).");
            }

            var exceptions = run.Results.SelectMany(r => r.Ours.Exceptions.Select(e => r.Corpus.Name + ": " + e)).Distinct().ToList();
            Line();
            Line(exceptions.Count == 0 ? "Analyzer exceptions: none." : "Analyzer exceptions (" + exceptions.Count + "):");
            foreach (var exception in exceptions.Take(10))
            {
                Line("- " + exception);
            }

            if (run.Largest() is { Profile: { } profile } largest)
            {
                Line();
                Line("Per analyzer on " + largest.Corpus.Name + " (they share one flow engine per compilation, so the first analyzer to ask for a body's flow pays for it):");
                Line();
                Line("| analyzer | telemetry ms | CPU ms | share of ours (CPU) | findings |");
                Line("|---|---:|---:|---:|---:|");
                var cpuByAnalyzer = profile.ByAnalyzer.ToDictionary(p => p.Analyzer, p => p.Cpu, StringComparer.Ordinal);
                foreach (var (analyzer, time) in largest.Ours.PerAnalyzer.OrderByDescending(p => p.Time))
                {
                    var cpu = cpuByAnalyzer.TryGetValue(analyzer, out var value) ? value : TimeSpan.Zero;
                    Line("| " + analyzer + " | " + Ms(time) + " | " + Ms(cpu) + " | " + Percent(cpu.TotalMilliseconds / Math.Max(1e-9, largest.OursCpu.TotalMilliseconds), 1)
                         + " | " + FindingsOf(largest.Ours, analyzer, run) + " |");
                }

                Line();
                Line("By action kind on " + largest.Corpus.Name + ":");
                Line();
                Line("| analyzer | action | callbacks | CPU ms |");
                Line("|---|---|---:|---:|");
                foreach (var (analyzer, action, cpu, calls) in profile.ByAction.Take(12))
                {
                    Line("| " + analyzer + " | " + action + " | " + calls + " | " + Ms(cpu, 1) + " |");
                }

                Line();
                Line("Slowest methods on " + largest.Corpus.Name + " (thread CPU of all our callbacks for the method; the first method to ask a compilation-wide question pays for it):");
                Line();
                Line("| method | lines | CPU ms | most of it in |");
                Line("|---|---:|---:|---|");
                foreach (var slow in profile.Slowest.Take(8))
                {
                    Line("| " + slow.Method + " | " + slow.Lines + " | " + Ms(slow.Cpu, 2) + " | " + slow.TopAnalyzer + " (" + Ms(slow.TopAnalyzerCpu, 1) + ") |");
                }
            }

            if (run.Documents.Count > 0)
            {
                Line();
                Line("Editor-like latency on " + run.DocumentsCorpus + ": the documents of the slowest methods, each analysed alone on a fresh compilation (as after an edit): "
                     + "the compiler's semantic diagnostics of the document against our analyzers' telemetry for that document.");
                Line();
                Line("| document | lines | compiler ms | ours ms | findings |");
                Line("|---|---:|---:|---:|---:|");
                foreach (var (path, lines, compiler, ours, findings) in run.Documents)
                {
                    Line("| " + path + " | " + lines + " | " + Ms(compiler) + " | " + Ms(ours) + " | " + findings + " |");
                }
            }

            if (run.Isolated.Count > 0)
            {
                Line();
                Line("Each analyzer alone on " + run.IsolatedCorpus + " (no sharing of the flow engine):");
                Line();
                Line("| analyzer | telemetry ms alone | wall ms |");
                Line("|---|---:|---:|");
                foreach (var (analyzer, isolated) in run.Isolated.OrderByDescending(i => i.Run.Execution))
                {
                    Line("| " + analyzer + " | " + Ms(isolated.Execution) + " | " + Ms(isolated.Wall) + " |");
                }
            }

            if (run.Method is { } method)
            {
                Line();
                Line("Single method: `" + method.Method + "`, " + method.MethodLines + " lines (module calls, branches, loops, grad scopes), best of " + method.Repeats + ": "
                     + "our analyzers spend " + Ms(method.MethodCpu, 1) + " ms of processor time on it (all callbacks for that method); "
                     + "the whole compilation (the method + 3 model files): ours " + Ms(method.CompilationTime, 1) + " ms (telemetry), compiler " + Ms(method.CompilerTime, 1) + " ms.");
            }

            Line();
            Line("### Targets");
            Line();
            Line("A target passes only when both the telemetry (`ExecutionTime`) and the processor time meet it: on a shared machine either one alone can be flattered by noise.");
            Line();
            Line("| target | measured | verdict |");
            Line("|---|---|---|");
            foreach (var r in run.Results.Where(r => r.Corpus.HasTorchSharp))
            {
                Line("| ours ≤ 5% of the compiler, " + r.Corpus.Name + " | " + Percent(r.OursOverCompiler, 1) + " (CPU " + Percent(r.OursCpuOverCompilerCpu, 1)
                     + (r.MarginalCpu is null ? string.Empty : "; ours − empty, process CPU " + Percent(r.MarginalCpuOverCompiler, 1)) + ") | " + Verdict(r.OursOverCompiler <= CompilerShareTarget && r.OursCpuOverCompilerCpu <= CompilerShareTarget) + " |");
            }

            foreach (var r in run.Results.Where(r => !r.Corpus.HasTorchSharp))
            {
                Line("| ours ≤ 0.5% of the compiler without TorchSharp, " + r.Corpus.Name + " | " + Percent(r.OursOverCompiler, 3) + " (CPU " + Percent(r.OursCpuOverCompilerCpu, 3) + ") | "
                     + Verdict(r.OursOverCompiler <= AbsentShareTarget && r.OursCpuOverCompilerCpu <= AbsentShareTarget) + " |");
            }

            // Real code: each folder is held to the 5% above; all of them together, weighted by the compiler's time, to 3%.
            var folders = run.Results.Where(r => r.Corpus.IsFolder).ToList();
            if (folders.Count >= 2)
            {
                var share = folders.Sum(r => r.Ours.Execution.TotalMilliseconds) / folders.Sum(r => r.Compiler.Time.TotalMilliseconds);
                var cpuShare = folders.Sum(r => r.OursCpu.TotalMilliseconds) / folders.Sum(r => r.CompilerThreadCpu.TotalMilliseconds);
                Line("| ours ≤ 3% of the compiler over the " + folders.Count + " folders together (" + Int(folders.Sum(r => r.Corpus.Lines)) + " lines) | "
                     + Percent(share, 1) + " (CPU " + Percent(cpuShare, 1) + ") | " + Verdict(share <= FoldersTogetherShareTarget && cpuShare <= FoldersTogetherShareTarget) + " |");
            }

            var generated = run.Results.Where(r => r.Corpus.HasTorchSharp && r.Corpus.Name.StartsWith("TorchSharp, ", StringComparison.Ordinal)).OrderBy(r => r.Corpus.Files).ToList();
            if (generated.Count >= 2)
            {
                var small = generated[0];
                var large = generated[generated.Count - 1];
                var growth = large.OursPerThousandLines / small.OursPerThousandLines;
                var cpuGrowth = large.OursCpuPerThousandLines / small.OursCpuPerThousandLines;
                Line("| linear growth: ours per 1k lines at " + large.Corpus.Files + " files ≤ 1.3× that at " + small.Corpus.Files + " files | "
                     + Number(large.OursPerThousandLines, 2) + " / " + Number(small.OursPerThousandLines, 2) + " ms = " + Number(growth, 2) + "× (CPU "
                     + Number(cpuGrowth, 2) + "×; compiler " + Number(large.CompilerPerThousandLines / small.CompilerPerThousandLines, 2) + "×) | "
                     + Verdict(growth <= GrowthTarget && cpuGrowth <= GrowthTarget) + " |");
            }

            if (run.Method is { } single)
            {
                Line("| slowest single method < 20 ms, on a " + single.MethodLines + "-line method | " + Ms(single.MethodCpu, 1) + " ms | " + Verdict(single.MethodCpu.TotalMilliseconds < MethodTargetMilliseconds) + " |");
            }

            return text.ToString();
        }

        private static string FindingsOf(AnalyzerRun run, string analyzer, SideBySide side)
            => side.OurDiagnosticIds.TryGetValue(analyzer, out var ids)
                ? run.Diagnostics.Where(p => ids.Contains(p.Key)).Sum(p => p.Value).ToString(CultureInfo.InvariantCulture)
                : "?";

        private static string LoadAverage()
        {
            try
            {
                return System.IO.File.Exists("/proc/loadavg") ? string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
            }
            catch (System.IO.IOException)
            {
                return "n/a";
            }
        }

        private static string Verdict(bool pass) => pass ? "**PASS**" : "**FAIL**";

        private static string Int(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Ms(TimeSpan time, int decimals = -1)
        {
            var ms = time.TotalMilliseconds;
            var digits = decimals >= 0 ? decimals : Math.Abs(ms) >= 100 ? 0 : Math.Abs(ms) >= 10 ? 1 : 2;
            return ms.ToString("F" + digits, CultureInfo.InvariantCulture);
        }

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

        private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture);

        private static string Number(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

        private static string Percent(double ratio, int decimals = 2)
            => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "n/a" : (ratio * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";
    }
}
