using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>Trivia for statements that fixes insert next to existing ones.</summary>
    internal static class StatementTrivia
    {
        /// <summary>
        /// The whitespace that indents <paramref name="statement"/> on its line: what follows the last line break of its
        /// leading trivia (comments and blank lines before it are not included).
        /// </summary>
        public static SyntaxTriviaList Indentation(StatementSyntax statement)
        {
            var leading = statement.GetLeadingTrivia();
            var start = 0;
            for (var i = 0; i < leading.Count; i++)
            {
                if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia) || leading[i].IsDirective || leading[i].HasStructure)
                {
                    start = i + 1;
                }
            }

            return TriviaList(leading.Skip(start).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        }

        /// <summary>The line break the file uses, as found near <paramref name="node"/>; <c>\r\n</c> when there is none.</summary>
        public static SyntaxTrivia EndOfLine(SyntaxNode node)
        {
            foreach (var token in new[] { node.GetFirstToken().GetPreviousToken(), node.GetLastToken() })
            {
                foreach (var trivia in token.TrailingTrivia)
                {
                    if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
                    {
                        return trivia;
                    }
                }
            }

            var any = node.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            return any.IsKind(SyntaxKind.EndOfLineTrivia) ? any : CarriageReturnLineFeed;
        }

        /// <summary>
        /// <paramref name="statement"/> laid out to stand on its own line right before <paramref name="anchor"/>, and the
        /// anchor as it stands after it: the new statement takes the blank lines that separate the anchor from the code
        /// above and the anchor's indentation; the anchor keeps its comments and directives.
        /// </summary>
        public static (TStatement Statement, StatementSyntax Anchor) LayOutBefore<TStatement>(TStatement statement, StatementSyntax anchor)
            where TStatement : StatementSyntax
        {
            var leading = anchor.GetLeadingTrivia();
            var blank = 0;
            while (blank < leading.Count && (leading[blank].IsKind(SyntaxKind.WhitespaceTrivia) || leading[blank].IsKind(SyntaxKind.EndOfLineTrivia)))
            {
                blank++;
            }

            // Up to the last line break of the blank lines: what follows it indents the anchor's first line.
            var lastBreak = -1;
            for (var i = 0; i < blank; i++)
            {
                if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    lastBreak = i;
                }
            }

            var blankLines = TriviaList(leading.Take(lastBreak + 1));
            var indentation = Indentation(anchor);
            var laidOut = statement
                .WithLeadingTrivia(blankLines.AddRange(indentation))
                .WithTrailingTrivia(EndOfLine(anchor));
            var newAnchor = lastBreak < 0 ? anchor : anchor.WithLeadingTrivia(TriviaList(leading.Skip(lastBreak + 1)));
            return (laidOut, newAnchor);
        }
    }
}
