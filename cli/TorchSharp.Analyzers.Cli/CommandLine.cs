using System;
using System.Collections.Immutable;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The command line: <c>torchsharp-analyzers check &lt;path&gt; [options]</c> (docs/cli.md).</summary>
    internal static class CommandLine
    {
        public static int Invoke(string[] args, TextWriter output, TextWriter error, bool colors, ProgressDisplay progress)
        {
            var path = new Argument<string>("path") { Description = "A .csproj, .sln or .slnx (loaded with MSBuild; restore first), a folder (its one restored solution or project at the top, else every *.cs under it, bin/obj skipped) or one .cs file" };
            var format = new Option<string>("--format") { Description = "Output format: text, json or sarif", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json", "sarif");
            var outputFile = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of the console" };
            var rules = new Option<string[]>("--rule") { Description = "Report only these rule ids (repeatable, e.g. --rule TORCH001 --rule TORCH002)", AllowMultipleArgumentsPerToken = true };
            var severity = new Option<string>("--severity") { Description = "Minimum severity reported: error, warning or info", DefaultValueFactory = _ => "info" };
            severity.AcceptOnlyFromAmong("error", "warning", "info");
            var include = new Option<string[]>("--include") { Description = "Check only files matching these globs (relative to the folder; repeatable)", AllowMultipleArgumentsPerToken = true };
            var exclude = new Option<string[]>("--exclude") { Description = "Skip files matching these globs (relative to the folder; repeatable)", AllowMultipleArgumentsPerToken = true };

            var fix = new Option<bool>("--fix") { Description = "Apply the code fixes of the selected findings (Fix All per document) and write the files" };
            var dryRun = new Option<bool>("--dry-run") { Description = "With --fix: print the unified diff and write nothing" };
            var loose = new Option<bool>("--loose") { Description = "Check a folder's files as loose files even when the folder holds a restored solution or project" };
            var action = new Option<string?>("--action") { Description = "With --fix: the equivalence key of the code action to apply (default: each provider's first)" };

            var check = new Command("check", "Check C# code with the TorchSharp analyzers without editing it")
            {
                path, format, outputFile, rules, severity, include, exclude, loose, fix, dryRun, action,
            };
            check.SetAction(parse =>
            {
                var options = new CheckOptions(
                    parse.GetValue(path)!,
                    Enum.Parse<OutputFormat>(parse.GetValue(format)!, ignoreCase: true),
                    parse.GetValue(outputFile),
                    (parse.GetValue(rules) ?? Array.Empty<string>()).Select(r => r.Trim().ToUpperInvariant()).ToImmutableHashSet(StringComparer.Ordinal),
                    parse.GetValue(severity) switch { "error" => DiagnosticSeverity.Error, "warning" => DiagnosticSeverity.Warning, _ => DiagnosticSeverity.Info },
                    (parse.GetValue(include) ?? Array.Empty<string>()).ToImmutableArray(),
                    (parse.GetValue(exclude) ?? Array.Empty<string>()).ToImmutableArray(),
                    parse.GetValue(fix),
                    parse.GetValue(dryRun),
                    parse.GetValue(action),
                    parse.GetValue(loose));
                return Check.Run(options, output, error, colors, CancellationToken.None, progress);
            });

            var root = new RootCommand("torchsharp-analyzers: the TorchSharp analyzers on any C# code, without editing it") { check };
            var result = root.Parse(args);
            if (result.Errors.Count > 0)
            {
                foreach (var parseError in result.Errors)
                {
                    error.WriteLine("error: " + parseError.Message);
                }

                error.WriteLine("Run 'torchsharp-analyzers check --help' for usage.");
                return ExitCodes.Error;
            }

            return result.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }
    }
}
