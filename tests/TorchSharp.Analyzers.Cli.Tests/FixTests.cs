using System;
using System.IO;
using System.Linq;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary><c>check --fix</c> on a copy of the sample: dry run writes nothing, a fix run leaves compiling code, a second run changes nothing.</summary>
    public sealed class FixTests
    {
        [Fact]
        public void Fix_WithImplicitUsings_FixesTheFile_WritesNoGeneratedFile()
        {
            using var folder = new TempFolder();
            folder.Write("Loose.csproj", Sources.ImplicitUsingsProject);
            folder.Write("A.cs", Sources.MissingEvalWithoutUsings);

            var fix = CliRunner.Run("check", folder.Path, "--fix");
            var after = CheckTests.Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Clean);

            Assert.True(fix.Error.Length == 0, fix.Error);
            Assert.Contains("fixed A.cs (+", fix.Output);
            Assert.EndsWith("1 file changed; no findings remain." + Environment.NewLine, fix.Output);
            Assert.Equal(0, (int)after["compilerErrors"]!);
            Assert.Equal(new[] { "A.cs", "Loose.csproj" }, Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void DryRun_PrintsTheDiff_WritesNothing()
        {
            using var folder = CopyOfSample();
            var before = Snapshot(folder.Path);

            var run = CliRunner.Run("check", folder.Path, "--fix", "--dry-run");

            Assert.Equal(before, Snapshot(folder.Path));
            Assert.Contains("--- a/Predictor.cs", run.Output);
            Assert.Contains("+++ b/Predictor.cs", run.Output);
            Assert.Contains("\n+", run.Output);
            Assert.Contains(" would change; ", run.Output);
        }

        [Fact]
        public void Fix_ThenCheck_FindsOnlyWhatTheFixReportedAsRemaining_AndASecondFixChangesNothing()
        {
            using var folder = CopyOfSample();
            var before = CheckTests.Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Findings);

            var fix = CliRunner.Run("check", folder.Path, "--fix");
            var after = CliRunner.Run("check", folder.Path, "--format", "json");
            var afterJson = CheckTests.Json(after, after.ExitCode);
            var afterFixFiles = Snapshot(folder.Path);
            var second = CliRunner.Run("check", folder.Path, "--fix");

            Assert.True(fix.Error.Length == 0, fix.Error);
            Assert.Contains("fixed Predictor.cs (+", fix.Output);
            Assert.Equal(0, (int)afterJson["compilerErrors"]!);
            Assert.True(afterJson["findings"]!.AsArray().Count < before["findings"]!.AsArray().Count, fix.Output);
            Assert.Equal(fix.ExitCode, after.ExitCode);
            var remaining = afterJson["findings"]!.AsArray().Count;
            Assert.EndsWith(remaining == 0 ? "no findings remain." + Environment.NewLine : "remain (" + string.Join(", ",
                afterJson["findings"]!.AsArray().Select(f => (string)f!["ruleId"]!).Distinct().OrderBy(i => i, StringComparer.Ordinal)) + ")." + Environment.NewLine, fix.Output);
            Assert.StartsWith("0 files changed; ", second.Output);
            Assert.Equal(afterFixFiles, Snapshot(folder.Path));
        }

        [Fact]
        public void Fix_OnlyTheSelectedRule()
        {
            using var folder = CopyOfSample();

            CliRunner.Run("check", folder.Path, "--fix", "--rule", "TORCH006");
            var after = CheckTests.Json(CliRunner.Run("check", folder.Path, "--format", "json"), ExitCodes.Findings);

            var ids = after["findings"]!.AsArray().Select(f => (string)f!["ruleId"]!).ToList();
            Assert.DoesNotContain("TORCH006", ids);
            Assert.Contains("TORCH008", ids);
        }

        [Fact]
        public void Fix_WithAnAction_AppliesThatAction()
        {
            using var folder = CopyOfSample();
            var evaluator = Path.Combine(folder.Path, "Evaluator.cs");

            var defaultRun = CliRunner.Run("check", folder.Path, "--fix", "--dry-run", "--rule", "TORCH002");
            CliRunner.Run("check", folder.Path, "--fix", "--rule", "TORCH002", "--action", TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider.UsingDeclarationKey);

            Assert.Contains("+            using (torch.no_grad())", defaultRun.Output);
            Assert.Contains("using var ", File.ReadAllText(evaluator));
            Assert.DoesNotContain("using (torch.no_grad())", File.ReadAllText(evaluator));
        }

        [Fact]
        public void Fix_WithAnActionNoProviderOffers_ChangesNothing()
        {
            using var folder = CopyOfSample();
            var before = Snapshot(folder.Path);

            var run = CliRunner.Run("check", folder.Path, "--fix", "--action", "NoSuchAction");

            Assert.Equal(ExitCodes.Findings, run.ExitCode);
            Assert.StartsWith($"0 files changed; {CliRunner.SampleFacts().Findings} findings remain", run.Output);
            Assert.Equal(before, Snapshot(folder.Path));
        }

        [Fact]
        public void DryRunWithoutFix_IsAUsageError()
        {
            var run = CliRunner.Run("check", CliRunner.Sample, "--dry-run");

            Assert.Equal(ExitCodes.Error, run.ExitCode);
            Assert.Contains("only go with --fix", run.Error);
        }

        [Fact]
        public void Fix_ReadOnlyFile_IsAClearError()
        {
            using var folder = CopyOfSample();
            var predictor = Path.Combine(folder.Path, "Predictor.cs");
            File.SetAttributes(predictor, FileAttributes.ReadOnly);
            var before = Snapshot(folder.Path);
            try
            {
                var run = CliRunner.Run("check", folder.Path, "--fix", "--rule", "TORCH006");

                Assert.Equal(ExitCodes.Error, run.ExitCode);
                Assert.Contains("'Predictor.cs' is read-only", run.Error);
                Assert.Equal(before, Snapshot(folder.Path));
            }
            finally
            {
                File.SetAttributes(predictor, FileAttributes.Normal);
            }
        }

        private static TempFolder CopyOfSample()
        {
            var folder = new TempFolder();
            foreach (var file in Directory.GetFiles(CliRunner.Sample, "*.cs"))
            {
                File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
            }

            return folder;
        }

        private static string Snapshot(string root)
            => string.Join("\n", Directory.GetFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => f + "=" + File.ReadAllText(f)));
    }
}
