using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// Packs package/TorchSharp.Analyzers.Package.csproj once for all tests of the class: Release (so it
    /// never fights the Debug output the other test projects use), a unique prerelease version (a package
    /// of the same version in the NuGet cache would hide the new build), into a temporary feed folder.
    /// Everything it creates outside the repository's Release bin/obj is deleted afterwards: the
    /// temporary folder, and the unique version that consumer restores extracted into the global
    /// packages folder.
    /// </summary>
    public sealed class PackedPackageFixture : IAsyncLifetime
    {
        public const string PackageId = "TorchSharp.Analyzers";
        public const string PackProjectRelativePath = "package/TorchSharp.Analyzers.Package.csproj";
        public const string TorchSharpVersion = "0.107.0";

        /// <summary>The paths whose git status the pack must leave as it found them.</summary>
        public static readonly string[] GitCheckedPaths = { "package", "tests/TorchSharp.Analyzers.PackageTests" };

        public static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);
        public static readonly TimeSpan ConsumerTimeout = TimeSpan.FromMinutes(5);

        private readonly ConcurrentDictionary<string, bool> _globalPackagesFolders = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private int _consumerCount;

        public PackedPackageFixture()
        {
            RepositoryRoot = FindRepositoryRoot();
            PackProjectPath = Path.Combine(RepositoryRoot, PackProjectRelativePath.Replace('/', Path.DirectorySeparatorChar));
            Version = string.Create(CultureInfo.InvariantCulture, $"0.0.0-e2e.{DateTime.UtcNow.Ticks}.{Environment.ProcessId}");
            WorkRoot = Path.Combine(Path.GetTempPath(), "torchsharp-analyzers-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            FeedDirectory = Path.Combine(WorkRoot, "feed");
        }

        public string RepositoryRoot { get; }

        public string PackProjectPath { get; }

        /// <summary>The unique package version of this run.</summary>
        public string Version { get; }

        /// <summary>The temporary folder that holds the feed and the consumer projects.</summary>
        public string WorkRoot { get; }

        /// <summary>The local package source the package is packed into.</summary>
        public string FeedDirectory { get; }

        public string? NupkgPath { get; private set; }

        public ProcessResult? Restore { get; private set; }

        public ProcessResult? Pack { get; private set; }

        /// <summary>`git status --porcelain` of <see cref="GitCheckedPaths"/> before the pack, or null without git.</summary>
        public string? GitStatusBeforePack { get; private set; }

        public TimeSpan FixtureDuration { get; private set; }

        public async Task InitializeAsync()
        {
            var stopwatch = Stopwatch.StartNew();
            Directory.CreateDirectory(FeedDirectory);
            GitStatusBeforePack = await GitStatusAsync().ConfigureAwait(false);

            // Restore first without the version override, then pack with --no-restore: a version given
            // to the restore would be written into every referenced project's obj/project.assets.json,
            // making the Debug builds of the other projects restore again.
            Restore = await DotnetCli.RunAsync(
                RepositoryRoot,
                RestoreTimeout,
                "restore", PackProjectPath, "-nodeReuse:false").ConfigureAwait(false);

            if (Restore.Succeeded)
            {
                Pack = await DotnetCli.RunAsync(
                    RepositoryRoot,
                    PackTimeout,
                    "pack", PackProjectPath,
                    "-c", "Release",
                    "--no-restore",
                    "-o", FeedDirectory,
                    "-p:PackageVersion=" + Version,
                    "-p:UseSharedCompilation=false",
                    "-nodeReuse:false").ConfigureAwait(false);

                var packages = Directory.GetFiles(FeedDirectory, "*.nupkg");
                if (Pack.Succeeded && packages.Length == 1)
                {
                    NupkgPath = packages[0];
                }
            }

            FixtureDuration = stopwatch.Elapsed;
        }

        /// <summary>The path of the packed .nupkg; fails the calling test with the full pack output when there is none.</summary>
        public string EnsurePacked()
        {
            if (Restore is null || !Restore.Succeeded)
            {
                Assert.Fail("Restoring the pack project failed:" + Environment.NewLine + Restore?.Describe());
            }

            if (Pack is null || !Pack.Succeeded)
            {
                Assert.Fail("Packing failed:" + Environment.NewLine + Pack?.Describe());
            }

            if (NupkgPath is null)
            {
                var found = string.Join(", ", Directory.GetFiles(FeedDirectory).Select(Path.GetFileName));
                Assert.Fail($"Expected exactly one .nupkg in {FeedDirectory}, found: [{found}]" + Environment.NewLine + Pack.Describe());
            }

            var expectedName = $"{PackageId}.{Version}.nupkg";
            Assert.True(
                string.Equals(Path.GetFileName(NupkgPath), expectedName, StringComparison.OrdinalIgnoreCase),
                $"Expected the package file {expectedName}, found {Path.GetFileName(NupkgPath)}");
            return NupkgPath!;
        }

        /// <summary>A fresh throw-away consumer project (net8.0 class library) that references the packed package and TorchSharp.</summary>
        public ConsumerProject CreateConsumer(string name)
        {
            EnsurePacked();
            var index = System.Threading.Interlocked.Increment(ref _consumerCount);
            var directory = Path.Combine(WorkRoot, string.Create(CultureInfo.InvariantCulture, $"{index:D2}-{name}"));
            return ConsumerProject.Create(directory, FeedDirectory, PackageId, Version, TorchSharpVersion, RememberGlobalPackagesFolders);
        }

        /// <summary>`git status --porcelain` of <see cref="GitCheckedPaths"/>, or null when git or the repository is unavailable.</summary>
        public async Task<string?> GitStatusAsync()
        {
            if (!Directory.Exists(Path.Combine(RepositoryRoot, ".git")) && !File.Exists(Path.Combine(RepositoryRoot, ".git")))
            {
                return null;
            }

            var arguments = new List<string> { "-C", RepositoryRoot, "status", "--porcelain", "--untracked-files=all", "--" };
            arguments.AddRange(GitCheckedPaths);
            try
            {
                var result = await DotnetCli.RunAsync("git", RepositoryRoot, TimeSpan.FromMinutes(1), arguments.ToArray()).ConfigureAwait(false);
                return result.Succeeded ? result.Output : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null; // no git on this machine
            }
        }

        public Task DisposeAsync()
        {
            TryDeleteDirectory(WorkRoot);

            // Consumer restores extracted this run's unique version into the global packages folder;
            // remove exactly that version, and the package's folder when nothing else is left in it.
            foreach (var packagesFolder in _globalPackagesFolders.Keys)
            {
                var packageFolder = Path.Combine(packagesFolder, PackageId.ToLowerInvariant());
                TryDeleteDirectory(Path.Combine(packageFolder, Version.ToLowerInvariant()));
                try
                {
                    if (Directory.Exists(packageFolder) && !Directory.EnumerateFileSystemEntries(packageFolder).Any())
                    {
                        Directory.Delete(packageFolder);
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            return Task.CompletedTask;
        }

        private void RememberGlobalPackagesFolders(string consumerDirectory)
        {
            var assets = Path.Combine(consumerDirectory, "obj", "project.assets.json");
            if (!File.Exists(assets))
            {
                return;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(assets));
                if (document.RootElement.TryGetProperty("packageFolders", out var folders) && folders.ValueKind == JsonValueKind.Object)
                {
                    foreach (var folder in folders.EnumerateObject())
                    {
                        _globalPackagesFolders.TryAdd(folder.Name, true);
                    }
                }
            }
            catch (JsonException)
            {
            }
            catch (IOException)
            {
            }
        }

        private static void TryDeleteDirectory(string path)
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

        private static string FindRepositoryRoot()
        {
            var fromBuild = typeof(PackedPackageFixture).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
            if (fromBuild is not null && File.Exists(Path.Combine(fromBuild, PackProjectRelativePath)))
            {
                return Path.GetFullPath(fromBuild);
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, PackProjectRelativePath)))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"Cannot find the repository root (a folder with {PackProjectRelativePath}) from '{fromBuild}' or '{AppContext.BaseDirectory}'.");
        }
    }
}
