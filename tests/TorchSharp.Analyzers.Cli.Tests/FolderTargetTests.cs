using System;
using System.IO;
using System.Linq;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>
    /// What a folder resolves to: its one restored solution or project at the top, loaded with MSBuild; otherwise its
    /// files as loose files, with a note that says why (several candidates, not restored, no C# project), or <c>--loose</c>.
    /// </summary>
    public sealed class FolderTargetTests : IClassFixture<TwoProjectSolution>
    {
        private readonly TwoProjectSolution solution;

        public FolderTargetTests(TwoProjectSolution solution) => this.solution = solution;

        [Fact]
        public void FolderWithOneRestoredProject_LoadsItWithMSBuild()
        {
            var json = CheckTests.Json(CliRunner.Run("check", Path.Combine(solution.Path, "App"), "--format", "json"), ExitCodes.Findings);

            Assert.Equal(new[] { "../Lib/Lib.csproj", "App.csproj" }, json["projects"]!.AsArray().Select(p => (string)p!["path"]!).ToArray());
            Assert.Equal("App.csproj was loaded with MSBuild (--loose checks the folder's files alone)", (string)json["note"]!);
            Assert.Equal(0, (int)json["compilerErrors"]!);
            Assert.Contains(json["findings"]!.AsArray(), f => (string)f!["path"]! == "../Lib/Helper.cs");
        }

        [Fact]
        public void Loose_ChecksTheFolderAlone()
        {
            var json = CheckTests.Json(CliRunner.Run("check", Path.Combine(solution.Path, "App"), "--loose", "--format", "json"), ExitCodes.Findings);

            Assert.Empty(json["projects"]!.AsArray());
            Assert.Null(json["note"]);
            Assert.Equal(2, (int)json["files"]!);
        }

        [Fact]
        public void FolderWithTwoSolutions_IsLoose_AndSaysWhichOnesItSaw()
        {
            var run = CliRunner.Run("check", solution.Path);

            Assert.Contains("note: the folder holds Two.sln, Two.slnx: its files were checked as loose files (name one to check it with MSBuild)", run.Output);
            Assert.DoesNotContain("project App.csproj", run.Output);
        }

        [Fact]
        public void FolderWithAnUnrestoredProject_IsLoose_AndSaysHowToGetTheBuildsView()
        {
            using var folder = new TempFolder();
            folder.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
            folder.Write("A.cs", Sources.MissingEval);

            var run = CliRunner.Run("check", folder.Path);

            Assert.Equal(ExitCodes.Findings, run.ExitCode);
            Assert.Contains("note: App.csproj is not restored (App.csproj has no obj/project.assets.json): its files were checked as loose files; run dotnet restore to check it with its projects' own references, or --loose to skip this", run.Output);
            Assert.Contains("1 finding in 1 file; 1 C# file checked; the code compiled without errors.", run.Output);
        }

        [Fact]
        public void FolderWithASolutionOfNoCSharpProject_IsLoose()
        {
            using var folder = new TempFolder();
            folder.Write("Only.slnx", "<Solution>\n  <Project Path=\"Fs/Fs.fsproj\" />\n</Solution>\n");
            folder.Write("A.cs", Sources.MissingEval);

            var run = CliRunner.Run("check", folder.Path);

            Assert.Contains("note: Only.slnx names no C# project: the folder's files were checked as loose files", run.Output);
            Assert.Equal(ExitCodes.Findings, run.ExitCode);
        }

        [Fact]
        public void Fix_OnAFolderWithOneRestoredProject_FixesThroughMSBuild_DryRun()
        {
            var run = CliRunner.Run("check", Path.Combine(solution.Path, "App"), "--fix", "--dry-run");

            Assert.StartsWith("note: App.csproj was loaded with MSBuild", run.Output);
            Assert.Contains("--- a/Runner.cs", run.Output);
            Assert.Contains("--- a/../Lib/Helper.cs", run.Output);
        }
    }
}
