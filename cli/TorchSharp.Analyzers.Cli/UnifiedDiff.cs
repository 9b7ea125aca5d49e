using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>A line-based unified diff (3 lines of context), for <c>--fix --dry-run</c> and the fix summary.</summary>
    internal static class UnifiedDiff
    {
        private const int Context = 3;

        /// <summary>The unified diff of two texts; empty when they are equal.</summary>
        public static string Create(string path, string before, string after)
        {
            var a = Lines(before);
            var b = Lines(after);
            var edits = Edits(a, b);
            if (edits.All(e => e.Kind == ' '))
            {
                return string.Empty;
            }

            var builder = new StringBuilder();
            builder.Append("--- a/").Append(path).Append('\n').Append("+++ b/").Append(path).Append('\n');
            var i = 0;
            while (i < edits.Count)
            {
                if (edits[i].Kind == ' ')
                {
                    i++;
                    continue;
                }

                var start = Math.Max(0, i - Context);
                var end = i;
                while (end < edits.Count)
                {
                    if (edits[end].Kind != ' ')
                    {
                        end++;
                        continue;
                    }

                    var run = end;
                    while (run < edits.Count && edits[run].Kind == ' ')
                    {
                        run++;
                    }

                    if (run == edits.Count || run - end > 2 * Context)
                    {
                        end = Math.Min(edits.Count, end + Context);
                        break;
                    }

                    end = run;
                }

                var hunk = edits.GetRange(start, end - start);
                var oldStart = hunk.First().OldLine;
                var newStart = hunk.First().NewLine;
                var oldCount = hunk.Count(e => e.Kind != '+');
                var newCount = hunk.Count(e => e.Kind != '-');
                builder.Append("@@ -").Append(oldStart + (oldCount == 0 ? 0 : 1)).Append(',').Append(oldCount)
                    .Append(" +").Append(newStart + (newCount == 0 ? 0 : 1)).Append(',').Append(newCount).Append(" @@\n");
                foreach (var edit in hunk)
                {
                    builder.Append(edit.Kind).Append(edit.Text).Append('\n');
                }

                i = end;
            }

            return builder.ToString();
        }

        /// <summary>Lines added and removed.</summary>
        public static (int Added, int Removed) Count(string before, string after)
        {
            var edits = Edits(Lines(before), Lines(after));
            return (edits.Count(e => e.Kind == '+'), edits.Count(e => e.Kind == '-'));
        }

        private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n');

        /// <summary>The edit script: common prefix and suffix, and a longest common subsequence of the middle.</summary>
        private static List<(char Kind, string Text, int OldLine, int NewLine)> Edits(string[] a, string[] b)
        {
            var prefix = 0;
            while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
            {
                prefix++;
            }

            var suffix = 0;
            while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
            {
                suffix++;
            }

            var n = a.Length - prefix - suffix;
            var m = b.Length - prefix - suffix;
            var lcs = new int[n + 1, m + 1];
            for (var x = n - 1; x >= 0; x--)
            {
                for (var y = m - 1; y >= 0; y--)
                {
                    lcs[x, y] = a[prefix + x] == b[prefix + y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
                }
            }

            var edits = new List<(char, string, int, int)>();
            for (var k = 0; k < prefix; k++)
            {
                edits.Add((' ', a[k], k, k));
            }

            int i = 0, j = 0;
            while (i < n || j < m)
            {
                if (i < n && j < m && a[prefix + i] == b[prefix + j])
                {
                    edits.Add((' ', a[prefix + i], prefix + i, prefix + j));
                    i++;
                    j++;
                }
                else if (i < n && (j == m || lcs[i + 1, j] >= lcs[i, j + 1]))
                {
                    edits.Add(('-', a[prefix + i], prefix + i, prefix + j));
                    i++;
                }
                else
                {
                    edits.Add(('+', b[prefix + j], prefix + i, prefix + j));
                    j++;
                }
            }

            for (var k = 0; k < suffix; k++)
            {
                edits.Add((' ', a[a.Length - suffix + k], a.Length - suffix + k, b.Length - suffix + k));
            }

            return edits;
        }
    }
}
