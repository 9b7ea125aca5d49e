using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// A file glob matched against a path relative to the checked folder, with <c>/</c> separators: <c>*</c> and
    /// <c>?</c> stay within one segment, <c>**</c> crosses segments; a pattern without <c>/</c> matches a file name
    /// in any folder.
    /// </summary>
    internal sealed class Glob
    {
        private readonly Regex regex;

        /// <summary>Whether a path relative to the checked root is selected by <c>--include</c> (any, or none given) and not <c>--exclude</c>.</summary>
        public static Func<string, bool> Selection(IEnumerable<string> includes, IEnumerable<string> excludes)
        {
            var includeGlobs = includes.Select(p => new Glob(p)).ToList();
            var excludeGlobs = excludes.Select(p => new Glob(p)).ToList();
            return relative => (includeGlobs.Count == 0 || includeGlobs.Any(g => g.IsMatch(relative))) && !excludeGlobs.Any(g => g.IsMatch(relative));
        }

        public Glob(string pattern)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw new UsageException("an empty glob pattern was given to --include or --exclude");
            }

            Pattern = pattern.Replace('\\', '/').TrimStart('/');
            var anywhere = !Pattern.Contains('/', StringComparison.Ordinal);
            var builder = new StringBuilder("^");
            if (anywhere)
            {
                builder.Append("(?:.*/)?");
            }

            for (var i = 0; i < Pattern.Length; i++)
            {
                var c = Pattern[i];
                if (c == '*' && i + 1 < Pattern.Length && Pattern[i + 1] == '*')
                {
                    var slash = i + 2 < Pattern.Length && Pattern[i + 2] == '/';
                    builder.Append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                }
                else if (c == '*')
                {
                    builder.Append("[^/]*");
                }
                else if (c == '?')
                {
                    builder.Append("[^/]");
                }
                else
                {
                    builder.Append(Regex.Escape(c.ToString()));
                }
            }

            builder.Append('$');
            regex = new Regex(builder.ToString(), RegexOptions.CultureInvariant | (OperatingSystem.IsWindows() ? RegexOptions.IgnoreCase : RegexOptions.None));
        }

        public string Pattern { get; }

        /// <summary>True when <paramref name="relativePath"/> (with <c>/</c> separators) matches.</summary>
        public bool IsMatch(string relativePath) => regex.IsMatch(relativePath);
    }
}
