using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>The outcome of one child process: its command line, exit code, output and duration.</summary>
    public sealed class ProcessResult
    {
        public ProcessResult(string commandLine, string workingDirectory, int exitCode, bool timedOut, string output, TimeSpan duration)
        {
            CommandLine = commandLine;
            WorkingDirectory = workingDirectory;
            ExitCode = exitCode;
            TimedOut = timedOut;
            Output = output;
            Duration = duration;
        }

        public string CommandLine { get; }

        public string WorkingDirectory { get; }

        public int ExitCode { get; }

        public bool TimedOut { get; }

        /// <summary>Standard output and standard error, interleaved in the order they arrived.</summary>
        public string Output { get; }

        public TimeSpan Duration { get; }

        public bool Succeeded => !TimedOut && ExitCode == 0;

        /// <summary>Everything needed to understand a failure, for assertion messages.</summary>
        public string Describe()
        {
            var status = TimedOut ? "timed out (process tree killed)" : "exit code " + ExitCode;
            return $"> {CommandLine}{Environment.NewLine}  in {WorkingDirectory}{Environment.NewLine}  {status} after {Duration.TotalSeconds:F1} s{Environment.NewLine}--- output ---{Environment.NewLine}{Output}{Environment.NewLine}--- end of output ---";
        }

        public override string ToString() => Describe();
    }

    /// <summary>
    /// Runs the dotnet CLI as a child process with a timeout, in a clean environment: the MSBuild
    /// variables a test host inherits from `dotnet test` (MSBUILD_EXE_PATH, MSBuildExtensionsPath,
    /// MSBuildSDKsPath, MSBUILDNOINPROCNODE, …) are removed so the child resolves its own SDK, and node
    /// reuse, the MSBuild server and the shared compiler server are off so no process outlives the test.
    /// </summary>
    public static class DotnetCli
    {
        public static string DotnetPath
        {
            get
            {
                var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
                return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
            }
        }

        public static Task<ProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
            => RunAsync(DotnetPath, workingDirectory, timeout, arguments);

        public static async Task<ProcessResult> RunAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
        {
            var startInfo = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            CleanEnvironment(startInfo.Environment);

            var output = new StringBuilder();
            var gate = new object();
            void Append(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (gate)
                {
                    output.AppendLine(line);
                }
            }

            var commandLine = Path.GetFileName(fileName) + " " + string.Join(" ", arguments);
            var stopwatch = Stopwatch.StartNew();
            using var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var timedOut = false;
            using (var cancellation = new CancellationTokenSource(timeout))
            {
                try
                {
                    await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    timedOut = true;
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                        // It exited in the meantime.
                    }

                    process.WaitForExit(10_000);
                }
            }

            // The parameterless overload waits until the redirected streams are drained.
            if (!timedOut)
            {
                process.WaitForExit();
            }

            stopwatch.Stop();
            string text;
            lock (gate)
            {
                text = output.ToString();
            }

            return new ProcessResult(commandLine, workingDirectory, timedOut ? -1 : process.ExitCode, timedOut, text, stopwatch.Elapsed);
        }

        private static void CleanEnvironment(IDictionary<string, string?> environment)
        {
            var toRemove = new List<string>();
            foreach (var name in environment.Keys)
            {
                if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("CORECLR_", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("COR_", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("DOTNET_STARTUP_HOOKS", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("TestingPlatformDotnetTestPipe", StringComparison.OrdinalIgnoreCase))
                {
                    toRemove.Add(name);
                }
            }

            foreach (var name in toRemove)
            {
                environment.Remove(name);
            }

            environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            environment["DOTNET_NOLOGO"] = "1";
            environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
            environment["DOTNET_CLI_UI_LANGUAGE"] = "en-US";
            environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            environment["MSBUILDDISABLENODEREUSE"] = "1";
            environment["MSBUILDTERMINALLOGGER"] = "off";
            environment["UseSharedCompilation"] = "false";
        }
    }
}
