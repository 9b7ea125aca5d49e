using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The syntax-only twin of <see cref="SilenceProofs.GradIsOff"/>, for a body that nobody has bound yet: a call written
    /// in the body of <c>using (torch.no_grad())</c> (<c>inference_mode()</c>, <c>set_grad_enabled(false)</c>,
    /// <c>enable_grad(false)</c>), or after a <c>using var</c> of one in an enclosing block, with no grad switch, helper that
    /// may return one, <c>Dispose</c>, <c>goto</c> or label in the scope. The switches are recognised by the names they are
    /// written with (the text tier's vocabulary, <see cref="TorchNames.GradSwitches"/>), so the proof only ever answers
    /// "cannot matter here": it is asked where a wrong yes would hide a finding, never where it would make one, and
    /// <c>exhaustive_flow</c> turns it off (docs/architecture.md, "Two tiers").
    /// </summary>
    internal static class GradOffScopeSyntax
    {
        /// <summary>
        /// Whether <paramref name="call"/> runs inside a grad-disabled scope of its own member on every path.
        /// <paramref name="mayReturnGradScope"/> names the helpers of this compilation that may return a grad scope.
        /// Calls in lambdas and local functions are not proved (they run when and where their delegate is invoked).
        /// </summary>
        public static bool Encloses(SyntaxNode call, System.Func<string, bool> mayReturnGradScope)
        {
            var current = call;
            for (var parent = call.Parent; parent != null; current = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case AnonymousFunctionExpressionSyntax _:
                    case LocalFunctionStatementSyntax _:
                    case MemberDeclarationSyntax _:
                        return false;
                    case UsingStatementSyntax @using when current == @using.Statement && DisablesGrad(@using.Declaration, @using.Expression):
                        return !MaySwitchGrad(@using.Statement, mayReturnGradScope);
                    case BlockSyntax block when current is StatementSyntax statement:
                        var index = block.Statements.IndexOf(statement);
                        for (var i = index - 1; i >= 0; i--)
                        {
                            if (block.Statements[i] is LocalDeclarationStatementSyntax declaration
                                && declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword)
                                && DisablesGrad(declaration.Declaration, null))
                            {
                                for (var j = i + 1; j <= index; j++)
                                {
                                    if (MaySwitchGrad(block.Statements[j], mayReturnGradScope))
                                    {
                                        return false;
                                    }
                                }

                                return true;
                            }
                        }

                        break;
                }
            }

            return false;
        }

        // One grad-off switch call as the whole resource (a single declarator's initializer, or the expression).
        private static bool DisablesGrad(VariableDeclarationSyntax? declaration, ExpressionSyntax? expression)
        {
            var value = declaration is null ? expression
                : declaration.Variables.Count == 1 ? declaration.Variables[0].Initializer?.Value
                : null;
            while (value is ParenthesizedExpressionSyntax parenthesized)
            {
                value = parenthesized.Expression;
            }

            if (!(value is InvocationExpressionSyntax invocation) || !(FactoryNamed(InvokedNames.Of(invocation)) is GradScopeFactory factory))
            {
                return false;
            }

            // The argument as the call gives it: none is the parameter's default (true for all three that take one).
            var arguments = invocation.ArgumentList.Arguments;
            bool? argument = arguments.Count == 0 ? true
                : arguments.Count == 1 && arguments[0].NameColon is null && arguments[0].Expression is LiteralExpressionSyntax literal
                    ? literal.IsKind(SyntaxKind.TrueLiteralExpression) ? true : literal.IsKind(SyntaxKind.FalseLiteralExpression) ? false : (bool?)null
                : null;
            return new GradFact(GradSwitches.FlagsOf(factory, argument), null).IsOff;
        }

        private static GradScopeFactory? FactoryNamed(string? name)
            => name switch
            {
                TorchNames.NoGrad => GradScopeFactory.NoGrad,
                TorchNames.EnableGrad => GradScopeFactory.EnableGrad,
                TorchNames.SetGradEnabled => GradScopeFactory.SetGradEnabled,
                TorchNames.InferenceMode => GradScopeFactory.InferenceMode,
                _ => null,
            };

        // Whatever could change the grad mode inside the scope, by its written name: a switch, a helper that may return one,
        // a Dispose (of the scope itself, say), a goto or a label (a jump into the scope from before it).
        private static bool MaySwitchGrad(SyntaxNode scope, System.Func<string, bool> mayReturnGradScope)
        {
            foreach (var token in scope.DescendantTokens())
            {
                switch (token.Kind())
                {
                    case SyntaxKind.GotoKeyword:
                        return true;
                    case SyntaxKind.IdentifierToken:
                        var name = token.ValueText;
                        if (token.Parent is LabeledStatementSyntax || GradSwitches.IsName(name)
                            || name == nameof(System.IDisposable.Dispose) || mayReturnGradScope(name))
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }
    }
}
