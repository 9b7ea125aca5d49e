using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    public sealed class CheckTests
    {
        [Fact]
        public void Sample_ReportsItsFindingsGroupedByFile_ExitsOne()
        {
            var run = CliRunner.Run("check", CliRunner.Sample, "--loose");

            Assert.Equal(ExitCodes.Findings, run.ExitCode);
            Assert.Equal(string.Empty, run.Error);
            foreach (var id in new[] { "TORCH001", "TORCH002", "TORCH003", "TORCH005", "TORCH006", "TORCH008" })
            {
                Assert.Contains(" " + id + ": ", run.Output);
                Assert.Contains("docs/rules/" + id + ".md", run.Output);
            }

            Assert.Contains("Predictor.cs" + System.Environment.NewLine + "  ", run.Output);
            Assert.Contains("│ TORCH001 │", run.Output);
            Assert.Contains(CliRunner.SampleSummary(), run.Output);
            Assert.DoesNotContain("\u001b[", run.Output);
        }

        [Fact]
        public void LooseFolder_ReportsRelativePaths_SkipsBinAndObj()
        {
            using var folder = new TempFolder();
            folder.Write("sub/A.cs", Sources.MissingEval);
            folder.Write("B.cs", Sources.Correct);
            folder.Write("sub/bin/Debug/C.cs", Sources.MissingEval);
            folder.Write("obj/D.cs", Sources.MissingEval);

            var json = Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Findings);

            Assert.Equal(2, (int)json["files"]!);
            Assert.Equal(0, (int)json["compilerErrors"]!);
            var finding = Assert.Single(json["findings"]!.AsArray())!;
            Assert.Equal("TORCH001", (string)finding["ruleId"]!);
            Assert.Equal("sub/A.cs", (string)finding["path"]!);
            Assert.Equal("warning", (string)finding["severity"]!);
            Assert.Equal(14, (int)finding["line"]!);
        }

        [Fact]
        public void CorrectCode_NoFindings_ExitsZero()
        {
            using var folder = new TempFolder();
            folder.Write("B.cs", Sources.Correct);

            var run = CliRunner.Run("check", folder.Path);

            Assert.Equal(ExitCodes.Clean, run.ExitCode);
            Assert.Contains("no findings; 1 C# file checked; the code compiled without errors.", run.Output);
        }

        [Fact]
        public void SingleFile_IsChecked()
        {
            using var folder = new TempFolder();
            var file = folder.Write("A.cs", Sources.MissingEval);
            folder.Write("B.cs", Sources.MissingEval);

            var json = Json(CliRunner.Run("check", file, "--format", "json"), ExitCodes.Findings);

            Assert.Equal(1, (int)json["files"]!);
            Assert.Equal("A.cs", (string)Assert.Single(json["findings"]!.AsArray())!["path"]!);
        }

        [Fact]
        public void EditorConfig_SeverityNone_SilencesTheRule()
        {
            using var folder = new TempFolder();
            folder.Write("sub/A.cs", Sources.MissingEval);
            folder.Write("sub/.editorconfig", "[*.cs]\ndotnet_diagnostic.TORCH001.severity = none\n");

            var run = CliRunner.Run("check", folder.Path);

            Assert.Equal(ExitCodes.Clean, run.ExitCode);
        }

        [Fact]
        public void EditorConfig_SeverityError_RaisesTheFinding()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            folder.Write(".editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.TORCH001.severity = error\n");

            var json = Json(CliRunner.Run("check", folder.Path, "--format", "json", "--severity", "error"), ExitCodes.Findings);

            Assert.Equal("error", (string)Assert.Single(json["findings"]!.AsArray())!["severity"]!);
        }

        [Fact]
        public void GlobalConfig_InTheFolderOrAbove_AppliesAsInABuild_AlsoUnderFix()
        {
            using var folder = new TempFolder();
            folder.Write("repo/src/A.cs", Sources.MissingEval);
            // Above the checked folder, with no is_global line: a build finds it by its name.
            folder.Write(".globalconfig", "dotnet_diagnostic.TORCH001.severity = none\n");
            var checkedFolder = Path.Combine(folder.Path, "repo");

            var check = CliRunner.Run("check", checkedFolder, "--format", "json");
            var fix = CliRunner.Run("check", checkedFolder, "--fix", "--dry-run");

            Assert.Empty(Json(check, ExitCodes.Clean)["findings"]!.AsArray());
            Assert.StartsWith("0 files would change; no findings remain.", fix.Output);
        }

        [Fact]
        public void GlobalConfig_RaisesTheSeverity()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            folder.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.TORCH001.severity = error\n");

            var json = Json(CliRunner.Run("check", folder.Path, "--format", "json", "--severity", "error"), ExitCodes.Findings);

            Assert.Equal("error", (string)Assert.Single(json["findings"]!.AsArray())!["severity"]!);
        }

        [Fact]
        public void CompilerErrors_AreCounted()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            folder.Write("Broken.cs", "namespace Loose { public class Broken { public Missing M() => null; } }");

            var run = CliRunner.Run("check", folder.Path);

            Assert.Equal(ExitCodes.Findings, run.ExitCode);
            Assert.Contains("the code had 1 compiler error (unresolved code limits what can be proven).", run.Output);
        }

        [Fact]
        public void ImplicitUsings_EnabledByAProjectFileUnderTheFolder_AddsTheSdkGlobalUsings()
        {
            using var folder = new TempFolder();
            folder.Write("src/Loose.csproj", Sources.ImplicitUsingsProject);
            folder.Write("src/A.cs", Sources.MissingEvalWithoutUsings);

            var run = CliRunner.Run("check", folder.Path);
            var json = Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Findings);

            Assert.Contains("1 finding in 1 file; 1 C# file checked; the code compiled without errors. src/Loose.csproj enables ImplicitUsings: the SDK's implicit global usings were added.", run.Output);
            Assert.Equal(1, (int)json["files"]!);
            Assert.Equal(0, (int)json["compilerErrors"]!);
            Assert.Equal("src/Loose.csproj", (string)json["implicitUsings"]!["project"]!);
            Assert.Contains("System.Collections.Generic", json["implicitUsings"]!["namespaces"]!.AsArray().Select(n => (string)n!));
            Assert.Equal("src/A.cs", (string)Assert.Single(json["findings"]!.AsArray())!["path"]!);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><ImplicitUsings>disable</ImplicitUsings></PropertyGroup></Project>")]
        public void ImplicitUsings_WithoutAnEnablingProjectFile_TheMissingUsingsAreCompilerErrors(string? project)
        {
            using var folder = new TempFolder();
            if (project is not null)
            {
                folder.Write("Loose.csproj", project);
            }

            folder.Write("A.cs", Sources.MissingEvalWithoutUsings);

            var json = Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Findings);

            Assert.True((int)json["compilerErrors"]! >= 3, json.ToJsonString());
            Assert.Null(json["implicitUsings"]);
        }

        [Fact]
        public void RuleFilter_KeepsOnlyTheNamedRules()
        {
            var json = Json(CliRunner.Run("check", CliRunner.Sample, "--loose", "--format", "json", "--rule", "TORCH001", "--rule", "torch003"), ExitCodes.Findings);

            Assert.Equal(new[] { "TORCH001", "TORCH003" }, json["findings"]!.AsArray().Select(f => (string)f!["ruleId"]!).OrderBy(i => i).ToArray());
        }

        [Fact]
        public void SeverityFilter_ErrorOnly_SampleHasNone_ExitsZero()
        {
            var run = CliRunner.Run("check", CliRunner.Sample, "--loose", "--severity", "error");

            Assert.Equal(ExitCodes.Clean, run.ExitCode);
            Assert.Contains($"no findings; {CliRunner.SampleFacts().Files} C# files checked", run.Output);
        }

        [Fact]
        public void IncludeAndExclude_SelectTheFiles()
        {
            using var folder = new TempFolder();
            folder.Write("sub/A.cs", Sources.MissingEval);
            folder.Write("other/B.cs", Sources.MissingEval.Replace("class Runner", "class Runner2"));

            var excluded = Json(CliRunner.Run("check", folder.Path, "--format", "json", "--exclude", "sub/**"), ExitCodes.Findings);
            var included = Json(CliRunner.Run("check", folder.Path, "--format", "json", "--include", "A.cs"), ExitCodes.Findings);
            var none = CliRunner.Run("check", folder.Path, "--include", "*.txt");

            Assert.Equal("other/B.cs", (string)Assert.Single(excluded["findings"]!.AsArray())!["path"]!);
            Assert.Equal("sub/A.cs", (string)Assert.Single(included["findings"]!.AsArray())!["path"]!);
            Assert.Equal(ExitCodes.Error, none.ExitCode);
            Assert.Contains("matches the --include/--exclude patterns", none.Error);
        }

        [Fact]
        public void OutputFile_GetsTheReport_ConsoleGetsTheSummary()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            var report = Path.Combine(folder.Path, "out", "..", "report.json");

            var run = CliRunner.Run("check", folder.Path, "--format", "json", "--output", report);

            Assert.Equal(ExitCodes.Findings, run.ExitCode);
            Assert.Contains("1 finding in 1 file", run.Output);
            Assert.Equal("TORCH001", (string)JsonNode.Parse(File.ReadAllText(report))!["findings"]![0]!["ruleId"]!);
        }

        [Fact]
        public void Check_DoesNotChangeTheCheckedFolder()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.MissingEval);
            folder.Write(".editorconfig", "[*.cs]\ndotnet_diagnostic.TORCH001.severity = error\n");
            var before = Snapshot(folder.Path);

            CliRunner.Run("check", folder.Path);
            CliRunner.Run("check", folder.Path, "--format", "sarif");

            Assert.Equal(before, Snapshot(folder.Path));
        }

        internal static JsonObject Json(CliRun run, int expectedExitCode)
        {
            Assert.True(expectedExitCode == run.ExitCode, $"exit code {run.ExitCode}, expected {expectedExitCode}; stderr: {run.Error}");
            return JsonNode.Parse(run.Output)!.AsObject();
        }

        private static string Snapshot(string root)
            => string.Join("\n", Directory.GetFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f)
                .Select(f => f + "=" + File.ReadAllText(f)));
    }
}
