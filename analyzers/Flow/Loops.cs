using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>Loop statements: for, foreach (also deconstructing), while, do — for the rules' heuristics and the fixes.</summary>
    internal static class Loops
    {
        /// <summary>The body of <paramref name="node"/> when it is a loop; null otherwise.</summary>
        public static StatementSyntax? BodyOf(SyntaxNode node)
            => node switch
            {
                ForStatementSyntax loop => loop.Statement,
                CommonForEachStatementSyntax loop => loop.Statement,
                WhileStatementSyntax loop => loop.Statement,
                DoStatementSyntax loop => loop.Statement,
                _ => null,
            };

        public static bool IsLoop(SyntaxNode node)
            => node is ForStatementSyntax || node is CommonForEachStatementSyntax || node is WhileStatementSyntax || node is DoStatementSyntax;

        /// <summary>
        /// Whether <paramref name="later"/> runs after <paramref name="earlier"/>: later in the text, or inside a loop that
        /// also holds <paramref name="earlier"/> (the next iteration).
        /// </summary>
        public static bool MayRunAfter(SyntaxNode later, SyntaxNode earlier)
            => later.SpanStart > earlier.SpanStart
               || later.Ancestors().Any(a => IsLoop(a) && a.Span.Contains(earlier.Span));
    }
}
