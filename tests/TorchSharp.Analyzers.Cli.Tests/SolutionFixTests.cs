using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>
    /// <c>check --fix</c> on a solution and on a project: the documents of every loaded project are fixed with the
    /// projects' own references (the helper in Lib, the model in App), and a second run changes nothing. Each test
    /// restores a solution of its own, because it writes to it.
    /// </summary>
    public sealed class SolutionFixTests
    {
        [Fact]
        public void DryRun_OnASolution_PrintsTheDiffOfBothProjects_WritesNothing()
        {
            using var solution = new TwoProjectSolution();
            var before = Sources(solution.Path);

            var run = CliRunner.Run("check", Path.Combine(solution.Path, "Two.slnx"), "--fix", "--dry-run");

            Assert.True(run.Error.Length == 0, run.Error);
            Assert.Contains("--- a/App/Runner.cs", run.Output);
            Assert.Contains("--- a/Lib/Helper.cs", run.Output);
            Assert.Contains("2 files would change; ", run.Output);
            Assert.Equal(before, Sources(solution.Path));
        }

        [Fact]
        public void Fix_OnASolution_FixesBothProjects_ThenCheckIsClean_AndASecondFixChangesNothing()
        {
            using var solution = new TwoProjectSolution();
            var slnx = Path.Combine(solution.Path, "Two.slnx");

            var fix = CliRunner.Run("check", slnx, "--fix");
            var check = CliRunner.Run("check", slnx, "--format", "json");
            var afterFix = Sources(solution.Path);
            var second = CliRunner.Run("check", slnx, "--fix");

            Assert.True(fix.Error.Length == 0, fix.Error);
            Assert.Contains("fixed App/Runner.cs (+", fix.Output);
            Assert.Contains("fixed Lib/Helper.cs (+", fix.Output);
            Assert.EndsWith("2 files changed; no findings remain." + Environment.NewLine, fix.Output);
            Assert.Equal(ExitCodes.Clean, fix.ExitCode);
            var json = CheckTests.Json(check, ExitCodes.Clean);
            Assert.Equal(0, (int)json["compilerErrors"]!);
            Assert.Empty(json["findings"]!.AsArray());
            Assert.StartsWith("0 files changed; no findings remain.", second.Output);
            Assert.Equal(afterFix, Sources(solution.Path));
        }

        [Fact]
        public void Fix_OnAProject_FixesItAndTheProjectsItReferences_OnlyTheSelectedRule()
        {
            using var solution = new TwoProjectSolution();

            var fix = CliRunner.Run("check", Path.Combine(solution.Path, "App", "App.csproj"), "--fix", "--rule", "TORCH001", "--include", "Runner.cs");

            Assert.True(fix.Error.Length == 0, fix.Error);
            Assert.Contains("fixed Runner.cs (+", fix.Output);
            Assert.DoesNotContain("Helper.cs", fix.Output);
            Assert.EndsWith("1 file changed; no findings remain." + Environment.NewLine, fix.Output);
        }

        private static Dictionary<string, string> Sources(string root)
            => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
    }
}
