using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// A proof of silence for TORCH011, read from the syntax of the commonest correct loops, so that it needs no graph and
    /// no gradient flow: every <c>R.step()</c> of the body is directly in a loop (not in a loop, lambda or local function
    /// inside it) whose body starts (after declarations that call nothing but <c>torch.NewDisposeScope()</c>) with
    /// <c>R.zero_grad();</c> for each optimizer <c>R</c> stepped there; the loops that step are disjoint, and every
    /// <c>backward()</c> is directly in one of them (with several, each has a <c>backward()</c> statement between its
    /// clears and its first step); each optimizer is stepped once, without a closure, and handed to no other code; there
    /// is no other <c>zero_grad</c> and no <c>goto</c>. Then every path from one step of an optimizer to the next passes
    /// its clear, and none reaches a step with only cleared gradients: gradients are neither carried into the next step
    /// nor cleared between a backward pass and its step. Anything else goes to the flow (<c>exhaustive_flow</c> turns the
    /// proof off; the equivalence tests compare both).
    /// <para>
    /// Given a binding of the few calls asked about (the second parameter of <see cref="Holds"/>), two things the flow
    /// also ignores are allowed: a <c>step()</c> of TorchSharp that is not an optimizer's (an LR scheduler's
    /// <c>scheduler.step()</c> after the loop), and an optimizer handed to TorchSharp (<c>StepLR(optimizer, ..)</c>).
    /// </para>
    /// </summary>
    internal static class ClearedEachIterationProof
    {
        /// <param name="body">The body of a method, constructor or local function.</param>
        /// <param name="isTorchSharpOtherThanStep">
        /// Whether an invocation or object creation binds to TorchSharp code that is not an optimizer's <c>step()</c>;
        /// null: nothing is bound, every <c>step()</c> may be an optimizer's and every call may clear.
        /// </param>
        public static bool Holds(SyntaxNode body, System.Func<ExpressionSyntax, bool>? isTorchSharpOtherThanStep = null)
        {
            var steps = new List<InvocationExpressionSyntax>();
            var backwards = new List<InvocationExpressionSyntax>();
            var clears = new List<InvocationExpressionSyntax>();
            var namedArguments = new List<(ArgumentSyntax Argument, string Name)>();
            foreach (var node in body.DescendantNodes())
            {
                if (node is GotoStatementSyntax)
                {
                    return false;
                }

                if (node is ArgumentSyntax argument && Plain(argument.Expression) is { } passed)
                {
                    namedArguments.Add((argument, passed));
                    continue;
                }

                if (node is InvocationExpressionSyntax invocation)
                {
                    switch (NameOf(invocation))
                    {
                        case TorchNames.Step when isTorchSharpOtherThanStep is null || !isTorchSharpOtherThanStep(invocation):
                            steps.Add(invocation);
                            break;
                        case TorchNames.Backward:
                            backwards.Add(invocation);
                            break;
                        case TorchNames.ZeroGrad:
                            clears.Add(invocation);
                            break;
                    }
                }
            }

            if (steps.Count == 0 || backwards.Count == 0)
            {
                return false;
            }

            // The loops that step, each with the optimizers it steps; each optimizer stepped once, without a closure.
            var receivers = new HashSet<string>();
            var loops = new Dictionary<BlockSyntax, HashSet<string>>();
            foreach (var step in steps)
            {
                if (step.ArgumentList.Arguments.Count != 0 || !(Receiver(step) is { } receiver) || !receivers.Add(receiver)
                    || !(InnermostLoopBody(step, body) is BlockSyntax loopBody))
                {
                    return false;
                }

                if (!loops.TryGetValue(loopBody, out var stepped))
                {
                    loops.Add(loopBody, stepped = new HashSet<string>());
                }

                stepped.Add(receiver);
            }

            // Loops that step are disjoint, and every backward() is directly in one of them.
            if (loops.Keys.Any(outer => loops.Keys.Any(inner => inner != outer && outer.Span.Contains(inner.Span)))
                || backwards.Any(b => !(InnermostLoopBody(b, body) is BlockSyntax loopBody && loops.ContainsKey(loopBody))))
            {
                return false;
            }

            // An optimizer handed to other code may be stepped or cleared there: the flow decides.
            if (namedArguments.Any(a => receivers.Contains(a.Name)
                                        && !(isTorchSharpOtherThanStep != null && a.Argument.Parent?.Parent is ExpressionSyntax call
                                             && (call is InvocationExpressionSyntax || call is BaseObjectCreationExpressionSyntax)
                                             && isTorchSharpOtherThanStep(call))))
            {
                return false;
            }

            var leadingClears = 0;
            foreach (var loop in loops)
            {
                if (!(LeadingClears(loop.Key, loop.Value, requireBackwardBeforeSteps: loops.Count > 1) is { } count))
                {
                    return false;
                }

                leadingClears += count;
            }

            // Nothing else clears.
            return clears.Count == leadingClears;
        }

        /// <summary>
        /// How many <c>zero_grad()</c> calls open <paramref name="loopBody"/> when they clear exactly the optimizers it steps;
        /// null otherwise. Before them only statements that call nothing but <c>torch.NewDisposeScope()</c>
        /// (<c>using var scope = torch.NewDisposeScope();</c>, <c>var (x, y) = batch;</c>). With several loops, a backward
        /// pass of another loop may reach this one's first iteration: then a <c>backward()</c> statement of the body itself
        /// must come between the clears and the first step, so that no path reaches a step with only cleared gradients.
        /// </summary>
        private static int? LeadingClears(BlockSyntax loopBody, HashSet<string> stepped, bool requireBackwardBeforeSteps)
        {
            var cleared = new HashSet<string>();
            var statements = loopBody.Statements;
            var first = 0;
            while (first < statements.Count && CallsNothingButDisposeScopes(statements[first]))
            {
                first++;
            }

            var next = first;
            for (; next < statements.Count; next++)
            {
                if (!(statements[next] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && NameOf(call) == TorchNames.ZeroGrad
                      && call.ArgumentList.Arguments.Count == 0 && Receiver(call) is { } clearedReceiver))
                {
                    break;
                }

                cleared.Add(clearedReceiver);
            }

            if (!cleared.SetEquals(stepped))
            {
                return null;
            }

            if (requireBackwardBeforeSteps)
            {
                var backwardBeforeSteps = false;
                for (; next < statements.Count && !backwardBeforeSteps; next++)
                {
                    if (statements[next].DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i => NameOf(i) == TorchNames.Step))
                    {
                        return null;
                    }

                    backwardBeforeSteps = statements[next] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax backward } && NameOf(backward) == TorchNames.Backward;
                }

                if (!backwardBeforeSteps)
                {
                    return null;
                }
            }

            return cleared.Count;
        }

        /// <summary>
        /// The binding the proof asks for (null without a semantic model): whether a call binds to TorchSharp code other
        /// than an optimizer's <c>step()</c> and the calls the flow reads as clears, which the flow treats as neither
        /// stepping nor clearing (an LR scheduler's <c>step()</c>, <c>StepLR(optimizer, ..)</c>).
        /// </summary>
        public static System.Func<ExpressionSyntax, bool>? TorchSharpOtherThanStep(SemanticModel? model, TorchSymbols symbols)
            => model is null
                ? null
                : call => call.SyntaxTree == model.SyntaxTree
                          && model.GetSymbolInfo(call).Symbol is IMethodSymbol method
                          && symbols.IsTorchSharp(method) && symbols.Classify(method) != TorchCallKind.OptimizerStep
                          && !(method.Name is TorchNames.ZeroGrad or "zero_" or TorchNames.Parameters or TorchNames.NamedParameters);

        private static bool CallsNothingButDisposeScopes(StatementSyntax statement)
            => (statement is LocalDeclarationStatementSyntax || statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax } })
               && statement.DescendantNodes().OfType<InvocationExpressionSyntax>().All(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.NewDisposeScope })
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
