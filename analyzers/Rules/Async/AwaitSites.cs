using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Rules.Async
{
    /// <summary>Where an await of the flow graph is written: the <c>await</c> keyword of an expression, <c>await foreach</c> or <c>await using</c>.</summary>
    internal static class AwaitSites
    {
        /// <summary>The <c>await</c> keyword that <paramref name="syntax"/> (the syntax of an await operation) belongs to; null when none is written.</summary>
        public static SyntaxToken? KeywordOf(SyntaxNode syntax)
        {
            for (var node = syntax; node != null; node = node.Parent)
            {
                switch (node)
                {
                    case AwaitExpressionSyntax expression:
                        return expression.AwaitKeyword;
                    case CommonForEachStatementSyntax loop:
                        return loop.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword) ? loop.AwaitKeyword : (SyntaxToken?)null;
                    case UsingStatementSyntax statement:
                        return statement.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword) ? statement.AwaitKeyword : (SyntaxToken?)null;
                    case LocalDeclarationStatementSyntax declaration:
                        return declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword) ? declaration.AwaitKeyword : (SyntaxToken?)null;
                    case StatementSyntax _:
                    case AnonymousFunctionExpressionSyntax _:
                    case MemberDeclarationSyntax _:
                        return null;
                }
            }

            return null;
        }

        /// <summary>"await", "await foreach" or "await using", for the message.</summary>
        public static string KindText(SyntaxToken keyword)
            => keyword.Parent switch
            {
                CommonForEachStatementSyntax _ => "await foreach",
                UsingStatementSyntax _ => "await using",
                LocalDeclarationStatementSyntax _ => "await using",
                _ => "await",
            };
    }
}
