using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>The loops a fix inserts a statement into: for, foreach (also deconstructing: <c>foreach (var (x, y) in …)</c>), while, do.</summary>
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
    }
}
