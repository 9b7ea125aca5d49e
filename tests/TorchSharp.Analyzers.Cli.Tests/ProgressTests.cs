using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>What the progress display is told: the stages of a check with their counts, and each project or file by name.</summary>
    public sealed class ProgressTests : IClassFixture<TwoProjectSolution>
    {
        private readonly TwoProjectSolution solution;

        public ProgressTests(TwoProjectSolution solution) => this.solution = solution;

        [Fact]
        public void Solution_LoadsThenAnalyzesEachProjectByName_WithTheCount()
        {
            var progress = new RecordingProgress();

            Run(Path.Combine(solution.Path, "Two.slnx"), progress);

            Assert.Equal("Loading Two.slnx", progress.Stages[0]);
            Assert.Contains(progress.Lines, l => l.StartsWith("Loading Two.slnx: App.csproj (", StringComparison.Ordinal));
            Assert.Contains(progress.Lines, l => l.StartsWith("Loading Two.slnx: Lib.csproj (", StringComparison.Ordinal));
            Assert.Equal("Analyzing/2", progress.Stages[1]);
            Assert.Equal(new[] { "Analyzing (1/2): App", "Analyzing (2/2): Lib" }, progress.Lines.Where(l => l.StartsWith("Analyzing", StringComparison.Ordinal)).OrderBy(l => l, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void Folder_ParsesEachFile_ThenCompilesAndAnalyzes()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            folder.Write("Sub/B.cs", "namespace Sub { public static class B { } }");
            var progress = new RecordingProgress();

            Run(folder.Path, progress);

            Assert.Equal(new[] { "Parsing/2", "Compiling and analyzing 2 files" }, progress.Stages);
            Assert.Equal(new[] { "Parsing (1/2): A.cs", "Parsing (2/2): Sub/B.cs" }, progress.Lines);
        }

        [Fact]
        public void Fix_NamesEachDocumentOfEachProvider_ThenChecksTheResult()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            var progress = new RecordingProgress();

            Run(folder.Path, progress, "--fix", "--dry-run");

            var fixing = Assert.Single(progress.Stages, s => s.StartsWith("Fixing/", StringComparison.Ordinal));
            var providers = int.Parse(fixing["Fixing/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(providers >= 5, fixing);
            Assert.Equal(providers, progress.Lines.Count(l => l.StartsWith("Fixing (", StringComparison.Ordinal) && l.EndsWith("): A.cs", StringComparison.Ordinal)));
            Assert.Equal("Checking the fixed code", progress.Stages[^1]);
        }

        private static void Run(string path, RecordingProgress progress, params string[] more)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = CommandLine.Invoke(new[] { "check", path }.Concat(more).ToArray(), output, error, colors: false, progress);
            Assert.True(code != ExitCodes.Error, error.ToString());
        }

        /// <summary>Records stages as "name/total" (just "name" when the total is unknown) and items as the display would show them.</summary>
        private sealed class RecordingProgress : ProgressDisplay, ICheckProgress
        {
            private readonly StageCounter counter = new();

            public List<string> Stages { get; } = new();

            public List<string> Lines { get; } = new();

            public override T Run<T>(Func<ICheckProgress, T> work) => work(this);

            public void Stage(string name, int total)
            {
                lock (Lines)
                {
                    counter.Begin(name, total);
                    Stages.Add(total > 0 ? name + "/" + total : name);
                }
            }

            public void Item(string item)
            {
                lock (Lines)
                {
                    Lines.Add(counter.Next(item));
                }
            }
        }
    }
}
