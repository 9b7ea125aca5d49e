using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Options;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// A local function whose name says inference (<c>void Evaluate() { … }</c> in a top-level program), as an inference
    /// entry point. Its flow starts with the grad mode unknown (it runs wherever it is called), so the grad mode of its
    /// forward passes is read at its calls in the enclosing body: reported only when it is called there, only by direct
    /// calls the body's own flow sees (no method group, no call from a lambda or another local function), and every such
    /// call runs with autograd on; and only when the local function opens no scope of its own (no <c>using</c>). A local
    /// iterator counts only when every call enumerates it in place (<see cref="IteratorEnumeration"/>).
    /// </summary>
    internal sealed class LocalFunctionEntryPoint
    {
        private readonly LocalFunctionStatementSyntax declaration;
        private readonly IReadOnlyList<ModeFlowResult> enclosingFlows;

        private LocalFunctionEntryPoint(LocalFunctionStatementSyntax declaration, IReadOnlyList<ModeFlowResult> enclosingFlows)
        {
            this.declaration = declaration;
            this.enclosingFlows = enclosingFlows;
        }

        public string Name => declaration.Identifier.ValueText;

        /// <summary>
        /// The local function that <paramref name="pass"/> is written in directly (not in a lambda inside it), when its name
        /// says inference and no training step is written in it; null otherwise.
        /// </summary>
        public static LocalFunctionEntryPoint? Of(OperationBlockAnalysisContext context, SyntaxNode pass, IReadOnlyList<ModeFlowResult> enclosingFlows)
        {
            foreach (var ancestor in pass.Ancestors())
            {
                switch (ancestor)
                {
                    case LocalFunctionStatementSyntax local:
                        return InferenceMethodNames.NameMatches(context.Options, local.SyntaxTree, local.Identifier.ValueText)
                               && !InferenceEntryPoints.WritesTrainingStep(local)
                            ? new LocalFunctionEntryPoint(local, enclosingFlows)
                            : null;
                    case AnonymousFunctionExpressionSyntax _:
                    case MemberDeclarationSyntax _:
                        return null;
                }
            }

            return null;
        }

        /// <summary>Whether <paramref name="pass"/> is written in a local function that is an entry point by name (the rules' cheap gate).</summary>
        public static bool IsWrittenInOne(OperationBlockAnalysisContext context, SyntaxNode pass)
            => Of(context, pass, System.Array.Empty<ModeFlowResult>()) != null;

        /// <summary>Whether a forward pass of this local function, whose flow says <paramref name="grad"/>, runs with autograd on.</summary>
        public bool RunsWithGradOn(GradFact grad, ModeFlowEngine engine, ISymbol owner)
        {
            if (grad.Flags != GradFlags.Unknown || grad.OpenedAt != null || declaration.DescendantNodes().Any(n => n is UsingStatementSyntax || n is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 }))
            {
                return false;
            }

            // The body the local function is declared in: its member, or the whole file of a top-level program.
            SyntaxNode? member = declaration.Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            if (member is GlobalStatementSyntax)
            {
                member = member.Parent;
            }

            if (member is null)
            {
                return false;
            }

            // Every mention of the name outside the declaration must be the callee of a direct call in the body itself.
            var calls = new HashSet<SyntaxNode>();
            foreach (var name in member.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText != Name || declaration.Span.Contains(name.Span))
                {
                    continue;
                }

                if (!(name.Parent is InvocationExpressionSyntax call && call.Expression == name)
                    || call.Ancestors().TakeWhile(a => a != member).Any(a => a is LocalFunctionStatementSyntax || a is AnonymousFunctionExpressionSyntax))
                {
                    return false;
                }

                calls.Add(call);
            }

            if (calls.Count == 0 || enclosingFlows.Count == 0)
            {
                return false;
            }

            // An iterator's body runs where its result is enumerated: each call must be enumerated in place.
            if (IteratorEnumeration.IsIteratorDeclaration(declaration) && !calls.All(engine.IsEnumeratedInPlace))
            {
                return false;
            }

            foreach (var flow in enclosingFlows)
            {
                var seen = 0;
                foreach (var site in flow.CallSites)
                {
                    if (!calls.Contains(site.Syntax))
                    {
                        continue;
                    }

                    seen++;
                    if (!engine.IsGradOn(site.Grad, owner))
                    {
                        return false;
                    }
                }

                if (seen != calls.Count)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
