using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The identifiers of one tree written with a Unicode escape (<c>Pr\u0065dict</c>, <c>requires\u005fgrad</c>): the
    /// name they denote is not in the text, so <see cref="SourceWords"/> and its <see cref="WordIndex"/> cannot find them,
    /// and every text question must add them to stay a proof. Found by one walk of the tree's tokens, only in a tree whose
    /// text holds <c>\u</c> or <c>\U</c> at all (almost none: the text check is all the others cost); kept per tree, as
    /// <see cref="SourceWords"/> is. The helpers below are the text tier's questions with these tokens added.
    /// </summary>
    internal sealed class EscapedNames
    {
        private static readonly EscapedNames None = new EscapedNames(new Dictionary<string, List<SyntaxToken>>(0));

        private readonly Dictionary<string, List<SyntaxToken>> _tokens;

        private EscapedNames(Dictionary<string, List<SyntaxToken>> tokens) => _tokens = tokens;

        /// <summary>Whether the tree has no identifier written with an escape (then the text answers alone).</summary>
        public bool IsEmpty => _tokens.Count == 0;

        /// <summary>The escaped identifiers of <paramref name="source"/>'s tree (found once, kept by <paramref name="source"/>).</summary>
        public static EscapedNames Of(SourceWords source) => source.Escaped;

        /// <summary>Finds the escaped identifiers of <paramref name="source"/>'s tree; <see cref="SourceWords.Escaped"/> keeps them.</summary>
        internal static EscapedNames Find(SourceWords source)
        {
            var text = source.Text;
            if (text.IndexOf("\\u", StringComparison.Ordinal) < 0 && text.IndexOf("\\U", StringComparison.Ordinal) < 0)
            {
                return None;
            }

            var tokens = new Dictionary<string, List<SyntaxToken>>(StringComparer.Ordinal);
            foreach (var token in source.Tree.GetRoot().DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.Text.IndexOf('\\') >= 0)
                {
                    if (!tokens.TryGetValue(token.ValueText, out var list))
                    {
                        list = new List<SyntaxToken>();
                        tokens[token.ValueText] = list;
                    }

                    list.Add(token);
                }
            }

            return tokens.Count == 0 ? None : new EscapedNames(tokens);
        }

        /// <summary>The escaped identifiers that denote <paramref name="name"/>, in text order.</summary>
        public IReadOnlyList<SyntaxToken> Named(string name)
            => _tokens.TryGetValue(name, out var tokens) ? tokens : (IReadOnlyList<SyntaxToken>)Array.Empty<SyntaxToken>();

        /// <summary><see cref="SourceWords.ContainsWord"/>, or an escaped identifier denoting <paramref name="word"/> between <paramref name="start"/> and <paramref name="end"/>.</summary>
        public static bool ContainsWord(SourceWords source, string word, int start, int end)
        {
            if (source.ContainsWord(word, start, end))
            {
                return true;
            }

            foreach (var token in Of(source).Named(word))
            {
                if (token.SpanStart >= start && token.Span.End <= end)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><see cref="SourceWords.TokensIn"/> with the escaped identifiers denoting <paramref name="word"/> in <paramref name="span"/>, in text order.</summary>
        public static List<SyntaxToken> TokensIn(SourceWords source, string word, TextSpan span)
        {
            var tokens = source.TokensIn(word, span);
            var escaped = Of(source).Named(word);
            if (escaped.Count == 0)
            {
                return tokens;
            }

            foreach (var token in escaped)
            {
                if (span.Contains(token.Span))
                {
                    tokens.Add(token);
                }
            }

            tokens.Sort((x, y) => x.SpanStart.CompareTo(y.SpanStart));
            return tokens;
        }

        /// <summary>
        /// <see cref="SourceWords.CallsWritten"/> with the invocations and creations whose name is an escaped identifier
        /// denoting <paramref name="name"/>, in the order of the names' positions.
        /// </summary>
        public static ImmutableArray<SyntaxNode> CallsWritten(SourceWords source, string name)
        {
            var calls = source.CallsWritten(name);
            var escaped = Of(source).Named(name);
            if (escaped.Count == 0)
            {
                return calls;
            }

            var all = new List<SyntaxNode>(calls);
            foreach (var token in escaped)
            {
                if (SourceWords.CallNamedBy(token) is { } call)
                {
                    all.Add(call);
                }
            }

            all.Sort((x, y) => Modes.BoundCallSites.NamePosition(x).CompareTo(Modes.BoundCallSites.NamePosition(y)));
            return all.ToImmutableArray();
        }

        /// <summary>
        /// <see cref="SourceWords.Mentions"/> with the escaped identifiers denoting <paramref name="word"/> (their parent
        /// nodes), whatever follows them: a superset, as the text tier's answers may be.
        /// </summary>
        public static IEnumerable<SyntaxNode> Mentions(SourceWords source, string word, string followedBy)
        {
            foreach (var mention in source.Mentions(word, followedBy))
            {
                yield return mention;
            }

            foreach (var token in Of(source).Named(word))
            {
                if (token.Parent is { } parent)
                {
                    yield return parent;
                }
            }
        }
    }
}
