using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// Statements around a node inside its own function, and expression bodies turned into blocks so that fixes which
    /// insert statements also work in <c>Tensor Predict(Tensor x) => model.call(x);</c>.
    /// </summary>
    internal static class FunctionBodies
    {
        /// <summary>The innermost statement around <paramref name="node"/> in the same member, lambda or local function; null in an expression body.</summary>
        public static StatementSyntax? EnclosingStatement(SyntaxNode node)
        {
            for (var current = node.Parent; current != null; current = current.Parent)
            {
                if (GradModeScopes.IsFunctionBoundary(current))
                {
                    return null;
                }

                if (current is StatementSyntax statement)
                {
                    return statement;
                }
            }

            return null;
        }

        /// <summary>
        /// When <paramref name="node"/> stands in the expression body of a method, local function, operator, constructor or
        /// accessor: that body turned into a block (<c>{ return expr; }</c>, or <c>{ expr; }</c> where nothing is returned),
        /// handed to <paramref name="fix"/> with the node as it stands in the new tree. Null when there is no such body or
        /// <paramref name="fix"/> gives null.
        /// </summary>
        public static SyntaxNode? WithBlockBody<TNode>(SyntaxNode root, TNode node, Func<SyntaxNode, TNode, SyntaxNode?> fix)
            where TNode : SyntaxNode
        {
            var arrow = node.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>();
            if (arrow is null || EnclosingStatement(node) != null)
            {
                return null;
            }

            var owner = arrow.Parent;
            bool returnsValue;
            switch (owner)
            {
                case MethodDeclarationSyntax method:
                    returnsValue = ReturnsValue(method.ReturnType, method.Modifiers);
                    break;
                case LocalFunctionStatementSyntax localFunction:
                    returnsValue = ReturnsValue(localFunction.ReturnType, localFunction.Modifiers);
                    break;
                case OperatorDeclarationSyntax _:
                case ConversionOperatorDeclarationSyntax _:
                    returnsValue = true;
                    break;
                case ConstructorDeclarationSyntax _:
                case DestructorDeclarationSyntax _:
                    returnsValue = false;
                    break;
                case AccessorDeclarationSyntax accessor:
                    returnsValue = accessor.IsKind(SyntaxKind.GetAccessorDeclaration);
                    break;
                default:
                    return null;
            }

            var marker = new SyntaxAnnotation();
            var annotatedRoot = root.ReplaceNode(node, node.WithAdditionalAnnotations(marker));
            var annotatedArrow = annotatedRoot.GetAnnotatedNodes(marker).GetEnumerator();
            annotatedArrow.MoveNext();
            var newArrow = annotatedArrow.Current.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>()!;
            var newOwner = newArrow.Parent!;

            var expression = newArrow.Expression.WithoutTrivia();
            StatementSyntax statement = returnsValue ? ReturnStatement(expression) : ExpressionStatement(expression);
            var semicolon = SemicolonOf(newOwner);
            var block = Block(statement)
                .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(semicolon.TrailingTrivia))
                .WithAdditionalAnnotations(Formatter.Annotation);

            // The space before `=>` would stand before `{`: an elastic marker lets the formatter put the brace on its own line.
            var beforeArrow = newArrow.GetFirstToken().GetPreviousToken();
            var withoutSpace = newOwner.ReplaceToken(beforeArrow, beforeArrow.WithTrailingTrivia(ElasticMarker));
            SyntaxNode replacement = withoutSpace switch
            {
                MethodDeclarationSyntax m => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                LocalFunctionStatementSyntax f => f.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                OperatorDeclarationSyntax o => o.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                ConversionOperatorDeclarationSyntax c => c.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                ConstructorDeclarationSyntax c => c.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                DestructorDeclarationSyntax d => d.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                AccessorDeclarationSyntax a => a.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
                _ => withoutSpace,
            };

            var blockRoot = annotatedRoot.ReplaceNode(newOwner, replacement);
            var moved = blockRoot.GetAnnotatedNodes(marker).GetEnumerator();
            return moved.MoveNext() && moved.Current is TNode newNode ? fix(blockRoot, newNode) : null;
        }

        /// <summary>
        /// When <paramref name="node"/> stands in the expression body of a lambda: that lambda with a block body
        /// (<c>{ return expr; }</c> when <paramref name="returnsValue"/>, else <c>{ expr; }</c>), handed to <paramref name="fix"/>
        /// with the node as it stands in the new tree. Null when there is no such lambda or <paramref name="fix"/> gives null.
        /// </summary>
        public static SyntaxNode? WithLambdaBlockBody<TNode>(SyntaxNode root, TNode node, bool returnsValue, Func<SyntaxNode, TNode, SyntaxNode?> fix)
            where TNode : SyntaxNode
        {
            if (EnclosingStatement(node) != null
                || !(node.Ancestors().FirstOrDefault(GradModeScopes.IsFunctionBoundary) is AnonymousFunctionExpressionSyntax { ExpressionBody: { } body } lambda))
            {
                return null;
            }

            var marker = new SyntaxAnnotation();
            var annotated = root.ReplaceNode(node, node.WithAdditionalAnnotations(marker));
            var newLambda = (AnonymousFunctionExpressionSyntax)annotated.GetAnnotatedNodes(marker).First()
                .Ancestors().First(GradModeScopes.IsFunctionBoundary);
            var expression = newLambda.ExpressionBody!.WithoutTrivia();
            StatementSyntax statement = returnsValue ? ReturnStatement(expression) : ExpressionStatement(expression);
            var block = Block(statement).WithAdditionalAnnotations(Formatter.Annotation);
            var replacement = newLambda.WithExpressionBody(null).WithBlock(block);
            var blockRoot = annotated.ReplaceNode(newLambda, replacement);
            var moved = blockRoot.GetAnnotatedNodes(marker).GetEnumerator();
            return moved.MoveNext() && moved.Current is TNode newNode ? fix(blockRoot, newNode) : null;
        }

        private static SyntaxToken SemicolonOf(SyntaxNode owner)
            => owner switch
            {
                BaseMethodDeclarationSyntax m => m.SemicolonToken,
                LocalFunctionStatementSyntax f => f.SemicolonToken,
                AccessorDeclarationSyntax a => a.SemicolonToken,
                _ => default,
            };

        private static bool ReturnsValue(TypeSyntax returnType, SyntaxTokenList modifiers)
        {
            if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
            {
                return false;
            }

            if (modifiers.Any(SyntaxKind.AsyncKeyword))
            {
                var name = returnType switch
                {
                    QualifiedNameSyntax qualified => qualified.Right,
                    AliasQualifiedNameSyntax alias => alias.Name,
                    SimpleNameSyntax simple => simple,
                    _ => null,
                };
                return !(name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" });
            }

            return true;
        }
    }
}
