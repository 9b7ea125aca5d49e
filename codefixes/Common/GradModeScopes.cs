using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// The grad-mode scopes around a piece of code, read from syntax alone so that Fix All can ask again after every
    /// edit without recompiling: <c>using (torch.no_grad()) { … }</c> statements and <c>using var s = torch.no_grad();</c>
    /// declarations earlier in an enclosing block, up to the enclosing member, lambda or local function.
    /// </summary>
    internal static class GradModeScopes
    {
        /// <summary>One scope around the code asked about.</summary>
        public readonly struct Scope
        {
            public Scope(StatementSyntax statement, InvocationExpressionSyntax switchCall, bool mayDisableGrad)
            {
                Statement = statement;
                SwitchCall = switchCall;
                MayDisableGrad = mayDisableGrad;
            }

            /// <summary>The using statement, or the statement of the using declaration.</summary>
            public StatementSyntax Statement { get; }

            /// <summary>The grad-mode switch call that opens the scope.</summary>
            public InvocationExpressionSyntax SwitchCall { get; }

            /// <summary>False only where the switch provably turns autograd on (<c>torch.enable_grad()</c>, <c>set_grad_enabled(true)</c>).</summary>
            public bool MayDisableGrad { get; }
        }

        /// <summary>The scopes around <paramref name="node"/>, innermost first, inside its member, lambda or local function.</summary>
        public static IEnumerable<Scope> Around(SyntaxNode node)
        {
            SyntaxNode previous = node;
            for (var current = node.Parent; current != null && !IsFunctionBoundary(previous); previous = current, current = current.Parent)
            {
                if (current is UsingStatementSyntax usingStatement && usingStatement.Statement == previous && SwitchCallOf(usingStatement) is { } resource)
                {
                    yield return new Scope(usingStatement, resource, MayDisableGrad(resource));
                }

                if (previous is StatementSyntax statement && StatementContainer.Of(statement) is { Index: >= 0 } container)
                {
                    for (var i = container.Index - 1; i >= 0; i--)
                    {
                        if (container.Statements[i] is LocalDeclarationStatementSyntax declaration && SwitchCallOf(declaration) is { } call)
                        {
                            yield return new Scope(declaration, call, MayDisableGrad(call));
                        }
                    }
                }
            }
        }

        /// <summary>Whether <paramref name="node"/> runs inside a scope that may turn autograd off.</summary>
        public static bool IsInsideDisablingScope(SyntaxNode node)
        {
            foreach (var scope in Around(node))
            {
                if (scope.MayDisableGrad)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Where code stops belonging to the function being fixed: a member, a lambda or anonymous method, a local function.
        /// A top-level statement belongs to the file's implicit entry point, so the walk goes on through it.
        /// </summary>
        public static bool IsFunctionBoundary(SyntaxNode node)
            => node is AnonymousFunctionExpressionSyntax
               || node is LocalFunctionStatementSyntax
               || (node is MemberDeclarationSyntax && !(node is GlobalStatementSyntax))
               || node is AccessorDeclarationSyntax
               || node is CompilationUnitSyntax;

        /// <summary>The grad-mode switch call a using statement opens, if any.</summary>
        public static InvocationExpressionSyntax? SwitchCallOf(UsingStatementSyntax usingStatement)
        {
            if (usingStatement.Expression is { } expression)
            {
                return AsSwitchCall(expression);
            }

            return usingStatement.Declaration is { Variables.Count: 1 } declaration
                ? AsSwitchCall(declaration.Variables[0].Initializer?.Value)
                : null;
        }

        /// <summary>The grad-mode switch call a using declaration opens, if it is one.</summary>
        public static InvocationExpressionSyntax? SwitchCallOf(LocalDeclarationStatementSyntax declaration)
            => !declaration.UsingKeyword.IsKind(SyntaxKind.None) && declaration.Declaration.Variables.Count == 1
                ? AsSwitchCall(declaration.Declaration.Variables[0].Initializer?.Value)
                : null;

        /// <summary>
        /// <c>torch.no_grad()</c>, <c>torch.inference_mode(..)</c>, <c>torch.set_grad_enabled(..)</c>, <c>torch.enable_grad(..)</c>,
        /// qualified (<c>TorchSharp.torch.…</c>) or through <c>using static TorchSharp.torch;</c>.
        /// </summary>
        public static InvocationExpressionSyntax? AsSwitchCall(ExpressionSyntax? expression)
        {
            while (expression is ParenthesizedExpressionSyntax parenthesized)
            {
                expression = parenthesized.Expression;
            }

            if (!(expression is InvocationExpressionSyntax invocation))
            {
                return null;
            }

            switch (invocation.Expression)
            {
                case IdentifierNameSyntax name when IsSwitchName(name.Identifier.ValueText):
                    return invocation;
                case MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } member
                    when IsSwitchName(name.Identifier.ValueText) && IsTorchClass(member.Expression):
                    return invocation;
                default:
                    return null;
            }
        }

        private static bool IsSwitchName(string name)
            => TorchNames.GradSwitches.Contains(name);

        private static bool IsTorchClass(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case IdentifierNameSyntax { Identifier.ValueText: "torch" }:
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "torch" } member:
                    return IsTorchSharpNamespace(member.Expression);
                case QualifiedNameSyntax { Right.Identifier.ValueText: "torch" } qualified:
                    // What the fixes write before the simplifier shortens it: global::TorchSharp.torch.
                    return IsTorchSharpNamespace(qualified.Left);
                default:
                    return false;
            }
        }

        private static bool IsTorchSharpNamespace(ExpressionSyntax expression)
            => expression is IdentifierNameSyntax { Identifier.ValueText: "TorchSharp" }
               || expression is AliasQualifiedNameSyntax { Alias.Identifier.ValueText: "global", Name.Identifier.ValueText: "TorchSharp" };

        /// <summary>False only for calls that provably turn autograd on; an argument that is not a literal may be either.</summary>
        private static bool MayDisableGrad(InvocationExpressionSyntax call)
        {
            var name = call.Expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : ((IdentifierNameSyntax)call.Expression).Identifier.ValueText;
            var arguments = call.ArgumentList.Arguments;
            var argument = arguments.Count == 1 ? arguments[0].Expression : null;
            var isTrue = arguments.Count == 0 || argument.IsKind(SyntaxKind.TrueLiteralExpression);
            var isFalse = argument.IsKind(SyntaxKind.FalseLiteralExpression);
            switch (name)
            {
                case TorchNames.NoGrad:
                    return true;
                case TorchNames.InferenceMode:
                    return !isFalse;
                default:
                    // enable_grad(bool enabled = true), set_grad_enabled(bool mode = true)
                    return !isTrue;
            }
        }
    }
}
