// The code behind LibTorchSharp.Debian12.targets (docs/architecture.md, "Running TorchSharp on Debian 12").
//
// TorchSharp 0.107.0's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32, but the only symbol bound
// to that version (_ZSt21ios_base_library_initv, GCC 13's iostream link anchor) is never called. Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses the library. Marking that one Vernaux
// entry VER_FLG_WEAK turns the hard "version not found" failure into "accept and carry on".
//
// This file is compiled two ways:
//  - by MSBuild's RoslynCodeTaskFactory (Type="Class"), which needs the task class PatchLibTorchSharpGlibcxx;
//  - by the runtime test project, with LIBTORCHSHARP_PATCH_TESTS defined, which has no MSBuild assemblies and
//    so sees only the ELF and libstdc++ logic below (that is what makes the patcher unit-testable).
// Keep it to the netstandard2.0 API surface: that is what the task factory compiles against.
#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
#if !LIBTORCHSHARP_PATCH_TESTS
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

#if !LIBTORCHSHARP_PATCH_TESTS
/// <summary>
/// MSBuild task: marks the GLIBCXX_3.4.32 version need of each given libLibTorchSharp.so as weak,
/// unless the system libstdc++ already provides that version.
/// </summary>
public sealed class PatchLibTorchSharpGlibcxx : Task
{
    /// <summary>The build-output copies to patch (never the package cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version-need name to weaken.</summary>
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>$(NuGetPackageRoot): a file below it is refused, whatever item list it came from.</summary>
    public string NuGetPackageRoot { get; set; } = "";

    /// <inheritdoc />
    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return true;
        }

        if (LibStdCxxProbe.SystemProvides(VersionName, out string probed))
        {
            Log.LogMessage(MessageImportance.Low,
                $"System libstdc++ provides {VersionName} ({probed}); libLibTorchSharp.so left as is.");
            return true;
        }

        foreach (ITaskItem item in Files)
        {
            string path = Path.GetFullPath(item.ItemSpec);
            if (IsUnder(path, NuGetPackageRoot))
            {
                Log.LogError($"Refusing to patch '{path}': it is inside the NuGet package cache '{NuGetPackageRoot}'. Only build-output copies are patched.");
                continue;
            }

            try
            {
                switch (ElfVersionNeedPatcher.PatchFile(path, VersionName))
                {
                    case ElfPatchResult.Patched:
                        Log.LogMessage(MessageImportance.High,
                            $"Patched '{path}': the {VersionName} version need is now weak, so it loads with this system's libstdc++ (docs/architecture.md, 'Running TorchSharp on Debian 12').");
                        break;
                    case ElfPatchResult.AlreadyWeak:
                        Log.LogMessage(MessageImportance.Low, $"'{path}' is already patched ({VersionName} is weak).");
                        break;
                    case ElfPatchResult.VersionNotNeeded:
                        Log.LogMessage(MessageImportance.Low, $"'{path}' does not need {VersionName}; nothing to do.");
                        break;
                }
            }
            catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogError($"Could not patch '{path}' to load without {VersionName}: {e.Message} " +
                             "Set TorchSharpPatchLibStdCxxVersion=false to skip this step.");
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static bool IsUnder(string path, string root)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            return false;
        }

        string fullRoot = Path.GetFullPath(root).TrimEnd('/') + "/";
        return path.StartsWith(fullRoot, StringComparison.Ordinal);
    }
}
#endif

/// <summary>What <see cref="ElfVersionNeedPatcher.PatchFile"/> did.</summary>
internal enum ElfPatchResult
{
    /// <summary>At least one matching entry was strong and has been made weak.</summary>
    Patched,

    /// <summary>Every matching entry was already weak; the file was not written.</summary>
    AlreadyWeak,

    /// <summary>The file has no version need of that name; the file was not written.</summary>
    VersionNotNeeded,
}

/// <summary>One Vernaux entry of .gnu.version_r: where its vna_flags field is and what it holds.</summary>
internal readonly struct VersionNeedEntry
{
    public VersionNeedEntry(string file, string name, int flagsOffset, ushort flags)
    {
        File = file;
        Name = name;
        FlagsOffset = flagsOffset;
        Flags = flags;
    }

    /// <summary>The needed library (vn_file), e.g. libstdc++.so.6.</summary>
    public string File { get; }

    /// <summary>The version name (vna_name), e.g. GLIBCXX_3.4.32.</summary>
    public string Name { get; }

    /// <summary>File offset of the 16-bit vna_flags field.</summary>
    public int FlagsOffset { get; }

    /// <summary>The vna_flags value.</summary>
    public ushort Flags { get; }

    /// <summary>Whether VER_FLG_WEAK is set: the loader accepts a library that lacks this version.</summary>
    public bool IsWeak => (Flags & ElfVersionNeedPatcher.VerFlgWeak) != 0;
}

/// <summary>Reads and patches the version needs (.gnu.version_r) of a little-endian ELF64 shared object.</summary>
internal static class ElfVersionNeedPatcher
{
    public const ushort VerFlgWeak = 2;
    private const uint ShtStrtab = 3;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    /// <summary>
    /// Makes every <paramref name="versionName"/> entry of <paramref name="path"/> weak.
    /// Idempotent: when nothing needs to change the file is not opened for writing at all.
    /// </summary>
    /// <remarks>
    /// The output file may be a hard link or symbolic link into the NuGet package cache (the SDK's
    /// CreateHardLinksForCopyLocalIfPossible / CreateSymbolicLinksForCopyLocalIfPossible), so it is never written
    /// in place: a patched sibling is written and renamed over it, which replaces the directory entry and leaves
    /// whatever it pointed to untouched. The sibling keeps the original's timestamp and size, so the SDK's
    /// SkipUnchangedFiles copy treats it as up to date on incremental builds instead of overwriting it again.
    /// </remarks>
    public static ElfPatchResult PatchFile(string path, string versionName)
    {
        byte[] image = System.IO.File.ReadAllBytes(path);
        List<VersionNeedEntry> matches = FindEntries(image, versionName);
        if (matches.Count == 0)
        {
            return ElfPatchResult.VersionNotNeeded;
        }

        if (matches.TrueForAll(e => e.IsWeak))
        {
            return ElfPatchResult.AlreadyWeak;
        }

        foreach (VersionNeedEntry entry in matches)
        {
            WriteU16(image, entry.FlagsOffset, (ushort)(entry.Flags | VerFlgWeak));
        }

        // Re-parse what will be written: a patch that does not read back as intended must not reach the disk.
        if (!FindEntries(image, versionName).TrueForAll(e => e.IsWeak))
        {
            throw new InvalidDataException("the patched image does not read back with every entry weak.");
        }

        string directory = Path.GetDirectoryName(path) ?? ".";
        string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            // File.Copy gives the sibling the original's permission bits; the content is then overwritten whole.
            System.IO.File.Copy(path, temp, overwrite: true);
            using (var stream = new FileStream(temp, FileMode.Truncate, FileAccess.Write))
            {
                stream.Write(image, 0, image.Length);
            }

            System.IO.File.SetLastWriteTimeUtc(temp, System.IO.File.GetLastWriteTimeUtc(path));
            System.IO.File.Replace(temp, path, null);
        }
        finally
        {
            if (System.IO.File.Exists(temp))
            {
                System.IO.File.Delete(temp);
            }
        }

        return ElfPatchResult.Patched;
    }

    /// <summary>The Vernaux entries named <paramref name="versionName"/>, whichever library they belong to.</summary>
    public static List<VersionNeedEntry> FindEntries(byte[] image, string versionName)
    {
        return ReadVersionNeeds(image).FindAll(e => string.Equals(e.Name, versionName, StringComparison.Ordinal));
    }

    /// <summary>Every Vernaux entry of every SHT_GNU_verneed section, in file order.</summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed little-endian ELF64 file.</exception>
    public static List<VersionNeedEntry> ReadVersionNeeds(byte[] image)
    {
        if (image.Length < ElfHeaderSize || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file (bad magic).");
        }

        if (image[4] != 2)
        {
            throw new InvalidDataException("not a 64-bit ELF file (EI_CLASS is not ELFCLASS64).");
        }

        if (image[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF file (EI_DATA is not ELFDATA2LSB).");
        }

        ulong sectionTable = ReadU64(image, 0x28);
        int entrySize = ReadU16(image, 0x3a);
        long sectionCount = ReadU16(image, 0x3c);
        if (sectionTable == 0)
        {
            throw new InvalidDataException("the file has no section headers.");
        }

        if (entrySize < SectionHeaderSize)
        {
            throw new InvalidDataException($"section header size {entrySize} is smaller than {SectionHeaderSize}.");
        }

        if (sectionCount == 0)
        {
            // More than 0xff00 sections: the real count lives in section 0's sh_size.
            CheckRange(sectionTable, SectionHeaderSize, image, "section header table");
            sectionCount = (long)ReadU64(image, (int)sectionTable + 32);
        }

        CheckRange(sectionTable, (ulong)sectionCount * (ulong)entrySize, image, "section header table");

        var entries = new List<VersionNeedEntry>();
        for (long i = 0; i < sectionCount; i++)
        {
            int header = (int)sectionTable + (int)(i * entrySize);
            if (ReadU32(image, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            ulong offset = ReadU64(image, header + 24);
            ulong size = ReadU64(image, header + 32);
            uint link = ReadU32(image, header + 40);
            uint needCount = ReadU32(image, header + 44);
            CheckRange(offset, size, image, "version-need section");
            if (link >= sectionCount)
            {
                throw new InvalidDataException($"version-need section links to string table {link}, which does not exist.");
            }

            int strtabHeader = (int)sectionTable + (int)(link * entrySize);
            if (ReadU32(image, strtabHeader + 4) != ShtStrtab)
            {
                throw new InvalidDataException($"version-need section links to section {link}, which is not a string table.");
            }

            ulong strtabOffset = ReadU64(image, strtabHeader + 24);
            ulong strtabSize = ReadU64(image, strtabHeader + 32);
            CheckRange(strtabOffset, strtabSize, image, "version-need string table");

            ReadSection(image, (int)offset, (int)size, needCount, (int)strtabOffset, (int)strtabSize, entries);
        }

        return entries;
    }

    // Walks Verneed { vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32 } and each one's
    // Vernaux { vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32 } chain.
    // Offsets are relative (vn_aux from its Verneed, vna_next/vn_next from the current record); every record
    // is bounds-checked against the section, and the counts bound the walks so a corrupt chain cannot loop.
    private static void ReadSection(byte[] image, int start, int size, uint needCount, int strtab, int strtabSize, List<VersionNeedEntry> entries)
    {
        long need = 0;
        for (uint n = 0; n < needCount; n++)
        {
            CheckRecord(need, VerneedSize, size, "Verneed");
            int needAt = start + (int)need;
            ushort auxCount = ReadU16(image, needAt + 2);
            string file = ReadString(image, strtab, strtabSize, ReadU32(image, needAt + 4));
            long aux = need + ReadU32(image, needAt + 8);
            for (int a = 0; a < auxCount; a++)
            {
                CheckRecord(aux, VernauxSize, size, "Vernaux");
                int auxAt = start + (int)aux;
                string name = ReadString(image, strtab, strtabSize, ReadU32(image, auxAt + 8));
                entries.Add(new VersionNeedEntry(file, name, auxAt + 4, ReadU16(image, auxAt + 4)));
                uint nextAux = ReadU32(image, auxAt + 12);
                if (nextAux == 0)
                {
                    break;
                }

                aux += nextAux;
            }

            uint next = ReadU32(image, needAt + 12);
            if (next == 0)
            {
                break;
            }

            need += next;
        }
    }

    private static void CheckRecord(long at, int recordSize, int sectionSize, string what)
    {
        if (at < 0 || at + recordSize > sectionSize)
        {
            throw new InvalidDataException($"a {what} record at section offset {at} runs past the end of .gnu.version_r.");
        }
    }

    private static string ReadString(byte[] image, int strtab, int strtabSize, uint index)
    {
        if (index >= (uint)strtabSize)
        {
            throw new InvalidDataException($"string index {index} is outside the string table.");
        }

        int begin = strtab + (int)index;
        int end = begin;
        int limit = strtab + strtabSize;
        while (end < limit && image[end] != 0)
        {
            end++;
        }

        if (end == limit)
        {
            throw new InvalidDataException($"string at index {index} is not terminated inside the string table.");
        }

        return Encoding.ASCII.GetString(image, begin, end - begin);
    }

    private static void CheckRange(ulong offset, ulong length, byte[] image, string what)
    {
        if (offset > (ulong)image.Length || length > (ulong)image.Length - offset)
        {
            throw new InvalidDataException($"the {what} (offset {offset}, {length} bytes) lies outside the {image.Length}-byte file.");
        }
    }

    private static ushort ReadU16(byte[] b, int at)
    {
        CheckRange((ulong)at, 2, b, "16-bit field");
        return (ushort)(b[at] | b[at + 1] << 8);
    }

    private static uint ReadU32(byte[] b, int at)
    {
        CheckRange((ulong)at, 4, b, "32-bit field");
        return (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    }

    private static ulong ReadU64(byte[] b, int at)
    {
        return ReadU32(b, at) | (ulong)ReadU32(b, at + 4) << 32;
    }

    private static void WriteU16(byte[] b, int at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }
}

/// <summary>Finds out whether this machine's libstdc++ already defines a given symbol version.</summary>
internal static class LibStdCxxProbe
{
    /// <summary>
    /// True when at least one libstdc++.so.6 exists in the usual library directories and every one found
    /// contains <paramref name="versionName"/>. Patching when it is not needed is harmless (a weak need on a
    /// version that exists binds normally), skipping when it is needed breaks loading, so doubt means patch.
    /// </summary>
    public static bool SystemProvides(string versionName, out string probed)
    {
        var found = new List<string>();
        bool all = true;
        foreach (string candidate in Candidates())
        {
            if (!System.IO.File.Exists(candidate))
            {
                continue;
            }

            found.Add(candidate);
            all &= Contains(System.IO.File.ReadAllBytes(candidate), versionName);
        }

        probed = found.Count == 0 ? "no libstdc++.so.6 found" : string.Join(", ", found);
        return found.Count > 0 && all;
    }

    /// <summary>The loader's usual places on Debian/Ubuntu (multiarch), Fedora/RHEL (lib64) and Arch (lib).</summary>
    public static IEnumerable<string> Candidates()
    {
        string? triplet = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            _ => null,
        };
        if (triplet != null)
        {
            yield return $"/usr/lib/{triplet}/libstdc++.so.6";
            yield return $"/lib/{triplet}/libstdc++.so.6";
        }

        yield return "/usr/lib64/libstdc++.so.6";
        yield return "/lib64/libstdc++.so.6";
        yield return "/usr/lib/libstdc++.so.6";
        yield return "/lib/libstdc++.so.6";
    }

    /// <summary>Whether <paramref name="versionName"/> occurs as a NUL-terminated string in <paramref name="data"/>.</summary>
    public static bool Contains(byte[] data, string versionName)
    {
        byte[] needle = Encoding.ASCII.GetBytes(versionName + "\0");
        int last = data.Length - needle.Length;
        for (int i = 0; i <= last; i++)
        {
            if (data[i] != needle[0])
            {
                continue;
            }

            int j = 1;
            while (j < needle.Length && data[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return true;
            }
        }

        return false;
    }
}
