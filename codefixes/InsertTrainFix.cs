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
    /// The syntax rewrite behind the TORCH005 fix: insert <c>module.train();</c> at the start of the training region —
    /// the body of the innermost loop around the forward pass (each epoch starts training again after the previous
    /// validation), or, outside loops, the start of the method. Syntax only; idempotent (a region that already starts
    /// with the same <c>train()</c> is left alone).
    /// </summary>
    internal static class InsertTrainFix
    {
        public static SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax invocation)
        {
            if (!(InsertEvalFix.ModuleOf(invocation) is { } module) || !(RegionStart(invocation) is { } first))
            {
                return null;
            }

            if (IsTrainOf(first, module))
            {
                return root;
            }

            // The module must already be reachable by that name where the region starts.
            if (DeclaredInside(module, first, invocation))
            {
                return null;
            }

            var train = ExpressionStatement(
                    InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, module.WithoutTrivia(), IdentifierName(TorchNames.Train))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return StatementContainer.InsertBefore(root, first, train);
        }

        /// <summary>The first statement of the loop body or function body that holds the invocation; null when it has none in a block.</summary>
        private static StatementSyntax? RegionStart(InvocationExpressionSyntax invocation)
        {
            foreach (var ancestor in invocation.Ancestors())
            {
                if (GradModeScopes.IsFunctionBoundary(ancestor))
                {
                    return FirstStatementOf(ancestor);
                }

                var body = TorchSharp.Analyzers.Flow.Loops.BodyOf(ancestor);
                if (body != null && body.Span.Contains(invocation.Span))
                {
                    return body is BlockSyntax { Statements.Count: > 0 } block ? block.Statements[0] : null;
                }
            }

            return null;
        }

        private static StatementSyntax? FirstStatementOf(SyntaxNode function)
        {
            var body = function switch
            {
                BaseMethodDeclarationSyntax method => method.Body,
                LocalFunctionStatementSyntax local => local.Body,
                AnonymousFunctionExpressionSyntax lambda => lambda.Block,
                AccessorDeclarationSyntax accessor => accessor.Body,
                _ => null,
            };
            return body is { Statements.Count: > 0 } ? body.Statements[0] : null;
        }

        private static bool IsTrainOf(StatementSyntax statement, ExpressionSyntax module)
            => statement is ExpressionStatementSyntax
            {
                Expression: InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.Train } member,
                },
            } && member.Expression.IsEquivalentTo(module.WithoutTrivia(), topLevel: false);

        /// <summary>Whether a name the module reference uses is declared between the region start and the invocation.</summary>
        private static bool DeclaredInside(ExpressionSyntax module, StatementSyntax first, InvocationExpressionSyntax invocation)
        {
            var names = module.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText).ToList();
            var region = first.Parent!;
            return region.DescendantNodes()
                .Where(n => n.SpanStart >= first.SpanStart && n.SpanStart < invocation.SpanStart)
                .Any(n => (n is VariableDeclaratorSyntax declarator && names.Contains(declarator.Identifier.ValueText))
                          || (n is SingleVariableDesignationSyntax designation && names.Contains(designation.Identifier.ValueText)));
        }
    }
}
