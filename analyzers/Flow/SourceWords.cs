using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The text of one syntax tree with a Bloom filter of the words (identifier-like runs of letters, digits and '_') it
    /// contains, so that a search for a name skips, in two bit tests, almost every file that does not contain it. A false
    /// positive only costs a scan of a file that turns out not to hold the name; a word the filter lacks is never there.
    /// The filter is built on the first lookup: a few searches are cheaper as plain scans of the text. Kept per tree
    /// across compilations: after an edit the editor's new compilation reuses every tree but the edited one, and with it
    /// what was found in them.
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

        public static SourceWords Of(SyntaxTree tree) => Cache.GetValue(tree, t => new SourceWords(t, t.GetText().ToString()));

        private static readonly ConditionalWeakTable<SyntaxTree, SourceWords> Cache = new ConditionalWeakTable<SyntaxTree, SourceWords>();

        private readonly ConcurrentDictionary<string, ImmutableArray<SyntaxNode>> _calls = new ConcurrentDictionary<string, ImmutableArray<SyntaxNode>>();

        /// <summary>
        /// The invocations and object creations of this tree whose rightmost name is <paramref name="name"/> as written
        /// (<c>new()</c> for implicit object creations), found by a text search: only the occurrences become nodes.
        /// </summary>
        public ImmutableArray<SyntaxNode> CallsWritten(string name) => _calls.GetOrAdd(name, FindCalls);

        /// <summary>The name under which implicit object creations (<c>new()</c>), which name no type, are found.</summary>
        public const string ImplicitCreation = "new()";

        // What may come after the name of a call: its arguments, type arguments or initializer — or a comment or a
        // directive before them, which the text search does not read past (the syntax decides those).
        private const string AfterCall = "(<{/#";
        private const string AfterImplicitCreation = "(/#";

        private ImmutableArray<SyntaxNode> FindCalls(string name)
            => name == ImplicitCreation
                ? Find("new", AfterImplicitCreation, token => token.Parent as ImplicitObjectCreationExpressionSyntax)
                : Find(name, AfterCall, CallNamedBy);

        /// <summary>
        /// The nodes of every token of this tree that is <paramref name="word"/> (a name used or declared anywhere), found by
        /// a text search; with <paramref name="followedBy"/>, only where the next character that is not white space is one
        /// of those (a cheap necessary condition the caller's question implies: '=' for an assignment to the name).
        /// </summary>
        public ImmutableArray<SyntaxNode> Mentions(string word, string? followedBy = null)
            => _mentions.GetOrAdd((word, followedBy), key => Find(key.Word, key.FollowedBy, token => token.Parent));

        private readonly ConcurrentDictionary<(string Word, string? FollowedBy), ImmutableArray<SyntaxNode>> _mentions = new ConcurrentDictionary<(string, string?), ImmutableArray<SyntaxNode>>();

        /// <summary>
        /// What <paramref name="select"/> makes of each token that is <paramref name="word"/> and, when
        /// <paramref name="followedBy"/> is given, is followed by one of its characters; only these places become nodes
        /// (finding a token is the costly part of the search).
        /// </summary>
        private ImmutableArray<SyntaxNode> Find(string word, string? followedBy, System.Func<SyntaxToken, SyntaxNode?> select)
        {
            var found = ImmutableArray.CreateBuilder<SyntaxNode>();
            SyntaxNode? root = null;
            for (var at = Text.IndexOf(word, System.StringComparison.Ordinal); at >= 0; at = Text.IndexOf(word, at + word.Length, System.StringComparison.Ordinal))
            {
                if ((at > 0 && IsWordChar(Text[at - 1])) || (at + word.Length < Text.Length && IsWordChar(Text[at + word.Length])))
                {
                    continue;
                }

                if (followedBy != null && followedBy.IndexOf(NextNonSpace(at + word.Length)) < 0)
                {
                    continue;
                }

                // A comment, a string or a longer name holds the text but no token of it (@name ends where it does).
                root ??= Tree.GetRoot();
                var token = root.FindToken(at);
                if (token.Span.End != at + word.Length || token.ValueText != word)
                {
                    continue;
                }

                if (select(token) is { } node)
                {
                    found.Add(node);
                }
            }

            return found.ToImmutable();
        }

        /// <summary>Whether <paramref name="word"/> occurs as a whole word in the text from <paramref name="start"/> to <paramref name="end"/> (in a comment or a string too).</summary>
        public bool ContainsWord(string word, int start, int end)
        {
            for (var at = Text.IndexOf(word, start, end - start, System.StringComparison.Ordinal);
                 at >= 0 && at + word.Length <= end;
                 at = at + word.Length < end ? Text.IndexOf(word, at + word.Length, end - at - word.Length, System.StringComparison.Ordinal) : -1)
            {
                if ((at == 0 || !IsWordChar(Text[at - 1])) && (at + word.Length == Text.Length || !IsWordChar(Text[at + word.Length])))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The first character at or after <paramref name="at"/> that is not white space; '\0' at the end of the text.</summary>
        private char NextNonSpace(int at)
        {
            while (at < Text.Length && char.IsWhiteSpace(Text[at]))
            {
                at++;
            }

            return at < Text.Length ? Text[at] : '\0';
        }

        /// <summary>The invocation or object creation whose rightmost name is <paramref name="token"/>, or null.</summary>
        private static SyntaxNode? CallNamedBy(SyntaxToken token)
        {
            if (!(token.Parent is SimpleNameSyntax name) || name.Identifier != token)
            {
                return null;
            }

            ExpressionSyntax expression = name;
            while (true)
            {
                switch (expression.Parent)
                {
                    case MemberAccessExpressionSyntax access when access.Name == expression:
                        expression = access;
                        continue;
                    case MemberBindingExpressionSyntax binding when binding.Name == expression:
                        expression = binding;
                        continue;
                    case QualifiedNameSyntax qualified when qualified.Right == expression:
                        expression = qualified;
                        continue;
                    case AliasQualifiedNameSyntax alias when alias.Name == expression:
                        expression = alias;
                        continue;
                    case InvocationExpressionSyntax invocation when invocation.Expression == expression:
                        return invocation;
                    case ObjectCreationExpressionSyntax creation when creation.Type == expression:
                        return creation;
                    default:
                        return null;
                }
            }
        }


        /// <summary>Whether <paramref name="c"/> can be part of an identifier.</summary>
        public static bool IsWordChar(char c)
            => c < 128
                ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_'
                : char.IsLetterOrDigit(c);

        // One pass, the hash of each word built as its characters go by (the same FNV-1a as Hash), the class of an
        // ASCII character read from a table: this runs over every character of every file of a TorchSharp compilation.
        private static ulong[] FilterOf(string text)
        {
            var filter = new ulong[Bits / 64];
            var inWord = false;
            var hash = 0u;
            foreach (var c in text)
            {
                if (c < 128 ? AsciiWordChars[c] : char.IsLetterOrDigit(c))
                {
                    if (!inWord)
                    {
                        hash = FnvOffset;
                        inWord = true;
                    }

                    hash = unchecked((hash ^ c) * FnvPrime);
                }
                else if (inWord)
                {
                    Set(filter, hash);
                    Set(filter, hash >> 14);
                    inWord = false;
                }
            }

            if (inWord)
            {
                Set(filter, hash);
                Set(filter, hash >> 14);
            }

            return filter;
        }

        private static readonly bool[] AsciiWordChars = CreateAsciiWordChars();

        private static bool[] CreateAsciiWordChars()
        {
            var table = new bool[128];
            for (var c = 0; c < 128; c++)
            {
                table[c] = IsWordChar((char)c);
            }

            return table;
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

        private const uint FnvOffset = 2166136261;
        private const uint FnvPrime = 16777619;

        // FNV-1a over the characters: no substring is allocated per word.
        private static uint Hash(string text, int start, int length)
        {
            unchecked
            {
                var hash = FnvOffset;
                for (var i = start; i < start + length; i++)
                {
                    hash = (hash ^ text[i]) * FnvPrime;
                }

                return hash;
            }
        }
    }
}
