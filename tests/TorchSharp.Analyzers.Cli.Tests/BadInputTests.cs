using System.IO;
using System.Linq;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>Bad input gets one clear line on stderr, no stack trace, and exit code 2.</summary>
    public sealed class BadInputTests
    {
        [Fact]
        public void MissingPath()
        {
            using var folder = new TempFolder();
            AssertUsageError(CliRunner.Run("check", Path.Combine(folder.Path, "nope")), "does not exist");
        }

        [Fact]
        public void FolderWithoutCSharp()
        {
            using var folder = new TempFolder();
            folder.Write("README.md", "# nothing");
            folder.Write("bin/Hidden.cs", Sources.MissingEval);
            AssertUsageError(CliRunner.Run("check", folder.Path), "holds no C# files");
        }

        [Fact]
        public void FileThatIsNotCSharp()
        {
            using var folder = new TempFolder();
            var file = folder.Write("notes.txt", "text");
            AssertUsageError(CliRunner.Run("check", file), "is not a C# file");
        }

        [Fact]
        public void ProjectFile_ThatMSBuildCannotRead_SaysWhy()
        {
            using var folder = new TempFolder();
            var project = folder.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
            AssertUsageError(CliRunner.Run("check", project), "no C# project of 'App.csproj' could be loaded: ");
        }

        [Fact]
        public void Fix_OnAProjectThatDoesNotLoad_SaysWhy_AndWritesNothing()
        {
            using var folder = new TempFolder();
            var project = folder.Write("App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
            AssertUsageError(CliRunner.Run("check", project, "--fix"), "no C# project of 'App.csproj' could be loaded: ");
            Assert.Equal(new[] { "App.csproj" }, Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName).ToArray());
        }

        [Fact]
        public void UnknownFormat()
            => AssertUsageError(CliRunner.Run("check", CliRunner.Sample, "--loose", "--format", "xml"), "'xml'");

        [Fact]
        public void UnknownRule()
            => AssertUsageError(CliRunner.Run("check", CliRunner.Sample, "--loose", "--rule", "CA2000"), "unknown rule id CA2000");

        [Fact]
        public void NoCommand()
            => AssertUsageError(CliRunner.Run("inspect", "."), "error:");

        [Fact]
        public void OutputIntoAMissingFolder()
        {
            using var folder = new TempFolder();
            folder.Write("A.cs", Sources.Correct);
            AssertUsageError(CliRunner.Run("check", folder.Path, "--output", Path.Combine(folder.Path, "no", "such", "dir", "r.json")), "error:");
        }

        private static void AssertUsageError(CliRun run, string expected)
        {
            Assert.Equal(ExitCodes.Error, run.ExitCode);
            Assert.Contains(expected, run.Error);
            Assert.StartsWith("error: ", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
            Assert.DoesNotContain("Exception", run.Error);
        }
    }
}
