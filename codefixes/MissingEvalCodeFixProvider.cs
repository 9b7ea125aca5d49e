using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.CodeFixes.Common;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH001 fix: insert <c>module.eval();</c> right before the inference region — before the outermost
    /// <c>using (torch.no_grad())</c> around the invocation, or before the statement that holds it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingEvalCodeFixProvider))]
    [Shared]
    public sealed class MissingEvalCodeFixProvider : ModuleStatementCodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string InsertEvalKey = DiagnosticIds.MissingEval + ".InsertEval";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingEval);

        private protected override string EquivalenceKey => InsertEvalKey;

        private protected override string TitleFor(string module) => "Call '" + module + ".eval()' before the inference region";

        private protected override SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax forwardPass) => InsertEvalFix.Apply(root, forwardPass);
    }
}
