using System.Collections.Generic;
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
    /// The syntax rewrite behind the TORCH006 fix: turn a lost grad-mode scope into a <c>using</c>, either a using
    /// declaration (the rest of the block is the scope) or a using block around the statements that follow. Works on
    /// syntax alone, so Fix All can apply it many times to one tree.
    /// </summary>
    internal static class GradScopeUsingFix
    {
        /// <summary>The two shapes the fix can take.</summary>
        public enum Shape
        {
            /// <summary><c>using var noGrad = torch.no_grad();</c> — the scope ends with the enclosing block.</summary>
            UsingDeclaration,

            /// <summary><c>using (torch.no_grad()) { … }</c> around the statements that follow.</summary>
            UsingBlock,
        }

        /// <summary>
        /// The fixed root, or null when <paramref name="shape"/> does not fit where <paramref name="call"/> stands (the
        /// fix is then not offered): embedded statements, reassigned locals, scopes that would hide a variable from its uses.
        /// </summary>
        public static SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax call, Shape shape)
        {
            var statement = call.FirstAncestorOrSelf<StatementSyntax>();
            if (statement is null || !(StatementContainer.Of(statement) is { Index: >= 0 } container))
            {
                return null;
            }

            if (shape == Shape.UsingDeclaration
                && (!container.AllowsUsingDeclaration
                    || !(statement.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })))
            {
                return null;
            }

            switch (statement)
            {
                case ExpressionStatementSyntax discarded when IsDiscardedCall(discarded, call):
                    return FixDiscarded(root, discarded, call, container, shape);
                case LocalDeclarationStatementSyntax declaration when IsSingleLocalInitializedBy(declaration, call):
                    return FixLocal(root, declaration, container, shape);
                default:
                    return null;
            }
        }

        private static bool IsDiscardedCall(ExpressionStatementSyntax statement, InvocationExpressionSyntax call)
            => statement.Expression == call
               || (statement.Expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } assignment
                   && assignment.Right == call);

        private static bool IsSingleLocalInitializedBy(LocalDeclarationStatementSyntax declaration, InvocationExpressionSyntax call)
            => declaration.UsingKeyword.IsKind(SyntaxKind.None)
               && declaration.Declaration.Variables.Count == 1
               && declaration.Declaration.Variables[0].Initializer?.Value == call;

        private static SyntaxNode? FixDiscarded(SyntaxNode root, ExpressionStatementSyntax discarded, InvocationExpressionSyntax call, StatementContainer container, Shape shape)
        {
            if (shape == Shape.UsingDeclaration)
            {
                // Parsed from text so that the call keeps exactly what the user wrote, comments inside it included.
                var name = FreeNames.Pick(discarded, PreferredName(call));
                var declaration = ParseStatement("using var " + name + " = " + call.WithoutTrivia().ToFullString() + ";")
                    .WithTriviaFrom(discarded);
                return root.ReplaceNode(discarded, declaration);
            }

            return WrapFollowing(root, container, discarded, UsingStatement(null, call.WithoutTrivia(), Block()), end: container.Statements.Count);
        }

        private static SyntaxNode? FixLocal(SyntaxNode root, LocalDeclarationStatementSyntax declaration, StatementContainer container, Shape shape)
        {
            var local = declaration.Declaration.Variables[0].Identifier.ValueText;
            if (IsAssignedAfter(container, local))
            {
                // A using variable is read-only (CS1656): reassigning code cannot take either shape.
                return null;
            }

            // A `local.Dispose();` among the following statements of the same block ends the scope: it is removed and
            // the scope ends there. Dispose calls nested deeper stay; disposing a grad-mode scope twice is harmless.
            var disposeIndex = IndexOfDisposeStatement(container, local);
            var end = disposeIndex ?? container.Statements.Count;

            if (shape == Shape.UsingDeclaration)
            {
                if (disposeIndex is int index && index != container.Statements.Count - 1)
                {
                    return null;
                }

                // Only the keyword is inserted, so the statement keeps its own formatting and comments.
                var usingKeyword = Token(declaration.GetLeadingTrivia(), SyntaxKind.UsingKeyword, TriviaList(Space));
                var usingDeclaration = declaration
                    .WithDeclaration(declaration.Declaration.WithoutLeadingTrivia())
                    .WithUsingKeyword(usingKeyword);
                if (disposeIndex is int last)
                {
                    var dispose = container.Statements[last];
                    var tracked = root.TrackNodes(declaration, dispose);
                    tracked = tracked.RemoveNode(tracked.GetCurrentNode(dispose)!, RemoveOptionsFor(dispose))!;
                    return tracked.ReplaceNode(tracked.GetCurrentNode(declaration)!, usingDeclaration);
                }

                return root.ReplaceNode(declaration, usingDeclaration);
            }

            var resource = declaration.Declaration.WithoutTrivia();
            return WrapFollowing(root, container, declaration, UsingStatement(resource, null, Block()), end, removeEnd: disposeIndex.HasValue);
        }

        /// <summary>
        /// Replaces <paramref name="anchor"/> and the statements after it, up to <paramref name="end"/> (exclusive), with
        /// <paramref name="usingStatement"/> whose block holds those statements; removes the statement at
        /// <paramref name="end"/> too when <paramref name="removeEnd"/>.
        /// </summary>
        private static SyntaxNode? WrapFollowing(SyntaxNode root, StatementContainer container, StatementSyntax anchor, UsingStatementSyntax usingStatement, int end, bool removeEnd = false)
        {
            var start = container.Index;
            var wrapped = container.Statements.Skip(start + 1).Take(end - start - 1).ToList();
            if (removeEnd && HidesVariableFromLaterUse(container, wrapped, end + 1))
            {
                return null;
            }

            var block = Block(wrapped);
            var count = end - start + (removeEnd ? 1 : 0);
            var lastReplaced = container.Statements[start + count - 1];
            var replacement = usingStatement
                .WithStatement(block)
                .WithLeadingTrivia(anchor.GetLeadingTrivia())
                .WithTrailingTrivia(lastReplaced.GetTrailingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            var newContainer = container.ReplaceRange(start, count, replacement);
            return newContainer is null ? null : root.ReplaceNode(container.Node, newContainer);
        }

        /// <summary>Whether a local declared by one of <paramref name="wrapped"/> is named again after the new block.</summary>
        private static bool HidesVariableFromLaterUse(StatementContainer container, IReadOnlyList<StatementSyntax> wrapped, int firstAfter)
        {
            var declared = new HashSet<string>(
                wrapped.OfType<LocalDeclarationStatementSyntax>().SelectMany(d => d.Declaration.Variables).Select(v => v.Identifier.ValueText)
                    .Concat(wrapped.OfType<LocalFunctionStatementSyntax>().Select(f => f.Identifier.ValueText))
                    .Concat(wrapped.SelectMany(s => s.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax)).OfType<SingleVariableDesignationSyntax>())
                        .Where(d => d.FirstAncestorOrSelf<StatementSyntax>()?.Parent == container.Node)
                        .Select(d => d.Identifier.ValueText)));
            if (declared.Count == 0)
            {
                return false;
            }

            return container.Statements.Skip(firstAfter)
                .SelectMany(s => s.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
                .Any(identifier => declared.Contains(identifier.Identifier.ValueText));
        }

        /// <summary>A removed statement takes its line with it, unless it carries a comment worth keeping.</summary>
        private static SyntaxRemoveOptions RemoveOptionsFor(StatementSyntax statement)
            => statement.GetLeadingTrivia().Concat(statement.GetTrailingTrivia()).Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia))
                ? SyntaxRemoveOptions.KeepExteriorTrivia | SyntaxRemoveOptions.KeepUnbalancedDirectives
                : SyntaxRemoveOptions.KeepUnbalancedDirectives;

        private static int? IndexOfDisposeStatement(StatementContainer container, string local)
        {
            for (var i = container.Index + 1; i < container.Statements.Count; i++)
            {
                if (container.Statements[i] is ExpressionStatementSyntax statement && IsDisposeOf(statement.Expression, local))
                {
                    return i;
                }
            }

            return null;
        }

        /// <summary><c>local.Dispose()</c> or <c>local?.Dispose()</c>.</summary>
        private static bool IsDisposeOf(ExpressionSyntax expression, string local)
        {
            switch (expression)
            {
                case InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose", Expression: IdentifierNameSyntax receiver },
                }:
                    return receiver.Identifier.ValueText == local;
                case ConditionalAccessExpressionSyntax
                {
                    Expression: IdentifierNameSyntax receiver,
                    WhenNotNull: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Dispose" } },
                }:
                    return receiver.Identifier.ValueText == local;
                default:
                    return false;
            }
        }

        private static bool IsAssignedAfter(StatementContainer container, string local)
            => container.Statements.Skip(container.Index + 1)
                .SelectMany(s => s.DescendantNodesAndSelf().OfType<AssignmentExpressionSyntax>())
                .Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local);

        private static string PreferredName(InvocationExpressionSyntax call)
        {
            var method = call.Expression switch
            {
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                _ => string.Empty,
            };
            return method switch
            {
                TorchNames.NoGrad => "noGrad",
                TorchNames.EnableGrad => "enableGrad",
                TorchNames.InferenceMode => "inferenceMode",
                _ => "gradMode",
            };
        }
    }
}
