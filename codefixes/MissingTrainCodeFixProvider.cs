using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.CodeFixes.Common;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>TORCH005 fix: insert <c>module.train();</c> at the start of the training region (the loop body or the method).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingTrainCodeFixProvider))]
    [Shared]
    public sealed class MissingTrainCodeFixProvider : ModuleStatementCodeFixProvider
    {
        /// <summary>Equivalence key of the only action.</summary>
        public const string InsertTrainKey = DiagnosticIds.MissingTrain + ".InsertTrain";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingTrain);

        private protected override string EquivalenceKey => InsertTrainKey;

        private protected override string TitleFor(string module) => "Call '" + module + ".train()' at the start of the training region";

        private protected override SyntaxNode? Apply(SyntaxNode root, InvocationExpressionSyntax forwardPass) => InsertTrainFix.Apply(root, forwardPass);
    }
}
