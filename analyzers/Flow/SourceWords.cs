using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The text of one syntax tree and the calls and assignments a search can find in it, by name: the positions come from
    /// a <see cref="WordIndex"/> of the text (built on the first search), and only those places become nodes. Kept per tree
    /// across compilations: after an edit the editor's new compilation reuses every tree but the edited one, and with it
    /// what was found in them.
    /// </summary>
    internal sealed class SourceWords
    {
        private readonly System.Lazy<WordIndex> _index;

        private SourceWords(SyntaxTree tree, string text)
        {
            Tree = tree;
            Text = text;
            _index = new System.Lazy<WordIndex>(() => WordIndex.Of(text), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
            _escaped = new System.Lazy<EscapedNames>(() => EscapedNames.Find(this), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The identifiers of this tree written with a Unicode escape, which the text search cannot see (<see cref="EscapedNames"/>).</summary>
        internal EscapedNames Escaped => _escaped.Value;

        private readonly System.Lazy<EscapedNames> _escaped;

        public SyntaxTree Tree { get; }

        public string Text { get; }

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
        /// The nodes of the tokens of this tree that are <paramref name="word"/> and whose next character that is not white
        /// space is one of <paramref name="followedBy"/> (characters of <see cref="WordIndex.Followers"/>): the necessary
        /// condition of the caller's question, '=' for an assignment to the name, '(' for a call or a constructor initializer.
        /// </summary>
        public ImmutableArray<SyntaxNode> Mentions(string word, string followedBy)
            => _mentions.GetOrAdd((word, followedBy), key => Find(key.Word, key.FollowedBy, token => token.Parent));

        private readonly ConcurrentDictionary<(string Word, string FollowedBy), ImmutableArray<SyntaxNode>> _mentions = new ConcurrentDictionary<(string, string), ImmutableArray<SyntaxNode>>();

        /// <summary>
        /// What <paramref name="select"/> makes of each token that is <paramref name="word"/> followed by one of the
        /// characters of <paramref name="followedBy"/>; only these places become nodes (finding a token is the costly part).
        /// </summary>
        private ImmutableArray<SyntaxNode> Find(string word, string followedBy, System.Func<SyntaxToken, SyntaxNode?> select)
        {
            var found = ImmutableArray.CreateBuilder<SyntaxNode>();
            SyntaxNode? root = null;
            foreach (var at in _index.Value.PositionsOf(word))
            {
                if (followedBy.IndexOf(WordIndex.NextNonSpace(Text, at + word.Length)) < 0)
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
        public bool ContainsWord(string word, int start, int end) => NextWholeWord(word, start, end) >= 0;

        /// <summary>
        /// The tokens that are <paramref name="word"/> in <paramref name="span"/> of this tree, found by a text search: only
        /// the occurrences become tokens (a name in a comment or a string has none).
        /// </summary>
        public List<SyntaxToken> TokensIn(string word, TextSpan span)
        {
            var tokens = new List<SyntaxToken>();
            SyntaxNode? root = null;
            for (var at = NextWholeWord(word, span.Start, span.End); at >= 0; at = NextWholeWord(word, at + word.Length, span.End))
            {
                root ??= Tree.GetRoot();
                var token = root.FindToken(at);
                if (token.Span.End == at + word.Length && token.ValueText == word)
                {
                    tokens.Add(token);
                }
            }

            return tokens;
        }

        /// <summary>Where <paramref name="word"/> next starts as a whole word from <paramref name="start"/>, ending by <paramref name="end"/>; -1 when it does not.</summary>
        private int NextWholeWord(string word, int start, int end)
        {
            for (var at = start < end ? Text.IndexOf(word, start, end - start, System.StringComparison.Ordinal) : -1;
                 at >= 0 && at + word.Length <= end;
                 at = at + word.Length < end ? Text.IndexOf(word, at + word.Length, end - at - word.Length, System.StringComparison.Ordinal) : -1)
            {
                if ((at == 0 || !WordIndex.IsWordChar(Text[at - 1])) && (at + word.Length == Text.Length || !WordIndex.IsWordChar(Text[at + word.Length])))
                {
                    return at;
                }
            }

            return -1;
        }

        /// <summary>The invocation or object creation whose rightmost name is <paramref name="token"/>, or null.</summary>
        internal static SyntaxNode? CallNamedBy(SyntaxToken token)
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
    }
}
