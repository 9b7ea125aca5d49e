using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>What <c>--fix</c> did: the files it changes, the selected findings left in them, the projects' load problems.</summary>
    internal sealed record FixOutcome(ImmutableArray<FixedFile> Changed, ImmutableArray<Diagnostic> Remaining, ImmutableArray<string> LoadFailures)
    {
        /// <summary>How a folder was fixed when that is not obvious (see <see cref="CheckResult.Note"/>).</summary>
        public string? Note { get; init; }
    }

    /// <summary><c>check --fix [--dry-run] [--action KEY]</c>: fix, print a summary or the diff, exit as a check of the result.</summary>
    internal static class FixCommand
    {
        /// <summary>Fixes the loose files of a folder, compiled as a check compiles them.</summary>
        public static FixOutcome FixFolder(CheckOptions options, string root, ImmutableArray<string> files, ICheckProgress progress, CancellationToken cancellationToken)
        {
            var (solution, documents) = LooseWorkspace.CreateAsync(root, files, cancellationToken).GetAwaiter().GetResult();
            return FixAsync(options, root, solution, documents, ImmutableArray<string>.Empty, progress, cancellationToken).GetAwaiter().GetResult();
        }

        /// <summary>Fixes the documents of the projects a .csproj, .sln or .slnx names, compiled with their own references.</summary>
        public static FixOutcome FixProjects(CheckOptions options, ICheckProgress progress, CancellationToken cancellationToken)
            => MSBuildProjects.Use(
                options.Path,
                progress,
                loaded => FixAsync(
                    options,
                    loaded.Root,
                    loaded.Solution,
                    MSBuildProjects.FixableDocuments(loaded, options.Includes, options.Excludes),
                    loaded.Failures.Distinct().ToImmutableArray(),
                    progress,
                    cancellationToken),
                cancellationToken);

        private static async Task<FixOutcome> FixAsync(
            CheckOptions options, string root, Solution solution, ImmutableArray<DocumentId> documents, ImmutableArray<string> loadFailures, ICheckProgress progress, CancellationToken cancellationToken)
        {
            bool Selected(Diagnostic d) => (options.Rules.IsEmpty || options.Rules.Contains(d.Id)) && d.Severity >= options.MinimumSeverity;

            var (changed, fixedSolution) = await Fixer.FixAsync(solution, documents, root, Selected, options.Action, progress, cancellationToken).ConfigureAwait(false);
            progress.Stage("Checking the fixed code", 0);
            var remaining = await Fixer.RemainingAsync(fixedSolution, documents, Selected, cancellationToken).ConfigureAwait(false);
            return new FixOutcome(changed, remaining, loadFailures);
        }

        /// <summary>Writes the files (unless a dry run), prints the diff or the summary, and returns the exit code.</summary>
        public static int Report(FixOutcome outcome, CheckOptions options, TextWriter output)
        {
            var (changed, remaining, loadFailures) = outcome;
            if (outcome.Note is not null)
            {
                output.WriteLine("note: " + outcome.Note);
            }

            foreach (var failure in loadFailures)
            {
                output.WriteLine("load problem: " + failure);
            }

            if (options.DryRun)
            {
                foreach (var file in changed)
                {
                    output.Write(UnifiedDiff.Create(file.RelativePath, file.Before.ToString(), file.After.ToString()));
                }
            }
            else
            {
                Fixer.Write(changed);
                foreach (var file in changed)
                {
                    var (added, removed) = UnifiedDiff.Count(file.Before.ToString(), file.After.ToString());
                    output.WriteLine($"fixed {file.RelativePath} (+{added} -{removed} lines)");
                }
            }

            var ids = string.Join(", ", remaining.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
            var verb = options.DryRun ? "would change" : "changed";
            output.WriteLine(
                $"{changed.Length.ToString(CultureInfo.InvariantCulture)} file{(changed.Length == 1 ? string.Empty : "s")} {verb}; " +
                (remaining.IsEmpty ? "no findings remain." : $"{remaining.Length.ToString(CultureInfo.InvariantCulture)} finding{(remaining.Length == 1 ? string.Empty : "s")} remain ({ids})."));
            return remaining.IsEmpty ? ExitCodes.Clean : ExitCodes.Findings;
        }
    }
}
