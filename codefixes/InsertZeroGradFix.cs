using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using TorchSharp.Analyzers.CodeFixes.Common;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// The syntax rewrite behind the TORCH011 fix: insert <c>optimizer.zero_grad();</c> as the first statement of the
    /// innermost loop around the reported <c>step()</c>. Offered only where that is the whole answer: the step runs on
    /// every iteration (no <c>if</c>, <c>switch</c> or nested function between it and the loop body — a step every k
    /// iterations is accumulation, whose clear belongs next to the step), the loop body is a block, and the optimizer's
    /// name is declared before the loop. Syntax only; idempotent.
    /// </summary>
    internal static class InsertZeroGradFix
    {
        public static SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax step)
        {
            if (!(step.Expression is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name.Identifier.ValueText: TorchNames.Step } member)
                || !IsPlainReference(member.Expression)
                || !(LoopBodyAround(step) is { } body))
            {
                return null;
            }

            var optimizer = member.Expression;
            if (body.Statements.Count > 0 && IsZeroGradOf(body.Statements[0], optimizer))
            {
                return root;
            }

            if (DeclaredInside(optimizer, body))
            {
                return null;
            }

            var zeroGrad = ExpressionStatement(
                    InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, optimizer.WithoutTrivia(), IdentifierName(TorchNames.ZeroGrad))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return body.Statements.Count > 0
                ? StatementContainer.InsertBefore(root, body.Statements[0], zeroGrad)
                : root.ReplaceNode(body, body.AddStatements(zeroGrad));
        }

        /// <summary>The block body of the innermost loop around the step, when the step runs on each of its iterations.</summary>
        private static BlockSyntax? LoopBodyAround(InvocationExpressionSyntax step)
        {
            foreach (var ancestor in step.Ancestors())
            {
                if (GradModeScopes.IsFunctionBoundary(ancestor) || ancestor is IfStatementSyntax || ancestor is SwitchStatementSyntax
                    || ancestor is ConditionalExpressionSyntax || ancestor is CatchClauseSyntax)
                {
                    return null;
                }

                var body = TorchSharp.Analyzers.Flow.Loops.BodyOf(ancestor);
                if (body != null)
                {
                    return body.Span.Contains(step.Span) ? body as BlockSyntax : null;
                }
            }

            return null;
        }

        private static bool IsPlainReference(ExpressionSyntax expression)
            => expression is IdentifierNameSyntax
               || expression is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax, Name: IdentifierNameSyntax };

        private static bool IsZeroGradOf(StatementSyntax statement, ExpressionSyntax optimizer)
            => statement is ExpressionStatementSyntax
            {
                Expression: InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.ZeroGrad } member,
                },
            } && member.Expression.IsEquivalentTo(optimizer.WithoutTrivia(), topLevel: false);

        /// <summary>Whether the first name of the optimizer reference is declared inside the loop body (then the start of the body cannot see it).</summary>
        private static bool DeclaredInside(ExpressionSyntax optimizer, BlockSyntax body)
        {
            var name = optimizer.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().FirstOrDefault()?.Identifier.ValueText;
            return name != null && body.DescendantNodes().Any(n =>
                (n is VariableDeclaratorSyntax declarator && declarator.Identifier.ValueText == name)
                || (n is SingleVariableDesignationSyntax designation && designation.Identifier.ValueText == name)
                || (n is ForEachStatementSyntax loop && loop.Identifier.ValueText == name));
        }
    }
}
