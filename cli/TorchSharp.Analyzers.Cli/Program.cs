using System;
using System.IO;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The entry point of <c>torchsharp-analyzers</c>.</summary>
    public static class Program
    {
        /// <summary>Runs the tool on the process console; colours only when the output is a terminal.</summary>
        public static int Main(string[] args)
            => Run(args, Console.Out, Console.Error, colors: !Console.IsOutputRedirected);

        /// <summary>Runs the tool with the given output and error writers (what the tests call).</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, bool colors = false)
            => CommandLine.Invoke(args, output, error, colors);
    }
}
