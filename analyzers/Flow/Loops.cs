using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>Loop statements, for the "later in the method" heuristics of the optimizer rules.</summary>
    internal static class Loops
    {
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
