using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The text of one syntax tree with the hashes of the words (identifier-like runs of letters, digits and '_') it
    /// contains, so that a search for a name skips, in one set lookup, every file that does not contain it. A hash
    /// collision only costs a scan of a file that turns out not to hold the name; a word the set lacks is never there.
    /// The set is built on the first lookup: a few searches are cheaper as plain scans of the text.
    /// </summary>
    internal sealed class SourceWords
    {
        private readonly System.Lazy<HashSet<int>> _wordHashes;

        private SourceWords(SyntaxTree tree, string text)
        {
            Tree = tree;
            Text = text;
            _wordHashes = new System.Lazy<HashSet<int>>(() => HashWords(text), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public SyntaxTree Tree { get; }

        public string Text { get; }

        /// <summary>Whether the text may contain <paramref name="word"/> as a whole word (false proves it does not).</summary>
        public bool MayContain(string word) => _wordHashes.Value.Contains(Hash(word, 0, word.Length));

        public static SourceWords Of(SyntaxTree tree) => new SourceWords(tree, tree.GetText().ToString());

        private static HashSet<int> HashWords(string text)
        {
            var hashes = new HashSet<int>();
            var start = -1;
            for (var i = 0; i <= text.Length; i++)
            {
                var isWordChar = i < text.Length && IsWordChar(text[i]);
                if (isWordChar && start < 0)
                {
                    start = i;
                }
                else if (!isWordChar && start >= 0)
                {
                    hashes.Add(Hash(text, start, i - start));
                    start = -1;
                }
            }

            return hashes;
        }

        /// <summary>Whether <paramref name="c"/> can be part of an identifier.</summary>
        public static bool IsWordChar(char c)
            => c < 128
                ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_'
                : char.IsLetterOrDigit(c);

        // FNV-1a over the characters: no substring is allocated per word.
        private static int Hash(string text, int start, int length)
        {
            unchecked
            {
                var hash = (int)2166136261;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ text[i]) * 16777619;
                }

                return hash;
            }
        }
    }
}
