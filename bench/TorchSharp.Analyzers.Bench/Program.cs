using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;
using TorchSharp.Analyzers.Bench.Benchmarks;
using TorchSharp.Analyzers.Bench.Corpus;
using TorchSharp.Analyzers.Bench.Harness;
using TorchSharp.Analyzers.Bench.Measurement;

namespace TorchSharp.Analyzers.Bench
{
    /// <summary>Entry point: the side-by-side report (quick or full), the BenchmarkDotNet suite, or a corpus written to disk.</summary>
    internal static class Program
    {
        private const string Usage = @"TorchSharp.Analyzers.Bench: our analyzers' cost side by side with the compiler (docs/performance.md).

  dotnet run -c Release --project bench/TorchSharp.Analyzers.Bench -- [options]

  --quick                  the side-by-side report in quick mode (under two minutes on 2 cores)
  (no mode)                the full side-by-side report (5 iterations, each analyzer alone too), then the BenchmarkDotNet suite
  --report                 the full side-by-side report only
  --bdn [arguments]        the BenchmarkDotNet suite only; the rest of the arguments go to BenchmarkDotNet (e.g. --filter *Ours*)
  --path <dir>             also measure every *.cs file under <dir>, compiled against TorchSharp + .NET 8 (repeatable)
  --only-path              measure the --path folders only, no generated corpora
  --sizes <n,n,..>         generated corpus sizes in files (default 50,200,1000)
  --iterations <n>         iterations per phase (default: quick 3/2/2 by size, full 5); the best is reported
  --method-lines <n>       length of the single generated method (default 500)
  --prebound               also measure ours with every body bound beforehand (their own work only; always in full mode)
  --isolate                also run each of our analyzers alone on the largest TorchSharp corpus (always in full mode)
  --analyzers <dll>        measure another build of TorchSharp.Analyzers.dll instead of the referenced project
  --out <file>             also write the Markdown report to <file>
  --loop <phase>           run one phase only (compiler, ours, empty, ca2000) on each --sizes corpus (TorchSharp) and --path,
                           --iterations times (default 3), printing each time: the target for a profiler such as
                           dotnet-trace collect -- dotnet <bench dll> --loop ours --sizes 200
  --findings <file>        no timing: run our analyzers (or --analyzers <dll>) over each --path folder, compiled as for
                           the report, and write to <file> per folder its compiler errors, the count per rule and every
                           diagnostic (rule, file:line:column, message, source line); implies --only-path
  --implicit-usings        with --path: add the SDK's implicit global usings (and <Using Include> items) to a folder whose
                           project file enables ImplicitUsings, as its real build does (timing, --loop and --findings alike)
  --reference <dll>        with --path: one more metadata reference for every folder (repeatable; e.g. TorchVision.dll)
  --write-corpus <dir>     write a generated project (TorchSharp + our analyzers) to <dir>, for a real build with
                           dotnet build -p:ReportAnalyzer=true -bl; --files <n> sets its size (default 200)
";

        private static int Main(string[] args)
        {
            try
            {
                return Run(args);
            }
            catch (ArgumentException invalid)
            {
                Console.Error.WriteLine(invalid.Message);
                Console.Error.WriteLine();
                Console.Error.Write(Usage);
                return 2;
            }
        }

        private static int Run(string[] args)
        {
            var options = new HarnessOptions();
            string? output = null;
            string? corpusDirectory = null;
            var corpusFiles = 200;
            var mode = "full";
            string? loop = null;
            string? findings = null;
            var implicitUsings = false;
            var references = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
                switch (args[i])
                {
                    case "--quick":
                        options.Quick = true;
                        mode = "report";
                        break;
                    case "--report":
                        mode = "report";
                        break;
                    case "--bdn":
                        return RunBenchmarkDotNet(args.Skip(i + 1).ToArray());
                    case "--path":
                        options.Paths.Add(Next());
                        break;
                    case "--only-path":
                        options.SkipGenerated = true;
                        break;
                    case "--sizes":
                        options.Sizes.AddRange(Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
                        break;
                    case "--iterations":
                        options.Iterations = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--method-lines":
                        options.MethodLines = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--prebound":
                        options.Prebound = true;
                        break;
                    case "--isolate":
                        options.Isolate = true;
                        break;
                    case "--analyzers":
                        options.AnalyzersPath = Next();
                        break;
                    case "--out":
                        output = Next();
                        break;
                    case "--loop":
                        loop = Next();
                        break;
                    case "--findings":
                        findings = Next();
                        break;
                    case "--reference":
                        references.Add(Next());
                        break;
                    case "--implicit-usings":
                        implicitUsings = true;
                        break;
                    case "--write-corpus":
                        corpusDirectory = Next();
                        break;
                    case "--files":
                        corpusFiles = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "-h":
                    case "--help":
                        Console.Write(Usage);
                        return 0;
                    default:
                        throw new ArgumentException("unknown argument: " + args[i]);
                }
            }

            options.Project = new FolderProject(implicitUsings, references);
            if (corpusDirectory != null)
            {
                CorpusWriter.Write(corpusDirectory, corpusFiles);
                return 0;
            }

            if (findings != null)
            {
                return Findings.Run(options, findings);
            }

            if (loop != null)
            {
                return Loop.Run(loop, options);
            }

            if (options.SkipGenerated && options.Paths.Count == 0)
            {
                throw new ArgumentException("--only-path needs at least one --path");
            }

            if (!options.Quick)
            {
                options.Isolate = true;
                options.Prebound = true;
            }

            var watch = Stopwatch.StartNew();
            var run = new SideBySide(options, message => Console.Error.WriteLine("[" + watch.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture) + "] " + message));
            run.Run();
            var report = Report.Write(run, options, watch.Elapsed);
            Console.WriteLine();
            Console.Write(report);
            if (output != null)
            {
                File.WriteAllText(output, report);
            }

            return mode == "full" ? RunBenchmarkDotNet(Array.Empty<string>()) : 0;
        }

        private static int RunBenchmarkDotNet(string[] args)
        {
            var arguments = args.Length == 0 ? new[] { "--filter", "*" } : args;
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(AnalyzerCost) }).Run(arguments, AnalyzerCost.CreateConfig());
            return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
        }
    }
}
