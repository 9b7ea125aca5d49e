using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// The syntax rewrite behind the TORCH009 fix: the awaiting statement leaves the grad-mode scope, which ends before it
    /// and is opened again after it — <c>using (no_grad()) { A; var r = await X; B; }</c> becomes
    /// <c>using (no_grad()) { A } var r = await X; using (no_grad()) { B }</c>; with nothing before the await, the
    /// statement simply moves before the scope. Offered only where the meaning of A and B is kept: the awaiting statement
    /// is a statement of the scope's own block (an await, an assignment or declaration of one, a return of one), the
    /// locals that A declares are not named by the statement or by B, and a local the statement declares names nothing
    /// else around the scope. Works on syntax alone, so Fix All can apply it many times to one tree.
    /// </summary>
    internal static class AwaitScopeSplitFix
    {
        /// <summary>Whether the fix moves the statement without splitting anything (nothing of the scope runs before it).</summary>
        public static bool MovesOnly(SyntaxNode root, SyntaxNode reported)
            => Plan(reported) is { } plan && plan.Before.Count == 0;

        /// <summary>The fixed root, or null when the fix does not fit.</summary>
        public static SyntaxNode? Apply(SyntaxNode root, SyntaxNode reported)
        {
            if (!(Plan(reported) is { } plan))
            {
                return null;
            }

            var moved = plan.Statement.WithAdditionalAnnotations(Formatter.Annotation);
            var replacement = new List<StatementSyntax>();
            if (plan.Using is { } statement)
            {
                if (plan.Before.Count > 0)
                {
                    replacement.Add(statement.WithStatement(plan.Body.WithStatements(List(plan.Before))).WithTrailingTrivia(ElasticCarriageReturnLineFeed).WithAdditionalAnnotations(Formatter.Annotation));
                    replacement.Add(moved.WithLeadingTrivia(ElasticMarker));
                }
                else
                {
                    replacement.Add(moved.WithLeadingTrivia(statement.GetLeadingTrivia()));
                }

                if (plan.After.Count > 0)
                {
                    replacement.Add(statement.WithStatement(plan.Body.WithStatements(List(plan.After)))
                        .WithLeadingTrivia(ElasticMarker).WithAdditionalAnnotations(Formatter.Annotation));
                }
                else
                {
                    replacement[replacement.Count - 1] = replacement[replacement.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
                }

                return statement.Parent is BlockSyntax || statement.Parent is SwitchSectionSyntax
                    ? root.ReplaceNode(statement, replacement)
                    : null;
            }

            // A using declaration: the statements before the await go into a using block over the same call; the
            // declaration itself comes back after the await, over the rest of the block, when anything follows.
            var declaration = plan.Declaration!;
            var statements = plan.Body.Statements;
            var start = statements.IndexOf(declaration);
            var end = statements.IndexOf(plan.Statement);
            if (plan.Before.Count > 0)
            {
                var call = declaration.Declaration.Variables[0].Initializer!.Value.WithoutTrivia();
                replacement.Add(UsingStatement(null, call, Block(plan.Before))
                    .WithLeadingTrivia(declaration.GetLeadingTrivia())
                    .WithAdditionalAnnotations(Formatter.Annotation));
                replacement.Add(moved);
            }
            else
            {
                replacement.Add(moved.WithLeadingTrivia(declaration.GetLeadingTrivia()));
            }

            if (plan.After.Count > 0)
            {
                replacement.Add(declaration.WithLeadingTrivia(plan.Statement.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
            }

            for (var i = end; i >= start; i--)
            {
                statements = statements.RemoveAt(i);
            }

            statements = statements.InsertRange(start, replacement);
            return root.ReplaceNode(plan.Body, plan.Body.WithStatements(statements));
        }

        private sealed class Shape
        {
            public Shape(StatementSyntax statement, BlockSyntax body, UsingStatementSyntax? usingStatement, LocalDeclarationStatementSyntax? declaration, List<StatementSyntax> before, List<StatementSyntax> after)
            {
                Statement = statement;
                Body = body;
                Using = usingStatement;
                Declaration = declaration;
                Before = before;
                After = after;
            }

            public StatementSyntax Statement { get; }

            public BlockSyntax Body { get; }

            public UsingStatementSyntax? Using { get; }

            public LocalDeclarationStatementSyntax? Declaration { get; }

            public List<StatementSyntax> Before { get; }

            public List<StatementSyntax> After { get; }
        }

        private static Shape? Plan(SyntaxNode reported)
        {
            if (!(reported.FirstAncestorOrSelf<AwaitExpressionSyntax>() is { } awaitExpression)
                || !(awaitExpression.Parent is { } parent && AwaitingStatement(parent, awaitExpression) is { } statement)
                || !(statement.Parent is BlockSyntax body))
            {
                return null;
            }

            var index = body.Statements.IndexOf(statement);
            if (body.Parent is UsingStatementSyntax usingStatement && usingStatement.AwaitKeyword.IsKind(SyntaxKind.None)
                && IsSwitchCall(usingStatement.Expression ?? usingStatement.Declaration?.Variables.FirstOrDefault()?.Initializer?.Value))
            {
                var before = body.Statements.Take(index).ToList();
                var after = body.Statements.Skip(index + 1).ToList();
                return KeepsMeaning(statement, before, after) && !NamesAroundScope(statement, usingStatement)
                    ? new Shape(statement, body, usingStatement, null, before, after)
                    : null;
            }

            for (var i = index - 1; i >= 0; i--)
            {
                if (body.Statements[i] is LocalDeclarationStatementSyntax declaration && declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)
                    && declaration.AwaitKeyword.IsKind(SyntaxKind.None) && declaration.Declaration.Variables.Count == 1
                    && IsSwitchCall(declaration.Declaration.Variables[0].Initializer?.Value))
                {
                    var before = body.Statements.Skip(i + 1).Take(index - i - 1).ToList();
                    var after = body.Statements.Skip(index + 1).ToList();
                    var name = declaration.Declaration.Variables[0].Identifier.ValueText;

                    // The first part becomes a using block without the variable: it must not name it.
                    return KeepsMeaning(statement, before, after) && !before.Any(s => Names(s, name))
                        ? new Shape(statement, body, null, declaration, before, after)
                        : null;
                }
            }

            return null;
        }

        /// <summary>The statement that does nothing but await <paramref name="awaitExpression"/> (and keep or return its result).</summary>
        private static StatementSyntax? AwaitingStatement(SyntaxNode parent, AwaitExpressionSyntax awaitExpression)
        {
            switch (parent)
            {
                case ExpressionStatementSyntax statement:
                    return statement;
                case ReturnStatementSyntax statement:
                    return statement;
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Parent: ExpressionStatementSyntax statement } assignment
                    when assignment.Right == awaitExpression:
                    return statement;
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement } } }
                    when statement.UsingKeyword.IsKind(SyntaxKind.None) && statement.AwaitKeyword.IsKind(SyntaxKind.None):
                    return statement;
                default:
                    return null;
            }
        }

        private static bool IsSwitchCall(ExpressionSyntax? expression)
            => expression is InvocationExpressionSyntax call
               && (call.Expression switch
               {
                   MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                   IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                   _ => string.Empty,
               }) is var name
               && TorchNames.GradSwitches.Contains(name);

        /// <summary>Whether the locals declared before the await stay out of the statement and what follows it.</summary>
        private static bool KeepsMeaning(StatementSyntax statement, List<StatementSyntax> before, List<StatementSyntax> after)
        {
            var declared = new HashSet<string>(before.SelectMany(DeclaredNames));
            return declared.Count == 0 || !after.Prepend(statement).Any(s => declared.Any(name => Names(s, name)));
        }

        /// <summary>Whether a local declared by the moved statement is a name used elsewhere around the scope.</summary>
        private static bool NamesAroundScope(StatementSyntax statement, UsingStatementSyntax scope)
        {
            if (!(statement is LocalDeclarationStatementSyntax) || !(scope.Parent is { } container))
            {
                return false;
            }

            var names = DeclaredNames(statement).ToList();
            return container.ChildNodes().OfType<StatementSyntax>().Where(s => s != scope).Any(s => names.Any(name => Names(s, name)));
        }

        private static IEnumerable<string> DeclaredNames(StatementSyntax statement)
            => statement.DescendantNodesAndSelf().Select(node => node switch
            {
                VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
                SingleVariableDesignationSyntax designation => designation.Identifier.ValueText,
                ForEachStatementSyntax loop => loop.Identifier.ValueText,
                LocalFunctionStatementSyntax function => function.Identifier.ValueText,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier.ValueText,
                ParameterSyntax parameter => parameter.Identifier.ValueText,
                _ => null,
            }).Where(name => !string.IsNullOrEmpty(name))!;

        private static bool Names(SyntaxNode node, string name)
            => node.DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name);
    }
}
