using System;
using System.IO;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The entry point of <c>torchsharp-analyzers</c>.</summary>
    public static class Program
    {
        /// <summary>
        /// Runs the tool on the process console: colours only when the output is a terminal, the progress display only
        /// when the error output is one.
        /// </summary>
        public static int Main(string[] args)
            => CommandLine.Invoke(args, Console.Out, Console.Error, colors: !Console.IsOutputRedirected, Console.IsErrorRedirected ? ProgressDisplay.None : new ConsoleProgress(Console.Error));

        /// <summary>Runs the tool with the given output and error writers, without a progress display (what the tests call).</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, bool colors = false)
            => CommandLine.Invoke(args, output, error, colors, ProgressDisplay.None);
    }
}
