using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode a constructor leaves a module field in, read from its structure for the idiom almost every predictor is
    /// written in — assign the module, load it, and end with <c>model.eval();</c> — so that the field's entry mode needs no
    /// flow of the constructor. Claims only what the flow finds: the last statement of the body is that <c>eval()</c>, an
    /// earlier statement of the body assigns the field, and nothing can leave the body without passing through the end
    /// (no <c>return</c>, <c>throw</c>, <c>goto</c> or loop without an exit condition). Anything else is left to the flow.
    /// </summary>
    internal static class ConstructorExitProof
    {
        /// <summary>The <c>eval()</c> call every normal exit of <paramref name="constructor"/> ends with on <paramref name="member"/>, or null.</summary>
        public static SyntaxNode? EvalAtExit(IMethodSymbol constructor, ISymbol member, SemanticModel model, TorchSymbols symbols)
        {
            // Cheap syntax first: the shape of the body, the name of its last call, an assignment written with the
            // member's name; then what they bind to.
            if (constructor.DeclaringSyntaxReferences.Length != 1
                || !(constructor.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax { Body: { Statements: { Count: >= 2 } statements } body } declaration)
                || (declaration.Initializer != null && !declaration.Initializer.IsKind(SyntaxKind.BaseConstructorInitializer))
                || !(statements[statements.Count - 1] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.Eval } } last }))
            {
                return null;
            }

            var field = Storage.Of(member);
            return statements.Take(statements.Count - 1).Any(statement => Assigns(statement, member.Name, field, model))
                   && LeavesOnlyAtTheEnd(body, model)
                   && model.GetOperation(last) is IInvocationOperation eval && symbols.Classify(eval.TargetMethod) == TorchCallKind.Eval
                   && eval.Instance is { } module && Refers(module, field)
                ? last
                : null;
        }

        /// <summary>Whether <paramref name="statement"/> is <c>name = …;</c> or <c>this.name = …;</c> writing <paramref name="field"/>.</summary>
        private static bool Assigns(StatementSyntax statement, string name, Storage field, SemanticModel model)
            => statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }
               && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
               && assignment.Left switch
               {
                   IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
                   MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } access => access.Name.Identifier.ValueText == name,
                   _ => false,
               }
               && model.GetOperation(assignment) is ISimpleAssignmentOperation write && Refers(write.Target, field);

        private static bool Refers(IOperation operation, Storage field)
            => Storage.Referenced(operation.SkipConversions()) is Storage referenced && referenced.Equals(field);

        /// <summary>
        /// Whether every normal exit of <paramref name="body"/> is its end: no return, throw, goto or label, and no loop
        /// whose condition is missing or the constant true (lambdas and local functions aside).
        /// </summary>
        private static bool LeavesOnlyAtTheEnd(BlockSyntax body, SemanticModel model)
            => !body.DescendantNodes(node => !(node is AnonymousFunctionExpressionSyntax || node is LocalFunctionStatementSyntax))
                .Any(node => node is ReturnStatementSyntax || node is ThrowStatementSyntax || node is ThrowExpressionSyntax
                             || node is GotoStatementSyntax || node is LabeledStatementSyntax
                             || (node is WhileStatementSyntax whileLoop && MayNeverEnd(whileLoop.Condition, model))
                             || (node is DoStatementSyntax doLoop && MayNeverEnd(doLoop.Condition, model))
                             || (node is ForStatementSyntax forLoop && MayNeverEnd(forLoop.Condition, model)));

        private static bool MayNeverEnd(ExpressionSyntax? condition, SemanticModel model)
            => condition is null || model.GetConstantValue(condition) is { HasValue: true, Value: true };
    }
}
