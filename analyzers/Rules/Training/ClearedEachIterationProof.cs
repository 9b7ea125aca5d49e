using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// A proof of silence for TORCH011, read from the syntax of the commonest correct loop, so that it needs no graph and
    /// no gradient flow: every <c>backward()</c> and every <c>R.step()</c> of the body is directly in one loop (not in a
    /// loop, lambda or local function inside it), whose body starts (after declarations that call nothing but
    /// <c>torch.NewDisposeScope()</c>) with <c>R.zero_grad();</c> for each optimizer
    /// <c>R</c> stepped there; each optimizer is stepped once, without a closure, and handed to no other code; there is no
    /// other <c>zero_grad</c> and no <c>goto</c>. Then every iteration clears before its backward passes and steps once: gradients are neither carried
    /// into the next step nor cleared between a backward pass and its step. Anything else goes to the flow
    /// (<c>exhaustive_flow</c> turns the proof off; the equivalence tests compare both).
    /// </summary>
    internal static class ClearedEachIterationProof
    {
        public static bool Holds(SyntaxNode body)
        {
            var steps = new List<InvocationExpressionSyntax>();
            var backwards = new List<InvocationExpressionSyntax>();
            var clears = new List<InvocationExpressionSyntax>();
            foreach (var node in body.DescendantNodes())
            {
                if (node is GotoStatementSyntax)
                {
                    return false;
                }

                if (node is InvocationExpressionSyntax invocation)
                {
                    switch (NameOf(invocation))
                    {
                        case "step":
                            steps.Add(invocation);
                            break;
                        case "backward":
                            backwards.Add(invocation);
                            break;
                        case "zero_grad":
                            clears.Add(invocation);
                            break;
                    }
                }
            }

            if (steps.Count == 0 || backwards.Count == 0 || !(InnermostLoopBody(steps[0], body) is BlockSyntax loopBody))
            {
                return false;
            }

            var receivers = new HashSet<string>();
            foreach (var step in steps)
            {
                if (step.ArgumentList.Arguments.Count != 0 || !(Receiver(step) is { } receiver) || !receivers.Add(receiver)
                    || InnermostLoopBody(step, body) != loopBody)
                {
                    return false;
                }
            }

            if (backwards.Any(b => InnermostLoopBody(b, body) != loopBody))
            {
                return false;
            }

            // An optimizer handed to other code may be stepped or cleared there: the flow decides.
            if (body.DescendantNodes().OfType<ArgumentSyntax>().Any(a => Plain(a.Expression) is { } passed && receivers.Contains(passed)))
            {
                return false;
            }

            // The loop body's first statements clear exactly the stepped optimizers, and nothing else clears; before them
            // only statements that call nothing but torch.NewDisposeScope() (`using var scope = torch.NewDisposeScope();`,
            // `var (x, y) = batch;`).
            var cleared = new HashSet<string>();
            var statements = loopBody.Statements;
            var first = 0;
            while (first < statements.Count && CallsNothingButDisposeScopes(statements[first]))
            {
                first++;
            }

            for (var i = first; i < statements.Count; i++)
            {
                if (!(statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && NameOf(call) == "zero_grad"
                      && call.ArgumentList.Arguments.Count == 0 && Receiver(call) is { } clearedReceiver))
                {
                    break;
                }

                cleared.Add(clearedReceiver);
            }

            return cleared.SetEquals(receivers) && clears.Count == cleared.Count;
        }

        private static bool CallsNothingButDisposeScopes(StatementSyntax statement)
            => (statement is LocalDeclarationStatementSyntax || statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax } })
               && statement.DescendantNodes().OfType<InvocationExpressionSyntax>().All(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "NewDisposeScope" })
               && !statement.DescendantNodes().Any(n => n is AnonymousFunctionExpressionSyntax || n is ObjectCreationExpressionSyntax || n is ImplicitObjectCreationExpressionSyntax);

        /// <summary>The body of the innermost loop around <paramref name="node"/> inside <paramref name="body"/>; null when a lambda or local function comes first.</summary>
        private static StatementSyntax? InnermostLoopBody(SyntaxNode node, SyntaxNode body)
        {
            foreach (var ancestor in node.Ancestors())
            {
                if (ancestor == body || ancestor is AnonymousFunctionExpressionSyntax || ancestor is LocalFunctionStatementSyntax)
                {
                    return null;
                }

                var loopBody = Flow.Loops.BodyOf(ancestor);
                if (loopBody != null && loopBody.Span.Contains(node.Span))
                {
                    return loopBody;
                }
            }

            return null;
        }

        private static string? NameOf(InvocationExpressionSyntax invocation)
            => (invocation.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText;

        /// <summary>The receiver of <c>R.m()</c> when it is a plain name or <c>this.name</c>; null otherwise.</summary>
        private static string? Receiver(InvocationExpressionSyntax invocation)
            => Plain((invocation.Expression as MemberAccessExpressionSyntax)?.Expression);

        private static string? Plain(ExpressionSyntax? expression)
            => expression switch
            {
                IdentifierNameSyntax name => name.Identifier.ValueText,
                MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax field } => field.Identifier.ValueText,
                _ => null,
            };
    }
}
