using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH010 fix: <c>forward</c> → <c>call</c>, the same arguments (and receiver, trivia and type arguments). Offered only
    /// where the renamed call binds to a <c>call</c> method, so the result compiles. The edits are single tokens and never
    /// overlap: the batch Fix All applies them all.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DirectForwardCodeFixProvider))]
    [Shared]
    public sealed class DirectForwardCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the action that renames <c>forward</c> to <c>call</c>.</summary>
        public const string UseCallKey = DiagnosticIds.DirectForward + ".UseCall";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DirectForward);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is SimpleNameSyntax name
                    && name.Identifier.ValueText == TorchNames.Forward
                    && BindsToCall(name, model, context.CancellationToken))
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Use call(..) so that the module's hooks run",
                            cancellation => UseCallAsync(context.Document, name, cancellation),
                            UseCallKey),
                        diagnostic);
                }
            }
        }

        private static SimpleNameSyntax Renamed(SimpleNameSyntax name)
        {
            var identifier = SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, TorchNames.Call, name.Identifier.TrailingTrivia);
            return name.WithIdentifier(identifier);
        }

        /// <summary>Whether the expression around <paramref name="name"/>, with the name renamed, binds to a method named <c>call</c>.</summary>
        private static bool BindsToCall(SimpleNameSyntax name, SemanticModel model, CancellationToken cancellation)
        {
            // The expression whose binding decides: the invocation when the name is invoked, else the method group (bound without
            // its target delegate type, it answers with candidates; call has forward's parameters, so it converts alike).
            ExpressionSyntax expression = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (ExpressionSyntax)name;
            var target = expression.Parent is InvocationExpressionSyntax invocation && invocation.Expression == expression ? (ExpressionSyntax)invocation : expression;
            var renamed = target.ReplaceNode(name, Renamed(name));
            var info = model.GetSpeculativeSymbolInfo(target.SpanStart, renamed, SpeculativeBindingOption.BindAsExpression);
            cancellation.ThrowIfCancellationRequested();
            return info.Symbol is IMethodSymbol { Name: TorchNames.Call }
                   || (target == expression && info.CandidateSymbols.Any(s => s is IMethodSymbol { Name: TorchNames.Call }));
        }

        private static async Task<Document> UseCallAsync(Document document, SimpleNameSyntax name, CancellationToken cancellation)
        {
            var root = await document.GetSyntaxRootAsync(cancellation).ConfigureAwait(false);
            return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(name, Renamed(name)));
        }
    }
}
