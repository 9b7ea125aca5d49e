using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>
    /// The analyzers answer many questions from syntax and skip the flow of bodies whose silence they can prove
    /// (docs/performance.md). With <c>torchsharp_analyzers.exhaustive_flow = true</c> every shortcut is off, every body
    /// is analysed in full and no answer comes from the text index (callers are found by binding every call,
    /// <c>Flow/Modes/BoundCallSites.cs</c>); the diagnostics must be exactly the same, on the sample, ValidCode, every test
    /// source, thousands of mutants and the indirect calls of <see cref="IndirectCallSources"/>
    /// (docs/architecture.md, "exhaustive_flow and the equivalence tests").
    /// </summary>
    public class ShortcutEquivalenceTests
    {
        /// <summary>Mutants compared per run, in <see cref="Batches"/> theory cases (numbered apart from the never-throws mutants).</summary>
        public const int MutantCount = 2000;

        public const int Batches = 4;

        private const int FirstMutant = 100_000;

        private static readonly GlobalConfig Exhaustive = new(new Dictionary<string, string> { ["torchsharp_analyzers.exhaustive_flow"] = "true" });

        private readonly ITestOutputHelper _output;

        public ShortcutEquivalenceTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<int> MutantBatches()
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < Batches; i++)
            {
                data.Add(i);
            }

            return data;
        }

        [Fact]
        public void SampleAndValidCode_SameDiagnosticsWithoutShortcuts()
        {
            var trees = Corpus.SampleAndValidCodeTrees();
            var difference = Compare(Compilations.Create("Shortcuts", trees), out var count);
            Assert.True(difference is null, difference);
            Assert.True(count > 0, "the sample and ValidCode produced no diagnostics, so the comparison proves nothing");
        }

        [Fact]
        public void EveryTestSource_SameDiagnosticsWithoutShortcuts()
        {
            var (failures, withDiagnostics) = CompareEach(Corpus.All.Select(source => (source.Origin, source.Code, "Source.cs")).ToList());
            _output.WriteLine($"{Corpus.All.Length} sources, {withDiagnostics} with diagnostics");
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(5)));
            Assert.True(withDiagnostics >= 100, $"only {withDiagnostics} test sources have diagnostics; the comparison proves little");
        }

        /// <summary>
        /// Calls the text tier finds by name only with care (<see cref="IndirectCallSources"/>): method groups, delegates,
        /// interfaces, constructor chains, aliases, extension methods, escaped names. The exhaustive run binds every call
        /// of the compilation (<c>Flow/Modes/BoundCallSites.cs</c>), so a caller the text misses shows as a difference.
        /// </summary>
        [Fact]
        public void IndirectCalls_SameDiagnosticsWithoutShortcuts()
        {
            var failures = new List<string>();
            var withDiagnostics = 0;
            void Check(string name, Compilation compilation)
            {
                var errors = Compilations.Errors(compilation);
                Assert.True(errors.IsEmpty, name + ": does not compile" + Environment.NewLine + Compilations.Describe(errors));
                if (Compare(compilation, out var count) is { } difference)
                {
                    failures.Add(name + ": " + difference);
                }

                withDiagnostics += count > 0 ? 1 : 0;
            }

            foreach (var (name, code) in IndirectCallSources.Single)
            {
                Check(name, Compilations.Create(code));
            }

            foreach (var (name, files) in IndirectCallSources.Multiple)
            {
                Check(name, Compilations.Create("Indirect", files.Select((file, i) => Compilations.Parse(file, $"File{i}.cs"))));
            }

            var total = IndirectCallSources.Single.Count + IndirectCallSources.Multiple.Count;
            _output.WriteLine($"{total} sources, {withDiagnostics} with diagnostics");
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.True(withDiagnostics >= total / 2, $"only {withDiagnostics} of {total} sources have diagnostics; the comparison proves little");
        }

        [Theory]
        [MemberData(nameof(MutantBatches))]
        public void MutatedSources_SameDiagnosticsWithoutShortcuts(int batch)
        {
            var size = MutantCount / Batches;
            var mutants = Enumerable.Range(FirstMutant + (batch * size), size)
                .Select(number => Mutations.Create(Corpus.All, number))
                .Select(mutant => (mutant.Name, mutant.Code, "Mutant.cs"))
                .ToList();
            var (failures, withDiagnostics) = CompareEach(mutants);
            _output.WriteLine($"batch {batch}: {size} mutants, {withDiagnostics} with diagnostics");
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(5)));
            Assert.True(withDiagnostics >= size / 6, $"only {withDiagnostics} of {size} mutants have diagnostics; the comparison proves little");
        }

        /// <summary>Each source in a compilation of its own, in parallel: what differs, and how many have diagnostics.</summary>
        private static (List<string> Failures, int WithDiagnostics) CompareEach(IReadOnlyList<(string Name, string Code, string Path)> sources)
        {
            var failures = new ConcurrentQueue<string>();
            var withDiagnostics = 0;
            Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, source =>
            {
                if (Compare(Compilations.Create(source.Code, source.Path), out var count) is { } difference)
                {
                    failures.Enqueue(source.Name + ": " + difference);
                }

                if (count > 0)
                {
                    Interlocked.Increment(ref withDiagnostics);
                }
            });
            return (failures.ToList(), withDiagnostics);
        }

        /// <summary>Null when both runs report the same; otherwise what differs. <paramref name="count"/>: the diagnostics of the default run.</summary>
        private static string? Compare(Compilation compilation, out int count)
        {
            var fast = Describe(Analysis.Run(compilation, concurrent: false));
            var full = Describe(Analysis.Run(compilation, concurrent: false, options: Exhaustive));
            count = fast.Count;
            return fast.SequenceEqual(full)
                ? null
                : "with shortcuts only:" + Environment.NewLine + "    " + string.Join(Environment.NewLine + "    ", fast.Except(full))
                  + Environment.NewLine + "exhaustive only:" + Environment.NewLine + "    " + string.Join(Environment.NewLine + "    ", full.Except(fast));
        }

        private static List<string> Describe(AnalysisResult result)
            => result.Diagnostics
                .Select(d => $"{d.Id} {d.Location.SourceTree?.FilePath}:{d.Location.SourceSpan} {d.GetMessage()}")
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();
    }
}
