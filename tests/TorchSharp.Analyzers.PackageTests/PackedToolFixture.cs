using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// Packs the command-line tool (cli/TorchSharp.Analyzers.Cli.csproj) once, Release, with a unique prerelease
    /// version, into a temporary folder feed, and installs it from there into a temporary tool path with
    /// <c>dotnet tool install --tool-path</c>, as a user installs it. Everything it creates outside the repository's
    /// Release bin/obj is deleted afterwards (the temporary folder, and that version in the global packages folder).
    /// </summary>
    public sealed class PackedToolFixture : IAsyncLifetime
    {
        public const string PackageId = "TorchSharp.Analyzers.Cli";
        public const string Command = "torchsharp-analyzers";
        public const string ProjectRelativePath = "cli/TorchSharp.Analyzers.Cli/TorchSharp.Analyzers.Cli.csproj";

        public PackedToolFixture()
        {
            Packages = new PackedPackageFixture();
            Version = string.Create(CultureInfo.InvariantCulture, $"0.0.0-e2e.{DateTime.UtcNow.Ticks}.{Environment.ProcessId}");
            WorkRoot = Path.Combine(Path.GetTempPath(), "torchsharp-analyzers-tool-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            FeedDirectory = Path.Combine(WorkRoot, "feed");
            ToolPath = Path.Combine(WorkRoot, "tools");
        }

        /// <summary>Only for its repository root and its process helpers; it packs nothing here.</summary>
        private PackedPackageFixture Packages { get; }

        public string RepositoryRoot => Packages.RepositoryRoot;

        public string Version { get; }

        public string WorkRoot { get; }

        public string FeedDirectory { get; }

        public string ToolPath { get; }

        /// <summary>The installed command's executable, once installed.</summary>
        public string CommandPath => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? Command + ".exe" : Command);

        public ProcessResult? Restore { get; private set; }

        public ProcessResult? Pack { get; private set; }

        public ProcessResult? Install { get; private set; }

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(FeedDirectory);
            var project = Path.Combine(RepositoryRoot, ProjectRelativePath.Replace('/', Path.DirectorySeparatorChar));

            // As for the analyzer package: restore without the version, then pack with --no-restore, so the other
            // projects' obj/project.assets.json stay as the Debug build wrote them. Version (not only PackageVersion):
            // the tool reports its informational version, so a run can prove it is this build.
            Restore = await DotnetCli.RunAsync(RepositoryRoot, PackedPackageFixture.RestoreTimeout, "restore", project, "-nodeReuse:false").ConfigureAwait(false);
            if (!Restore.Succeeded)
            {
                return;
            }

            Pack = await DotnetCli.RunAsync(
                RepositoryRoot,
                PackedPackageFixture.PackTimeout,
                "pack", project, "-c", "Release", "--no-restore", "-o", FeedDirectory,
                "-p:Version=" + Version, "-p:UseSharedCompilation=false", "-nodeReuse:false").ConfigureAwait(false);
            if (!Pack.Succeeded)
            {
                return;
            }

            Install = await DotnetCli.RunAsync(
                WorkRoot,
                PackedPackageFixture.RestoreTimeout,
                "tool", "install", PackageId, "--tool-path", ToolPath, "--add-source", FeedDirectory, "--version", Version).ConfigureAwait(false);
        }

        /// <summary>The installed command; fails the calling test with the output of the step that failed.</summary>
        public string EnsureInstalled()
        {
            foreach (var (step, result) in new[] { ("Restoring the tool project", Restore), ("Packing the tool", Pack), ("Installing the tool", Install) })
            {
                if (result is null || !result.Succeeded)
                {
                    Assert.Fail(step + " failed:" + Environment.NewLine + result?.Describe());
                }
            }

            Assert.True(File.Exists(CommandPath), $"'{CommandPath}' was not installed:{Environment.NewLine}{Install!.Describe()}");
            return CommandPath;
        }

        public Task DisposeAsync()
        {
            TryDelete(WorkRoot);
            var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                 ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var packageFolder = Path.Combine(globalPackages, PackageId.ToLowerInvariant());
            TryDelete(Path.Combine(packageFolder, Version.ToLowerInvariant()));
            if (Directory.Exists(packageFolder) && !Directory.EnumerateFileSystemEntries(packageFolder).Any())
            {
                TryDelete(packageFolder);
            }

            return Task.CompletedTask;
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
