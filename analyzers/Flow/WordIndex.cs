using System.Collections.Generic;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// Where the words of one text that could name a call or an assignment start: every word (an identifier-like run of
    /// letters, digits and '_') whose next character that is not white space is one of <see cref="Followers"/> — the
    /// arguments, type arguments or initializer of a call, an assignment's '=', or a comment or a directive before them,
    /// which the index does not read past. Built in one pass over the text, the positions grouped by the top byte of the
    /// word's hash: a lookup reads the few positions of one group, never the text. About 3 KB for a file of 300 lines.
    /// </summary>
    internal sealed class WordIndex
    {
        /// <summary>What may follow an indexed word (after white space).</summary>
        public const string Followers = "(<{/#=";

        private const uint FnvOffset = 2166136261;
        private const uint FnvPrime = 16777619;

        private static readonly bool[] AsciiWordChars = CreateAsciiWordChars();

        private static readonly bool[] AsciiFollowers = CreateAsciiFollowers();

        private readonly string _text;
        private readonly int[] _groupStarts;
        private readonly uint[] _hashes;
        private readonly int[] _positions;

        private WordIndex(string text, int[] groupStarts, uint[] hashes, int[] positions)
        {
            _text = text;
            _groupStarts = groupStarts;
            _hashes = hashes;
            _positions = positions;
        }

        /// <summary>Whether <paramref name="c"/> can be part of an identifier.</summary>
        public static bool IsWordChar(char c) => c < 128 ? AsciiWordChars[c] : char.IsLetterOrDigit(c);

        public static WordIndex Of(string text)
        {
            // About one word in five is followed by what the index keeps; a file of 300 lines has some 2,000 words.
            var hashes = new List<uint>(text.Length / 32);
            var positions = new List<int>(text.Length / 32);
            // The table in a local and the ASCII test against its length: the loop over every character of every file
            // then runs without bounds checks or static loads.
            var wordChars = AsciiWordChars;
            var inWord = false;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if ((uint)c < (uint)wordChars.Length ? wordChars[c] : char.IsLetterOrDigit(c))
                {
                    if (!inWord)
                    {
                        inWord = true;
                        start = i;
                    }
                }
                else if (inWord)
                {
                    // Hashed only when kept: about one word in five.
                    inWord = false;
                    var follower = c == ' ' || c == '\t' || c == '\r' || c == '\n' ? NextNonSpace(text, i + 1) : c;
                    if (follower < 128 && AsciiFollowers[follower])
                    {
                        hashes.Add(Hash(text, start, i));
                        positions.Add(start);
                    }
                }
            }

            // Grouped by the hash's top byte, in text order within a group (a counting sort is stable): a lookup yields
            // the positions of a word in the order of the text.
            var groupStarts = new int[257];
            foreach (var h in hashes)
            {
                groupStarts[(h >> 24) + 1]++;
            }

            for (var group = 1; group <= 256; group++)
            {
                groupStarts[group] += groupStarts[group - 1];
            }

            var next = new int[256];
            System.Array.Copy(groupStarts, next, 256);
            var sortedHashes = new uint[hashes.Count];
            var sortedPositions = new int[hashes.Count];
            for (var i = 0; i < hashes.Count; i++)
            {
                var at = next[hashes[i] >> 24]++;
                sortedHashes[at] = hashes[i];
                sortedPositions[at] = positions[i];
            }

            return new WordIndex(text, groupStarts, sortedHashes, sortedPositions);
        }

        /// <summary>The positions, in text order, where <paramref name="word"/> starts as an indexed word; empty when there is none.</summary>
        public List<int> PositionsOf(string word)
        {
            var found = new List<int>();
            var hash = Hash(word);
            var group = hash >> 24;
            for (var i = _groupStarts[group]; i < _groupStarts[group + 1]; i++)
            {
                var at = _positions[i];
                if (_hashes[i] == hash && at + word.Length <= _text.Length && string.CompareOrdinal(_text, at, word, 0, word.Length) == 0
                    && (at + word.Length == _text.Length || !IsWordChar(_text[at + word.Length])))
                {
                    found.Add(at);
                }
            }

            return found;
        }

        /// <summary>The first character at or after <paramref name="at"/> that is not white space; '\0' at the end of the text.</summary>
        public static char NextNonSpace(string text, int at)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            return at < text.Length ? text[at] : '\0';
        }

        // FNV-1a over the characters of a word, the same when the index is built and when it is asked.
        private static uint Hash(string word) => Hash(word, 0, word.Length);

        private static uint Hash(string text, int start, int end)
        {
            var hash = FnvOffset;
            for (var i = start; i < end; i++)
            {
                hash = unchecked((hash ^ text[i]) * FnvPrime);
            }

            return hash;
        }

        private static bool[] CreateAsciiFollowers()
        {
            var table = new bool[128];
            foreach (var c in Followers)
            {
                table[c] = true;
            }

            return table;
        }

        private static bool[] CreateAsciiWordChars()
        {
            var table = new bool[128];
            for (var c = 0; c < 128; c++)
            {
                table[c] = (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';
            }

            return table;
        }
    }
}
