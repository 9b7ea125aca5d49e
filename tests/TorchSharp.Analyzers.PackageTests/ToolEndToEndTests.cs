using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// The packed command-line tool, installed with <c>dotnet tool install</c> from a local folder source and run as
    /// a user runs it: on the sample, as SARIF, and with <c>--fix --dry-run</c> on a copy of a loose file.
    /// </summary>
    [Collection(PackingCollection.Name)]
    public sealed class ToolEndToEndTests : IClassFixture<PackedToolFixture>
    {
        private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

        private readonly PackedToolFixture tool;

        public ToolEndToEndTests(PackedToolFixture tool) => this.tool = tool;

        [Fact]
        public async Task Installed_ChecksTheSample_WithFindingsAndExitCode1()
        {
            var command = tool.EnsureInstalled();
            var sample = Path.Combine(tool.RepositoryRoot, "samples", "TorchSharp.Analyzers.Sample");

            var run = await DotnetCli.RunAsync(command, tool.WorkRoot, RunTimeout, "check", sample);

            Assert.True(run.ExitCode == 1, run.Describe());
            foreach (var id in new[] { "TORCH001", "TORCH002", "TORCH006", "TORCH008" })
            {
                Assert.Contains(" " + id + ": ", run.Output, StringComparison.Ordinal);
            }

            // The sample folder holds its restored project: the installed tool loads it with the SDK's MSBuild.
            Assert.Contains("note: TorchSharp.Analyzers.Sample.csproj was loaded with MSBuild", run.Output, StringComparison.Ordinal);
            Assert.Contains("; the code compiled without errors.", run.Output, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Installed_WritesSarifWithItsVersion()
        {
            var command = tool.EnsureInstalled();
            var sample = Path.Combine(tool.RepositoryRoot, "samples", "TorchSharp.Analyzers.Sample");
            var report = Path.Combine(tool.WorkRoot, "sample.sarif");

            var run = await DotnetCli.RunAsync(command, tool.WorkRoot, RunTimeout, "check", sample, "--format", "sarif", "--output", report);

            Assert.True(run.ExitCode == 1, run.Describe());
            var sarif = JsonNode.Parse(File.ReadAllText(report))!;
            Assert.Equal("2.1.0", (string)sarif["version"]!);
            var driver = sarif["runs"]![0]!["tool"]!["driver"]!;
            Assert.Equal("TorchSharp.Analyzers", (string)driver["name"]!);
            Assert.Equal(tool.Version, (string)driver["version"]!);
            Assert.NotEmpty(sarif["runs"]![0]!["results"]!.AsArray());
        }

        [Fact]
        public async Task Installed_FixDryRun_PrintsADiff_AndWritesNothing()
        {
            var command = tool.EnsureInstalled();
            var folder = Path.Combine(tool.WorkRoot, "loose-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, "Predict.cs");
            const string source = @"using TorchSharp;
using static TorchSharp.torch;

public static class Predict
{
    public static Tensor Run(Tensor input)
    {
        var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5));
        model.eval();
        return model.call(input);
    }
}
";
            File.WriteAllText(file, source);

            var run = await DotnetCli.RunAsync(command, folder, RunTimeout, "check", ".", "--fix", "--dry-run");

            Assert.True(run.ExitCode is 0 or 1, run.Describe());
            Assert.Contains("--- a/Predict.cs", run.Output, StringComparison.Ordinal);
            Assert.Contains("no_grad", run.Output, StringComparison.Ordinal);
            Assert.Contains("1 file would change; ", run.Output, StringComparison.Ordinal);
            Assert.Equal(source, File.ReadAllText(file));
        }
    }
}
