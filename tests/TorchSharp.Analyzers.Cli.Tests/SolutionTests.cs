using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>
    /// A two-project solution written for the test and restored once (<c>dotnet restore</c>, TorchSharp 0.107.0 from the
    /// NuGet cache): Lib has a helper that receives a model and runs inference with it; App builds the model (with
    /// Dropout), hands it to the helper, and has a trained-then-inferred model of its own.
    /// </summary>
    public sealed class TwoProjectSolution : IDisposable
    {
        private const string Sdk = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <ImplicitUsings>enable</ImplicitUsings>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n";

        private readonly TempFolder folder = new();

        public TwoProjectSolution()
        {
            folder.Write("Lib/Lib.csproj", Sdk + "  <ItemGroup>\n    <PackageReference Include=\"TorchSharp\" Version=\"0.107.0\" />\n  </ItemGroup>\n</Project>\n");
            folder.Write("Lib/Helper.cs", @"using TorchSharp;
using static TorchSharp.torch;

namespace Lib
{
    public static class Helper
    {
        public static Tensor Infer(nn.Module<Tensor, Tensor> model, Tensor input)
        {
            using (torch.no_grad())
            {
                return model.call(input);
            }
        }
    }
}
");
            folder.Write("App/App.csproj", Sdk + "  <ItemGroup>\n    <ProjectReference Include=\"../Lib/Lib.csproj\" />\n  </ItemGroup>\n</Project>\n");
            // List<> without a using: the project's ImplicitUsings must apply.
            folder.Write("App/Use.cs", @"using TorchSharp;
using static TorchSharp.torch;

namespace App
{
    public static class Use
    {
        public static Tensor Run(Tensor input)
        {
            var sizes = new List<long> { 4, 2 };
            var model = nn.Sequential(nn.Linear(4, sizes[0]), nn.Dropout(0.5), nn.Linear(sizes[0], sizes[1]));
            return Lib.Helper.Infer(model, input);
        }
    }
}
");
            folder.Write("App/Runner.cs", Sources.MissingEval);
            folder.Write("Two.slnx", "<Solution>\n  <Project Path=\"App/App.csproj\" />\n  <Project Path=\"Lib/Lib.csproj\" />\n</Solution>\n");
            folder.Write("Two.sln", string.Join("\r\n",
                "",
                "Microsoft Visual Studio Solution File, Format Version 12.00",
                "# Visual Studio Version 17",
                "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Lib\", \"Lib\\Lib.csproj\", \"{6E0B9B61-3C36-4C59-9D5B-2C1E5A4B8F01}\"",
                "EndProject",
                "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"App\", \"App\\App.csproj\", \"{6E0B9B61-3C36-4C59-9D5B-2C1E5A4B8F02}\"",
                "EndProject",
                "Global",
                "EndGlobal",
                ""));

            var restore = Process.Start(new ProcessStartInfo("dotnet", "restore Two.slnx")
            {
                WorkingDirectory = folder.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = restore.StandardOutput.ReadToEnd() + restore.StandardError.ReadToEnd();
            restore.WaitForExit();
            if (restore.ExitCode != 0)
            {
                throw new InvalidOperationException("dotnet restore of the test solution failed: " + log);
            }
        }

        public string Path => folder.Path;

        public void Dispose() => folder.Dispose();
    }

    public sealed class SolutionTests : IClassFixture<TwoProjectSolution>
    {
        private readonly TwoProjectSolution solution;

        public SolutionTests(TwoProjectSolution solution) => this.solution = solution;

        [Theory]
        [InlineData("Two.slnx")]
        [InlineData("Two.sln")]
        public void Solution_BothProjectsLoadCompileAndReport(string file)
        {
            var json = CheckTests.Json(CliRunner.Run("check", Path.Combine(solution.Path, file), "--format", "json"), ExitCodes.Findings);

            Assert.Equal(new[] { "App/App.csproj:0", "Lib/Lib.csproj:0" },
                json["projects"]!.AsArray().Select(p => (string)p!["path"]! + ":" + (int)p["compilerErrors"]!).ToArray());
            Assert.Empty(json["loadFailures"]!.AsArray());
            Assert.Equal(0, (int)json["compilerErrors"]!);
            Assert.Equal(3, (int)json["files"]!);
            Assert.Equal(
                new[] { "App/Runner.cs:14:TORCH001", "Lib/Helper.cs:12:TORCH001" },
                json["findings"]!.AsArray().Select(f => (string)f!["path"]! + ":" + (int)f["line"]! + ":" + (string)f["ruleId"]!).ToArray());
            Assert.Contains("received as parameter 'model'", (string)json["findings"]![1]!["message"]!);
        }

        [Fact]
        public void Project_LoadsItsProjectReferencesToo_TextReportNamesEachProject()
        {
            var run = CliRunner.Run("check", Path.Combine(solution.Path, "App", "App.csproj"));

            Assert.True(run.ExitCode == ExitCodes.Findings, run.Error + run.Output);
            Assert.Contains("project App.csproj: no compiler errors", run.Output);
            Assert.Contains("project ../Lib/Lib.csproj: no compiler errors", run.Output);
            Assert.Contains("2 findings in 2 files; 3 C# files checked in 2 projects; the code compiled without errors.", run.Output);
        }

        [Fact]
        public void Solution_SarifIsSchemaValidAndEqualsTheJson()
        {
            var slnx = Path.Combine(solution.Path, "Two.slnx");
            var sarif = JsonNode.Parse(CliRunner.Run("check", slnx, "--format", "sarif").Output)!;
            var json = CheckTests.Json(CliRunner.Run("check", slnx, "--format", "json"), ExitCodes.Findings);

            Assert.Equal(
                json["findings"]!.AsArray().Select(f => (string)f!["path"]! + ":" + (int)f["line"]!).ToArray(),
                sarif["runs"]![0]!["results"]!.AsArray().Select(r => (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]! + ":" + (int)r["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!).ToArray());
        }

        [Fact]
        public void Solution_WithABrokenAndAnUnrestoredProject_SaysWhy_AndChecksTheRest()
        {
            using var folder = new TempFolder();
            folder.Write("Bad/Bad.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
            folder.Write("Plain/Plain.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
            folder.Write("Plain/Plain.cs", "namespace Plain { public static class P { public static int One() => 1; } }");
            var slnx = folder.Write("Mixed.slnx", "<Solution>\n  <Project Path=\"Bad/Bad.csproj\" />\n  <Project Path=\"Plain/Plain.csproj\" />\n</Solution>\n");

            var json = CheckTests.Json(CliRunner.Run("check", slnx, "--format", "json"), ExitCodes.Clean);

            Assert.Equal("Plain/Plain.csproj", (string)Assert.Single(json["projects"]!.AsArray())!["path"]!);
            Assert.Equal(1, (int)json["files"]!);
            var failures = json["loadFailures"]!.AsArray().Select(f => (string)f!).ToList();
            Assert.Contains(failures, f => f.Contains(Path.Combine(folder.Path, "Bad", "Bad.csproj"), StringComparison.Ordinal) && f.Contains("could not be loaded", StringComparison.Ordinal));
            Assert.Contains("Plain/Plain.csproj looks not restored (no obj/project.assets.json): its package references are missing; run dotnet restore first", failures);
        }

        [Fact]
        public void Solution_WithAnFSharpProject_SaysItIsSkipped_AndChecksTheCSharpOnes()
        {
            using var folder = new TempFolder();
            folder.Write("Fs/Fs.fsproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
            folder.Write("Plain/Plain.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
            folder.Write("Plain/Plain.cs", "namespace Plain { public static class P { public static int One() => 1; } }");
            var slnx = folder.Write("Mixed.slnx", "<Solution>\n  <Project Path=\"Fs/Fs.fsproj\" />\n  <Project Path=\"Plain/Plain.csproj\" />\n</Solution>\n");

            var json = CheckTests.Json(CliRunner.Run("check", slnx, "--format", "json"), ExitCodes.Clean);

            Assert.Equal("Plain/Plain.csproj", (string)Assert.Single(json["projects"]!.AsArray())!["path"]!);
            Assert.Contains("Fs/Fs.fsproj skipped: not a C# project", json["loadFailures"]!.AsArray().Select(f => (string)f!));
        }
    }
}
