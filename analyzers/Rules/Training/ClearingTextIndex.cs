using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// Where a file's text clears gradients (<c>zero_grad</c>, <c>zero_(</c>, a write of <c>grad</c>): the pattern is
    /// matched once over the whole file and kept per syntax tree, so that asking it of a method, of the methods it calls by
    /// name and of their callees again at each depth costs a search among the matches instead of a copy of the method's
    /// text and a scan of it each time.
    /// </summary>
    internal sealed class ClearingTextIndex
    {
        private static readonly Regex ClearingText = new Regex(@"zero_grad|zero_\s*\(|\bgrad\s*=[^=]", RegexOptions.CultureInvariant);
        private static readonly ConditionalWeakTable<SyntaxTree, ClearingTextIndex> Indexes = new ConditionalWeakTable<SyntaxTree, ClearingTextIndex>();

        // (start, end) of every match, in text order.
        private readonly List<(int Start, int End)> _matches = new List<(int, int)>();

        private ClearingTextIndex(SourceText text)
        {
            // A match is the same whether the regex sees the file or one node's text: the pattern starts at a word boundary
            // or a name, and a node's span starts at a token, never inside a word.
            for (var match = ClearingText.Match(text.ToString()); match.Success; match = match.NextMatch())
            {
                _matches.Add((match.Index, match.Index + match.Length));
            }
        }

        /// <summary>Whether the text of <paramref name="node"/> (its span, trivia around it excluded) holds a match.</summary>
        public static bool Clears(SyntaxNode node)
        {
            var index = Indexes.GetValue(node.SyntaxTree, tree => new ClearingTextIndex(tree.GetText()));
            return index.AnyWithin(node.Span);
        }

        private bool AnyWithin(TextSpan span)
        {
            // The first match that starts at or after the span's start.
            int low = 0, high = _matches.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (_matches[middle].Start < span.Start)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            // Matches never overlap, so the first one that starts inside is the one that could also end inside.
            return low < _matches.Count && _matches[low].Start < span.End && _matches[low].End <= span.End;
        }
    }
}
