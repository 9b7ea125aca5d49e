using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>Nothing ever throws: no analyzer (AD0001) and no code fix throws, on pathological code and on thousands of mutated sources.</summary>
    public class NeverThrowsTests
    {
        /// <summary>Mutants per run (issue 8 asks for at least 5,000; they are cheap).</summary>
        public const int MutantCount = 10000;

        /// <summary>The mutants run in this many theory cases, each in parallel inside.</summary>
        public const int Batches = 20;

        /// <summary>How long the analyzers may take on one pathological case.</summary>
        private static readonly TimeSpan PathologicalTimeLimit = TimeSpan.FromSeconds(60);

        private readonly ITestOutputHelper _output;

        public NeverThrowsTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<string> PathologicalCases()
        {
            var data = new TheoryData<string>();
            foreach (var (name, _) in PathologicalSources.All())
            {
                data.Add(name);
            }

            return data;
        }

        public static TheoryData<int> MutantBatches()
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < Batches; i++)
            {
                data.Add(i);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(PathologicalCases))]
        public async Task PathologicalCode_NoAnalyzerOrFixThrows(string name)
        {
            var files = PathologicalSources.All().Single(c => c.Name == name).Files;
            var stopwatch = Stopwatch.StartNew();
            var compilation = Compilations.Create("Pathological", files.Select((f, i) => Compilations.Parse(f, $"Pathological{i}.cs")));
            using var cancellation = new CancellationTokenSource();
            var analysis = Task.Run(() => Analysis.RunAsync(compilation, cancellationToken: cancellation.Token));
            var finished = await Task.WhenAny(analysis, Task.Delay(PathologicalTimeLimit)) == analysis;
            cancellation.Cancel();
            Assert.True(finished, $"pathological case '{name}': the analyzers did not finish within {PathologicalTimeLimit.TotalSeconds} s (a hang or a super-linear analysis)");
            var result = await analysis;
            Assert.True(result.Exceptions.IsEmpty, $"pathological case '{name}': an analyzer threw:{Environment.NewLine}{string.Join(Environment.NewLine, result.Exceptions)}");
            _output.WriteLine($"{name}: {result.Ours.Count()} diagnostics ({string.Join(", ", result.Ours.GroupBy(d => d.Id).Select(g => g.Key + "×" + g.Count()))}) in {stopwatch.ElapsedMilliseconds} ms");

            if (files.Length == 1)
            {
                var document = Fixes.CreateDocument(files[0]);
                var analyzed = await Fixes.AnalyzeAsync(document.Project);
                // Fix All only where there are few diagnostics: on the huge generated methods it is slow (reported separately).
                var problems = await FixRobustness.RunAsync(document, analyzed.Diagnostics, maxDiagnostics: 12, fixAll: analyzed.Ours.Count() <= 40);
                Assert.True(problems.Count == 0, $"pathological case '{name}': a code fix threw:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
            }
        }

        [Fact]
        public void Corpus_IsLargeEnough()
        {
            _output.WriteLine($"corpus: {Corpus.All.Length} sources ({TestSources.All.Length} from the rule tests, {DocExamples.All.Length} docs examples, {Corpus.ValidCodeFiles().Length} ValidCode files)");
            Assert.True(TestSources.All.Length >= 100, $"only {TestSources.All.Length} sources recovered from tests/TorchSharp.Analyzers.Tests/Rules; the extraction is broken");
        }

        /// <summary>
        /// Mutant <c>n</c> (see <see cref="Mutations.Create"/>, seed <see cref="Mutations.Seed"/>) is analyzed by every
        /// analyzer; for every 10th mutant that has diagnostics, every offered fix and Fix All run too.
        /// </summary>
        [Theory]
        [MemberData(nameof(MutantBatches))]
        public void MutatedSources_NoAnalyzerOrFixThrows(int batch)
        {
            var corpus = Corpus.All;
            var failures = new ConcurrentQueue<string>();
            var withDiagnostics = 0;
            var fixed_ = 0;
            var stopwatch = Stopwatch.StartNew();
            var size = MutantCount / Batches;
            Parallel.For(batch * size, (batch + 1) * size, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, number =>
            {
                var mutant = Mutations.Create(corpus, number);
                try
                {
                    var compilation = Compilations.Create(mutant.Code, "Mutant.cs");
                    var result = Analysis.Run(compilation, concurrent: false);
                    if (!result.Exceptions.IsEmpty)
                    {
                        failures.Enqueue($"{mutant.Name}: an analyzer threw:{Environment.NewLine}{string.Join(Environment.NewLine, result.Exceptions)}");
                        return;
                    }

                    if (result.Ours.Any() && Interlocked.Increment(ref withDiagnostics) % 10 == 0)
                    {
                        Interlocked.Increment(ref fixed_);
                        var document = Fixes.CreateDocument(mutant.Code, "Mutant.cs");
                        var analyzed = Fixes.AnalyzeAsync(document.Project).GetAwaiter().GetResult();
                        foreach (var problem in FixRobustness.RunAsync(document, analyzed.Diagnostics, maxDiagnostics: 3).GetAwaiter().GetResult())
                        {
                            failures.Enqueue($"{mutant.Name}: {problem}");
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{mutant.Name}: {e}");
                }
            });

            _output.WriteLine($"batch {batch}: mutants {batch * size}–{(batch + 1) * size - 1} (seed {Mutations.Seed}), {withDiagnostics} with diagnostics, fixes run on {fixed_}, {stopwatch.ElapsedMilliseconds} ms");
            Assert.True(failures.IsEmpty, $"{failures.Count} failures (seed {Mutations.Seed}); first ones:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures.Take(5))}");
        }
    }
}
