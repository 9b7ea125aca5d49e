using System;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary><c>check --fix [--dry-run] [--action KEY]</c>: fix, print a summary or the diff, exit as a check of the result.</summary>
    internal static class FixCommand
    {
        public static int Run(CheckOptions options, string root, ImmutableArray<string> files, TextWriter output, CancellationToken cancellationToken)
        {
            bool Selected(Diagnostic d) => (options.Rules.IsEmpty || options.Rules.Contains(d.Id)) && d.Severity >= options.MinimumSeverity;

            var editorConfigs = LooseFolder.EditorConfigFor(root, files).Paths;
            var (changed, fixedSolution) = Fixer.FixAsync(root, files, editorConfigs, Selected, options.Action, cancellationToken).GetAwaiter().GetResult();
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

            var remaining = Fixer.RemainingAsync(fixedSolution, Selected, cancellationToken).GetAwaiter().GetResult();
            var ids = string.Join(", ", remaining.Select(d => d.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal));
            var verb = options.DryRun ? "would change" : "changed";
            output.WriteLine(
                $"{changed.Length.ToString(CultureInfo.InvariantCulture)} file{(changed.Length == 1 ? string.Empty : "s")} {verb}; " +
                (remaining.IsEmpty ? "no findings remain." : $"{remaining.Length.ToString(CultureInfo.InvariantCulture)} finding{(remaining.Length == 1 ? string.Empty : "s")} remain ({ids})."));
            return remaining.IsEmpty ? ExitCodes.Clean : ExitCodes.Findings;
        }
    }
}
