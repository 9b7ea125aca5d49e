using System;
using System.IO;
using System.Linq;
using System.Collections.Immutable;
using System.Threading;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The <c>check</c> command: resolve, compile, analyze, filter, report, exit code.</summary>
    internal static class Check
    {
        /// <summary>
        /// Runs one check. <paramref name="progress"/> receives the stages and items while the check runs (the console's
        /// display on a terminal; nothing when null); the report is written after the work is done.
        /// </summary>
        public static int Run(CheckOptions options, TextWriter output, TextWriter error, bool colors, CancellationToken cancellationToken, ProgressDisplay? progress = null)
        {
            progress ??= ProgressDisplay.None;
            try
            {
                var unknown = options.Rules.Where(r => !Product.IsOurs(r)).ToList();
                if (unknown.Count > 0)
                {
                    throw new UsageException("unknown rule id " + string.Join(", ", unknown) + " (the ids are TORCH001, TORCH002, ...)");
                }

                if (!options.Fix && (options.DryRun || options.Action is not null))
                {
                    throw new UsageException("--dry-run and --action only go with --fix");
                }

                if (options.Fix && (options.Format != OutputFormat.Text || options.OutputFile is not null))
                {
                    throw new UsageException("--fix writes a text summary to the console: --format and --output do not go with it");
                }

                var target = FolderTarget.Resolve(options.Path, options.Loose);
                CheckResult result;
                if (target.IsProjects)
                {
                    var projectOptions = options with { Path = target.Path };
                    if (options.Fix)
                    {
                        return FixCommand.Report(progress.Run(p => FixCommand.FixProjects(projectOptions, p, cancellationToken)) with { Note = target.Note }, options, output);
                    }

                    result = progress.Run(p => MSBuildProjects.Check(target.Path, options.Includes, options.Excludes, p, cancellationToken));
                }
                else
                {
                    var (root, files) = LooseFolder.Resolve(options.Path, options.Includes, options.Excludes);
                    if (options.Fix)
                    {
                        return FixCommand.Report(progress.Run(p => FixCommand.FixFolder(options, root, files, p, cancellationToken)) with { Note = target.Note }, options, output);
                    }

                    result = progress.Run(p => LooseFolder.CheckAsync(root, files, p, cancellationToken).GetAwaiter().GetResult());
                }

                result = result with { Note = target.Note };
                result = result with
                {
                    Findings = result.Findings
                        .Where(f => (options.Rules.IsEmpty || options.Rules.Contains(f.RuleId)) && f.Severity >= options.MinimumSeverity)
                        .ToImmutableArray(),
                    Rules = options.Rules.IsEmpty ? result.Rules : result.Rules.Where(r => options.Rules.Contains(r.Id)).ToImmutableArray(),
                };

                if (options.OutputFile is { } file)
                {
                    using (var writer = new StreamWriter(file, append: false))
                    {
                        Reports.Write(result, options.Format, writer, colors: false);
                    }

                    output.WriteLine(Reports.Summary(result) + " Report written to " + file + ".");
                }
                else
                {
                    Reports.Write(result, options.Format, output, colors && options.Format == OutputFormat.Text);
                }

                return result.Findings.IsEmpty ? ExitCodes.Clean : ExitCodes.Findings;
            }
            catch (UsageException exception)
            {
                error.WriteLine("error: " + exception.Message);
                return ExitCodes.Error;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                error.WriteLine("error: " + exception.Message);
                return ExitCodes.Error;
            }
        }
    }
}
