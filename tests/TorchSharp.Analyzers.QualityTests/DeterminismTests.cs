using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>Deterministic: the same compilation analyzed 20 times with concurrent execution gives identical diagnostics.</summary>
    public class DeterminismTests
    {
        public const int Runs = 20;

        [Fact]
        public void SameCompilation_SameDiagnostics_UnderConcurrency()
        {
            // The sample program (real mistakes), ValidCode, and every compiling docs example in its own namespace.
            var trees = Corpus.SampleAndValidCodeTrees();
            var compilation = Compilations.Create("Determinism", trees);
            Assert.True(compilation.GetDiagnostics().All(d => d.Severity != DiagnosticSeverity.Error), "the determinism corpus (samples + tests/ValidCode) does not compile");

            var first = Describe(Analysis.Run(compilation, concurrent: true));
            Assert.True(first.Count > 0, "the determinism corpus produced no diagnostics, so the test proves nothing");
            for (var run = 1; run < Runs; run++)
            {
                var again = Describe(Analysis.Run(compilation, concurrent: true));
                Assert.True(first.SequenceEqual(again),
                    $"run {run + 1} of {Runs} differs from run 1:{Environment.NewLine}only in run 1:{Environment.NewLine}    " +
                    string.Join(Environment.NewLine + "    ", first.Except(again)) + $"{Environment.NewLine}only in run {run + 1}:{Environment.NewLine}    " +
                    string.Join(Environment.NewLine + "    ", again.Except(first)));
            }
        }

        private static List<string> Describe(AnalysisResult result)
        {
            Assert.True(result.Exceptions.IsEmpty, "an analyzer threw: " + string.Join(Environment.NewLine, result.Exceptions));
            return result.Diagnostics
                .Select(d =>
                {
                    var span = d.Location.GetLineSpan();
                    var additional = string.Join(";", d.AdditionalLocations.Select(l => l.GetLineSpan().ToString()));
                    return $"{d.Id} {Repository.Relative(span.Path)} {span.Span} [{additional}] {d.GetMessage()}";
                })
                .OrderBy(s => s, StringComparer.Ordinal)
                .ToList();
        }
    }
}
