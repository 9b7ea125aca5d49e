using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The text of one syntax tree with a Bloom filter of the words (identifier-like runs of letters, digits and '_') it
    /// contains, so that a search for a name skips, in two bit tests, almost every file that does not contain it. A false
    /// positive only costs a scan of a file that turns out not to hold the name; a word the filter lacks is never there.
    /// The filter is built on the first lookup: a few searches are cheaper as plain scans of the text.
    /// </summary>
    internal sealed class SourceWords
    {
        // 16,384 bits (2 KB) per file, two bits per word: a file of 2,000 distinct words answers "maybe" for about one
        // absent name in twenty.
        private const int Bits = 1 << 14;

        private readonly System.Lazy<ulong[]> _filter;

        private SourceWords(SyntaxTree tree, string text)
        {
            Tree = tree;
            Text = text;
            _filter = new System.Lazy<ulong[]>(() => FilterOf(text), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public SyntaxTree Tree { get; }

        public string Text { get; }

        /// <summary>Whether the text may contain <paramref name="word"/> as a whole word (false proves it does not).</summary>
        public bool MayContain(string word)
        {
            var filter = _filter.Value;
            var hash = Hash(word, 0, word.Length);
            return IsSet(filter, hash) && IsSet(filter, hash >> 14);
        }

        public static SourceWords Of(SyntaxTree tree) => new SourceWords(tree, tree.GetText().ToString());

        /// <summary>Whether <paramref name="c"/> can be part of an identifier.</summary>
        public static bool IsWordChar(char c)
            => c < 128
                ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_'
                : char.IsLetterOrDigit(c);

        private static ulong[] FilterOf(string text)
        {
            var filter = new ulong[Bits / 64];
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
                    var hash = Hash(text, start, i - start);
                    Set(filter, hash);
                    Set(filter, hash >> 14);
                    start = -1;
                }
            }

            return filter;
        }

        private static void Set(ulong[] filter, uint hash)
        {
            var bit = hash & (Bits - 1);
            filter[bit >> 6] |= 1UL << (int)(bit & 63);
        }

        private static bool IsSet(ulong[] filter, uint hash)
        {
            var bit = hash & (Bits - 1);
            return (filter[bit >> 6] & (1UL << (int)(bit & 63))) != 0;
        }

        // FNV-1a over the characters: no substring is allocated per word.
        private static uint Hash(string text, int start, int length)
        {
            unchecked
            {
                var hash = 2166136261;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ text[i]) * 16777619;
                }

                return hash;
            }
        }
    }
}
