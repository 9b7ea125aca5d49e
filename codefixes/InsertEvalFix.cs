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
    /// The syntax rewrite behind the TORCH001 fix: insert <c>module.eval();</c> before the inference region of a module
    /// invocation — before the outermost grad-mode scope around it in the same function, else before the statement that
    /// holds it. Works on syntax alone, so Fix All can apply it many times to one tree; applying it where the same
    /// <c>eval()</c> already stands right before the region changes nothing.
    /// </summary>
    internal static class InsertEvalFix
    {
        /// <summary>The receiver of the module invocation, when the fix can name it again without side effects.</summary>
        public static ExpressionSyntax? ModuleOf(InvocationExpressionSyntax invocation)
        {
            switch (invocation.Expression)
            {
                case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } member when IsPlainReference(member.Expression):
                    return member.Expression;
                case MemberBindingExpressionSyntax _ when invocation.Parent is ConditionalAccessExpressionSyntax conditional
                                                          && conditional.WhenNotNull == invocation
                                                          && IsPlainReference(conditional.Expression):
                    return conditional.Expression;
                default:
                    return null;
            }
        }

        /// <summary><c>model?.call(x)</c>: the fix writes <c>model?.eval();</c>.</summary>
        private static bool IsConditional(InvocationExpressionSyntax invocation) => invocation.Expression is MemberBindingExpressionSyntax;

        /// <summary>
        /// The fixed root; <paramref name="root"/> itself when the same <c>eval()</c> already precedes the region (Fix All met
        /// the region before); null when the fix does not fit.
        /// </summary>
        public static SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax invocation)
        {
            if (!(ModuleOf(invocation) is { } module))
            {
                return null;
            }

            if (FunctionBodies.EnclosingStatement(invocation) is null)
            {
                // `T Predict(Tensor x) => model.call(x);`: give the member a block body first, then fix inside it.
                return FunctionBodies.WithBlockBody(root, invocation, (newRoot, newInvocation) => Apply(newRoot, newInvocation));
            }

            if (!(AnchorFor(invocation, module) is { } anchor))
            {
                return null;
            }

            var container = StatementContainer.Of(anchor)!;
            if (IsPrecededByEvalOf(container, module))
            {
                return root;
            }

            ExpressionSyntax call = IsConditional(invocation)
                ? ConditionalAccessExpression(module.WithoutTrivia(), InvocationExpression(MemberBindingExpression(IdentifierName(TorchNames.Eval))))
                : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, module.WithoutTrivia(), IdentifierName(TorchNames.Eval)));
            var eval = ExpressionStatement(call).WithAdditionalAnnotations(Formatter.Annotation);
            return StatementContainer.InsertBefore(root, anchor, eval);
        }

        /// <summary>
        /// The statement to insert before: the outermost grad-mode scope around the invocation whose start the module
        /// reference reaches unchanged (declared and assigned before it), else the statement that holds the invocation.
        /// </summary>
        private static StatementSyntax? AnchorFor(InvocationExpressionSyntax invocation, ExpressionSyntax module)
        {
            var names = new HashSet<string>(module.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText));
            var candidates = GradModeScopes.Around(invocation).Select(s => s.Statement).Reverse().ToList();
            if (FunctionBodies.EnclosingStatement(invocation) is { } own)
            {
                candidates.Add(own);
            }

            foreach (var candidate in candidates)
            {
                if (InContainer(candidate) is { } anchor && !ChangesNamesBefore(anchor, invocation, names))
                {
                    return anchor;
                }
            }

            return null;
        }

        /// <summary><paramref name="statement"/>, or the nearest statement around it that stands in a block, switch section or the top level.</summary>
        private static StatementSyntax? InContainer(StatementSyntax statement)
        {
            for (SyntaxNode? current = statement; current is StatementSyntax candidate; current = current.Parent)
            {
                if (StatementContainer.Of(candidate) is { Index: >= 0 })
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>
        /// Whether, between the start of <paramref name="anchor"/> and <paramref name="invocation"/>, one of
        /// <paramref name="names"/> is declared or assigned: <c>eval()</c> before that point would reach another object, or none.
        /// </summary>
        private static bool ChangesNamesBefore(StatementSyntax anchor, InvocationExpressionSyntax invocation, HashSet<string> names)
        {
            var container = StatementContainer.Of(anchor)!;
            var end = invocation.SpanStart;
            for (var i = container.Index; i < container.Statements.Count && container.Statements[i].SpanStart < end; i++)
            {
                foreach (var node in container.Statements[i].DescendantNodesAndSelf())
                {
                    if (node.SpanStart >= end)
                    {
                        break;
                    }

                    if (DeclaredOrAssignedName(node) is { } name && names.Contains(name))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string? DeclaredOrAssignedName(SyntaxNode node)
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    return declarator.Identifier.ValueText;
                case SingleVariableDesignationSyntax designation:
                    return designation.Identifier.ValueText;
                case ForEachStatementSyntax forEach:
                    return forEach.Identifier.ValueText;
                case ParameterSyntax parameter:
                    return parameter.Identifier.ValueText;
                case CatchDeclarationSyntax catchDeclaration:
                    return catchDeclaration.Identifier.ValueText;
                case AssignmentExpressionSyntax assignment:
                    return LastName(assignment.Left);
                case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None):
                    return LastName(argument.Expression);
                case ArgumentSyntax { Parent: TupleExpressionSyntax } element when IsDeconstructionTarget(element):
                    return LastName(element.Expression);
                default:
                    return null;
            }
        }

        private static bool IsDeconstructionTarget(ArgumentSyntax element)
        {
            SyntaxNode current = element.Parent!;
            while (current.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax } outer)
            {
                current = outer.Parent!;
            }

            return current.Parent is AssignmentExpressionSyntax assignment && assignment.Left == current;
        }

        private static string? LastName(ExpressionSyntax expression)
            => expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                ParenthesizedExpressionSyntax parenthesized => LastName(parenthesized.Expression),
                _ => null,
            };

        /// <summary>Whether the statements right before <paramref name="container"/>'s statement include <c>module.eval();</c>.</summary>
        private static bool IsPrecededByEvalOf(StatementContainer container, ExpressionSyntax module)
        {
            var text = Normalized(module);
            for (var i = container.Index - 1; i >= 0; i--)
            {
                if (!(EvalReceiver(container.Statements[i]) is { } receiver))
                {
                    return false;
                }

                if (Normalized(receiver) == text)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The receiver of <c>receiver.eval();</c> or <c>receiver?.eval();</c>.</summary>
        private static ExpressionSyntax? EvalReceiver(StatementSyntax statement)
        {
            switch (statement)
            {
                case ExpressionStatementSyntax
                {
                    Expression: InvocationExpressionSyntax
                    {
                        ArgumentList.Arguments.Count: 0,
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.Eval } member,
                    },
                }:
                    return member.Expression;
                case ExpressionStatementSyntax
                {
                    Expression: ConditionalAccessExpressionSyntax
                    {
                        WhenNotNull: InvocationExpressionSyntax
                        {
                            ArgumentList.Arguments.Count: 0,
                            Expression: MemberBindingExpressionSyntax { Name.Identifier.ValueText: TorchNames.Eval },
                        },
                    } conditional,
                }:
                    return conditional.Expression;
                default:
                    return null;
            }
        }

        private static string Normalized(ExpressionSyntax expression)
            => string.Concat(expression.DescendantTokens().Select(t => t.ValueText));

        /// <summary>A name, a chain of member names, <c>this</c>, or a parenthesized or cast one: naming it again has no side effect.</summary>
        private static bool IsPlainReference(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case IdentifierNameSyntax _:
                case ThisExpressionSyntax _:
                    return true;
                case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name: IdentifierNameSyntax } member:
                    return IsPlainReference(member.Expression);
                case ParenthesizedExpressionSyntax parenthesized:
                    return IsPlainReference(parenthesized.Expression);
                case CastExpressionSyntax cast:
                    return IsPlainReference(cast.Expression);
                default:
                    return false;
            }
        }
    }
}
