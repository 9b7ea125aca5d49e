using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>What one in-process run of the tool printed and returned.</summary>
    internal sealed record CliRun(int ExitCode, string Output, string Error);

    /// <summary>Runs the tool in-process through its entry point, with captured output.</summary>
    internal static class CliRunner
    {
        public static CliRun Run(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = Program.Run(args, output, error, colors: false);
            return new CliRun(code, output.ToString(), error.ToString());
        }

        /// <summary>The repository root (the folder holding Analyzers.sln), found from this source file.</summary>
        public static string RepositoryRoot([CallerFilePath] string path = "")
        {
            for (var directory = Path.GetDirectoryName(path); directory is not null; directory = Path.GetDirectoryName(directory))
            {
                if (File.Exists(Path.Combine(directory, "Analyzers.sln")))
                {
                    return directory;
                }
            }

            throw new InvalidOperationException("Analyzers.sln not found above " + path);
        }

        public static string Sample => Path.Combine(RepositoryRoot(), "samples", "TorchSharp.Analyzers.Sample");

        /// <summary>
        /// What the sample's own files say a check must find: its C# files, and one finding per "Mistake (TORCHnnn)" comment
        /// (the sample marks each mistake it makes), in the files that hold one. The tests follow the sample as it grows.
        /// </summary>
        public static (int Files, int Findings, int FilesWithFindings) SampleFacts()
        {
            var files = System.IO.Directory.GetFiles(Sample, "*.cs");
            var mistakes = files.Select(f => System.IO.File.ReadAllLines(f).Count(l => l.Contains("Mistake (TORCH", StringComparison.Ordinal))).ToList();
            return (files.Length, mistakes.Sum(), mistakes.Count(m => m > 0));
        }

        /// <summary>The sample's summary line as a loose check prints it.</summary>
        public static string SampleSummary()
        {
            var (files, findings, withFindings) = SampleFacts();
            return $"{findings} findings in {withFindings} files; {files} C# files checked; the code compiled without errors.";
        }
    }

    /// <summary>A temporary folder of files, deleted at the end of the test.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tsa-cli-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string relativePath, string content)
        {
            var full = System.IO.Path.Combine(Path, relativePath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            return full;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
