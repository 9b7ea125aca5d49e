using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using TorchSharp.Analyzers.CodeFixes.Common;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// The syntax rewrite behind the TORCH002 fix: put an inference forward pass under a grad-disabling scope — a
    /// <c>using (torch.no_grad())</c> block around the statements of the region, or a using declaration
    /// (<c>torch.no_grad()</c> or <c>torch.inference_mode()</c>) that covers the rest of the block. Works on syntax
    /// alone, so Fix All can apply it many times to one tree; an invocation already under such a scope is left alone.
    /// </summary>
    internal static class NoGradScopeFix
    {
        /// <summary>The three shapes the fix can take.</summary>
        public enum Shape
        {
            /// <summary><c>using (torch.no_grad()) { … }</c> around the region.</summary>
            UsingBlock,

            /// <summary><c>using var noGrad = torch.no_grad();</c> before the region: the scope ends with the block.</summary>
            UsingDeclaration,

            /// <summary><c>using var inferenceMode = torch.inference_mode();</c> before the region.</summary>
            InferenceMode,
        }

        /// <summary>
        /// The fixed root; <paramref name="root"/> itself when the invocation already runs under a grad-disabling scope
        /// (Fix All wrapped it before); null when <paramref name="shape"/> does not fit where the invocation stands.
        /// </summary>
        /// <param name="lambdaReturnsValue">
        /// For an invocation in a lambda's expression body: whether the lambda returns a value (the analyzer tells,
        /// MissingNoGradAnalyzer.LambdaReturnsValueProperty); null elsewhere.
        /// </param>
        public static SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax invocation, Shape shape, bool? lambdaReturnsValue = null)
        {
            if (GradModeScopes.IsInsideDisablingScope(invocation))
            {
                return root;
            }

            if (FunctionBodies.EnclosingStatement(invocation) is null)
            {
                // `x => model.call(x)`: the lambda gets a block body and the scope goes inside it, where it holds wherever the
                // lambda runs (a scope around the statement that creates it does not reach another thread).
                if (lambdaReturnsValue is { } returnsValue)
                {
                    return FunctionBodies.WithLambdaBlockBody(root, invocation, returnsValue, (newRoot, newInvocation) => Apply(newRoot, newInvocation, shape));
                }

                // `Tensor Predict(Tensor x) => model.call(x);`: give the member a block body first, then fix inside it.
                return FunctionBodies.WithBlockBody(root, invocation, (newRoot, newInvocation) => Apply(newRoot, newInvocation, shape));
            }

            if (!(RegionStart(invocation) is { } first) || !(StatementContainer.Of(first) is { Index: >= 0 } container))
            {
                return null;
            }

            return shape == Shape.UsingBlock
                ? WrapRegion(root, container)
                : InsertDeclaration(root, container, shape);
        }

        /// <summary>The statement that holds the invocation and stands in a block, switch section or the top level.</summary>
        private static StatementSyntax? RegionStart(InvocationExpressionSyntax invocation)
        {
            for (var statement = FunctionBodies.EnclosingStatement(invocation); statement != null; statement = statement.Parent as StatementSyntax)
            {
                if (StatementContainer.Of(statement) is { Index: >= 0 })
                {
                    return statement;
                }

                if (statement is LocalFunctionStatementSyntax)
                {
                    return null;
                }
            }

            return null;
        }

        private static SyntaxNode? InsertDeclaration(SyntaxNode root, StatementContainer container, Shape shape)
        {
            var first = container.Statements[container.Index];
            if (!container.AllowsUsingDeclaration
                || !(first.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })
                || container.Statements.Any(s => s is LabeledStatementSyntax)
                || container.Statements.Skip(container.Index).Any(SuspendsExecution)
                || container.Statements.Skip(container.Index).Any(Trains))
            {
                // CS8647 in a switch section; CS8648/CS8649 when a goto jumps across the declaration; a scope held
                // across await or yield (see SuspendsExecution); a training step the scope would cover (see Trains).
                return null;
            }

            var inference = shape == Shape.InferenceMode;
            var name = FreeNames.Pick(first, inference ? "inferenceMode" : "noGrad");
            var declaration = LocalDeclarationStatement(
                    VariableDeclaration(
                        IdentifierName("var"),
                        SingletonSeparatedList(
                            VariableDeclarator(Identifier(name))
                                .WithInitializer(EqualsValueClause(SwitchCall(inference ? TorchNames.InferenceMode : TorchNames.NoGrad))))))
                .WithUsingKeyword(Token(SyntaxKind.UsingKeyword))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return StatementContainer.InsertBefore(root, first, declaration);
        }

        private static SyntaxNode? WrapRegion(SyntaxNode root, StatementContainer container)
        {
            var start = container.Index;
            var end = RegionEnd(container);
            var statements = container.Statements;
            var wrapped = new List<StatementSyntax>();
            for (var i = start; i <= end; i++)
            {
                wrapped.Add(statements[i]);
            }

            if (wrapped.Any(s => s is LabeledStatementSyntax)
                || !DirectivesBalance(wrapped)
                || wrapped.Any(SuspendsExecution)
                || wrapped.Any(Trains))
            {
                // A label the code jumps to, a #if that would end up half inside the new block, or an await/yield that
                // would carry the thread-local scope over to other code (see SuspendsExecution).
                return null;
            }

            var last = wrapped[wrapped.Count - 1];
            var leading = wrapped[0].GetLeadingTrivia();
            wrapped[0] = wrapped[0].WithLeadingTrivia(StatementTrivia.Indentation(wrapped[0]));
            var endOfLine = StatementTrivia.EndOfLine(last);
            var block = Block(wrapped).WithCloseBraceToken(Token(TriviaList(), SyntaxKind.CloseBraceToken, TriviaList(endOfLine)));
            var usingStatement = UsingStatement(null, SwitchCall(TorchNames.NoGrad), block)
                .WithLeadingTrivia(leading)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return container.ReplaceRangeIn(root, start, end - start + 1, usingStatement);
        }

        /// <summary>
        /// Whether every <c>#if</c> and <c>#region</c> inside the region (the first statement's leading trivia aside: it
        /// moves above the new using) is closed inside it, so that the new block does not cut one in half.
        /// </summary>
        private static bool DirectivesBalance(IReadOnlyList<StatementSyntax> wrapped)
        {
            int conditions = 0, regions = 0;
            foreach (var statement in wrapped)
            {
                foreach (var trivia in statement.DescendantTrivia())
                {
                    if (!trivia.IsDirective || (statement == wrapped[0] && trivia.SpanStart < statement.SpanStart))
                    {
                        continue;
                    }

                    switch (trivia.Kind())
                    {
                        case SyntaxKind.IfDirectiveTrivia:
                            conditions++;
                            break;
                        case SyntaxKind.ElifDirectiveTrivia:
                        case SyntaxKind.ElseDirectiveTrivia:
                            if (conditions == 0)
                            {
                                return false;
                            }

                            break;
                        case SyntaxKind.EndIfDirectiveTrivia:
                            if (--conditions < 0)
                            {
                                return false;
                            }

                            break;
                        case SyntaxKind.RegionDirectiveTrivia:
                            regions++;
                            break;
                        case SyntaxKind.EndRegionDirectiveTrivia:
                            if (--regions < 0)
                            {
                                return false;
                            }

                            break;
                    }
                }
            }

            return conditions == 0 && regions == 0;
        }

        /// <summary>
        /// Whether <paramref name="statement"/> awaits or yields outside nested functions. Grad mode is thread-local: a scope
        /// held across an <c>await</c> is disposed on whatever thread the method resumes on, and one held across a
        /// <c>yield return</c> stays open while the caller runs — the fix must not create either.
        /// </summary>
        private static bool SuspendsExecution(StatementSyntax statement)
            => statement.DescendantNodesAndSelf(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is LocalFunctionStatementSyntax))
                .Any(n => n is AwaitExpressionSyntax
                          || n is YieldStatementSyntax
                          || (n is UsingStatementSyntax u && u.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                          || (n is LocalDeclarationStatementSyntax d && d.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                          || (n is CommonForEachStatementSyntax f && f.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword)));

        /// <summary>
        /// Whether <paramref name="statement"/> calls <c>backward()</c> or <c>step()</c>. A pass whose output ends the graph
        /// is reported even in a body that trains (docs/rules/TORCH002.md, "An output that ends the graph"): a scope that
        /// covered the training step too would make its backward() throw, so that shape of the fix is not offered.
        /// </summary>
        private static bool Trains(StatementSyntax statement)
            => statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .Any(call => call.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText is TorchNames.Backward or TorchNames.Step,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText is TorchNames.Backward or TorchNames.Step,
                    IdentifierNameSyntax name => name.Identifier.ValueText is TorchNames.Backward or TorchNames.Step,
                    _ => false,
                });

        /// <summary>
        /// The last statement of the region that starts at the container's statement: as far as a local declared in the
        /// region so far is named again, so that every use of it stays in its scope inside the new block.
        /// </summary>
        private static int RegionEnd(StatementContainer container)
        {
            var statements = container.Statements;
            var end = container.Index;
            var declared = new HashSet<string>();
            var scanned = container.Index - 1;
            while (true)
            {
                for (var i = scanned + 1; i <= end; i++)
                {
                    if (statements[i] is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword })
                    {
                        // A using declaration holds its resource to the end of the block, whether or not it is named again.
                        return statements.Count - 1;
                    }

                    declared.UnionWith(DeclaredNames(statements[i]));
                }

                scanned = end;
                var newEnd = end;
                for (var i = statements.Count - 1; i > end; i--)
                {
                    if (statements[i].DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => declared.Contains(n.Identifier.ValueText)))
                    {
                        newEnd = i;
                        break;
                    }
                }

                if (newEnd == end)
                {
                    return end;
                }

                end = newEnd;
            }
        }

        /// <summary>The names a statement declares in its enclosing block: locals, pattern and out variables, local functions.</summary>
        private static IEnumerable<string> DeclaredNames(StatementSyntax statement)
        {
            switch (statement)
            {
                case LocalDeclarationStatementSyntax declaration:
                    foreach (var variable in declaration.Declaration.Variables)
                    {
                        yield return variable.Identifier.ValueText;
                    }

                    break;
                case LocalFunctionStatementSyntax localFunction:
                    yield return localFunction.Identifier.ValueText;
                    yield break;
            }

            // Pattern and out variables of an expression statement, a declaration's initializer, … leak into the
            // enclosing block; those of nested statements, lambdas and local functions do not.
            foreach (var designation in statement.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is StatementSyntax && n != statement))
                         .OfType<SingleVariableDesignationSyntax>())
            {
                yield return designation.Identifier.ValueText;
            }
        }

        /// <summary><c>torch.&lt;method&gt;()</c>, written so that the simplifier shortens it to what the file's usings allow.</summary>
        private static InvocationExpressionSyntax SwitchCall(string method)
        {
            var torch = QualifiedName(
                    AliasQualifiedName(IdentifierName(Token(SyntaxKind.GlobalKeyword)), IdentifierName("TorchSharp")),
                    IdentifierName("torch"))
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, torch, IdentifierName(method)));
        }
    }
}
