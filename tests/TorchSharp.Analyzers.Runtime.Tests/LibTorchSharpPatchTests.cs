using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// The ELF logic of build/LibTorchSharpGlibcxxPatch.cs (compiled into this project without its MSBuild task
    /// class). Input: the libLibTorchSharp.so the build copied next to these tests, turned back into the
    /// package's original by clearing the flag. Every test works on a private copy in a temporary directory.
    /// </summary>
    public sealed class LibTorchSharpPatchTests : IDisposable
    {
        private const string Version = "GLIBCXX_3.4.32";
        private readonly string _directory = Directory.CreateTempSubdirectory("libtorchsharp-patch-").FullName;

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        [Fact]
        public void ReadsTheVersionNeedsOfTheShippedLibrary()
        {
            var entries = ElfVersionNeedPatcher.ReadVersionNeeds(OriginalImage());

            Assert.Contains(entries, e => e.File == "libc.so.6" && e.Name == "GLIBC_2.34");
            Assert.Equal(20, entries.Count(e => e.File == "libstdc++.so.6"));
            var target = Assert.Single(entries, e => e.Name == Version);
            Assert.Equal("libstdc++.so.6", target.File);
            Assert.False(target.IsWeak);
        }

        [Fact]
        public void PatchSetsTheWeakFlagOnThatOneEntryAndChangesNothingElse()
        {
            byte[] original = OriginalImage();
            string path = WriteCopy("libLibTorchSharp.so", original);

            Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.PatchFile(path, Version));

            byte[] patched = File.ReadAllBytes(path);
            int flags = ElfVersionNeedPatcher.FindEntries(original, Version)[0].FlagsOffset;
            var differences = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
            Assert.Equal(new[] { flags }, differences);
            Assert.Equal(ElfVersionNeedPatcher.VerFlgWeak, patched[flags]);
            Assert.All(ElfVersionNeedPatcher.ReadVersionNeeds(patched).Where(e => e.Name != Version), e => Assert.False(e.IsWeak));
        }

        [Fact]
        public void PatchingAgainWritesNothing()
        {
            string path = WriteCopy("libLibTorchSharp.so", OriginalImage());
            Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.PatchFile(path, Version));
            byte[] once = File.ReadAllBytes(path);
            var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, stamp);

            Assert.Equal(ElfPatchResult.AlreadyWeak, ElfVersionNeedPatcher.PatchFile(path, Version));

            Assert.Equal(once, File.ReadAllBytes(path));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(_directory));
        }

        [Fact]
        public void PatchKeepsSizeTimestampAndPermissionsSoTheSdkCopySeesItUpToDate()
        {
            string path = WriteCopy("libLibTorchSharp.so", OriginalImage());
            var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(path, stamp);
            long size = new FileInfo(path).Length;
            UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode);
            }

            Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.PatchFile(path, Version));

            Assert.Equal(size, new FileInfo(path).Length);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(mode, File.GetUnixFileMode(path));
            }
        }

        [Fact]
        public void AHardLinkedOutputFileIsReplacedNotWrittenThrough()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return; // link(2) is how the SDK's CreateHardLinksForCopyLocalIfPossible links on Linux.
            }

            byte[] original = OriginalImage();
            string cache = WriteCopy("package-cache.so", original);
            string output = Path.Combine(_directory, "libLibTorchSharp.so");
            Assert.Equal(0, link(cache, output));

            Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.PatchFile(output, Version));

            Assert.Equal(original, File.ReadAllBytes(cache));
            Assert.True(ElfVersionNeedPatcher.FindEntries(File.ReadAllBytes(output), Version)[0].IsWeak);
        }

        [Fact]
        public void ASymbolicallyLinkedOutputFileIsReplacedNotWrittenThrough()
        {
            byte[] original = OriginalImage();
            string cache = WriteCopy("package-cache.so", original);
            string output = Path.Combine(_directory, "libLibTorchSharp.so");
            File.CreateSymbolicLink(output, cache);

            Assert.Equal(ElfPatchResult.Patched, ElfVersionNeedPatcher.PatchFile(output, Version));

            Assert.Equal(original, File.ReadAllBytes(cache));
            Assert.Null(new FileInfo(output).LinkTarget);
            Assert.True(ElfVersionNeedPatcher.FindEntries(File.ReadAllBytes(output), Version)[0].IsWeak);
        }

        [Fact]
        public void AVersionTheLibraryDoesNotNeedLeavesTheFileAlone()
        {
            byte[] original = OriginalImage();
            string path = WriteCopy("libLibTorchSharp.so", original);

            Assert.Equal(ElfPatchResult.VersionNotNeeded, ElfVersionNeedPatcher.PatchFile(path, "GLIBCXX_9.9.99"));

            Assert.Equal(original, File.ReadAllBytes(path));
        }

        [Theory]
        [InlineData("not an ELF")]
        [InlineData("truncated")]
        [InlineData("32-bit")]
        public void AFileThatCannotBeParsedIsAnErrorAndStaysUntouched(string kind)
        {
            byte[] original = OriginalImage();
            byte[] bad = kind switch
            {
                "not an ELF" => System.Text.Encoding.ASCII.GetBytes("#!/bin/sh\necho this is not a shared object\n"),
                "truncated" => original.Take(4096).ToArray(),
                _ => original.Select((b, i) => i == 4 ? (byte)1 : b).ToArray(),
            };
            string path = WriteCopy("libLibTorchSharp.so", bad);

            Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.PatchFile(path, Version));

            Assert.Equal(bad, File.ReadAllBytes(path));
        }

        [Fact]
        public void TheLibStdCxxProbeMatchesWholeNulTerminatedVersionNames()
        {
            byte[] data = System.Text.Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.30\0GLIBCXX_3.4.320\0GLIBCXX_3.4.3");

            Assert.True(LibStdCxxProbe.Contains(data, "GLIBCXX_3.4.30"));
            Assert.False(LibStdCxxProbe.Contains(data, "GLIBCXX_3.4.32"));
            Assert.False(LibStdCxxProbe.Contains(data, "GLIBCXX_3.4.31"));
        }

        // The build-output copy with the weak flag cleared again: byte for byte what the package ships.
        private static byte[] OriginalImage()
        {
            string shipped = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            byte[] image = File.ReadAllBytes(shipped);
            foreach (var entry in ElfVersionNeedPatcher.FindEntries(image, Version))
            {
                image[entry.FlagsOffset] &= unchecked((byte)~ElfVersionNeedPatcher.VerFlgWeak);
            }

            return image;
        }

        private string WriteCopy(string name, byte[] content)
        {
            string path = Path.Combine(_directory, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int link(string existing, string created);
    }
}
