using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Rules.Inference;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH001: a module with mode-dependent layers (or an unknown composition) runs a forward pass in an inference
    /// region — under no_grad/inference_mode, or in an inference method by name — while it may be in training mode.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingEvalAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MissingEval);


        // A forward pass whose mode is this code's business.
        private protected override bool MayReport(BlockFacts facts) => facts.OwnForwardPass;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            // An inference region needs grad switched off in this member or by a caller, or an inference method (or local
            // function) by name;
            // a body whose every pass follows an eval() of its module, with nothing in between, needs no flow. (Asking the
            // composition of every pass's module first was measured slower on real code: it binds other classes'
            // constructors that the flow's answer would not have needed; docs/performance.md, "Real code".)
            var owner = context.OwningSymbol;
            foreach (var site in ForwardPassContext.Of(
                context,
                engine,
                facts => (facts.MaySwitchGrad || ForwardPassContext.IsInferenceMethod(context) || engine.MayRunWithGradOff(owner)
                          || !facts.EveryOwnPass(pass => !LocalFunctionEntryPoint.IsWrittenInOne(context, pass.Syntax)))
                         && !facts.EveryOwnPass(engine.NeverTrainingAt)))
            {
                // Cheapest first: a quick look at the local mode, then the composition, then questions about other methods.
                if (site.InheritsCallerMode || !(site.Pass.Module is { } mode)
                    || (mode.Flags & (ModeFlags.Train | ModeFlags.Entry)) == 0 || !site.ModeMatters(engine)
                    || !(site.IsInferenceEntryPoint || engine.IsGradOff(site.Pass.Grad, context.OwningSymbol)))
                {
                    continue;
                }

                if (!(WhyMayBeTraining(engine.ResolveEntry(mode), context.OperationBlocks[0].Syntax.SyntaxTree) is { } why))
                {
                    continue;
                }

                report(Diagnostic.Create(Descriptors.MissingEval, site.Pass.Invocation.Syntax.GetLocation(), site.ModuleText, why, ModeConsequences.InTraining(site.ModeDependentKinds(engine))));
            }

            ReportOwnInferenceMethodCalls(context, engine, report);
        }

        /// <summary>
        /// A module's own inference method (nanoGPT's <c>model.generate(..)</c>, which runs <c>this</c> in a loop) called on a
        /// module that may be in training mode: its passes inherit the mode of the module they run on, so the call is the
        /// place to report (docs/rules/TORCH001.md, "A module's own inference methods").
        /// </summary>
        private static void ReportOwnInferenceMethodCalls(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            // The names are the cheap no; with the shortcuts off every call is judged on its callee alone.
            var names = engine.Exhaustive ? null : OwnInferenceMethodNames.Of(context.Compilation, context.Options, engine);
            if (names is { IsEmpty: true })
            {
                return;
            }

            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, facts => facts.OwnForwardPass && CallsOneOf(context, names!)))
            {
                foreach (var call in flow.CallSites)
                {
                    var callee = call.Callee;
                    if (callee.IsStatic || (names != null && !names.Contains(callee.Name)) || !call.Arguments.TryGetValue(-1, out var receiver)
                        || (receiver.Flags & (ModeFlags.Train | ModeFlags.Entry)) == 0 || !engine.Symbols.IsModule(callee.ContainingType)
                        || !(callee.DeclaringSyntaxReferences.FirstOrDefault() is { } declaration)
                        || !InferenceMethodNames.Matches(context.Options, declaration.SyntaxTree, callee)
                        || !InferenceEntryPoints.RunsItsOwnModule(callee.OriginalDefinition, context.Compilation)
                        || engine.Composition.Of(callee.ContainingType) == ModuleComposition.ModeIndependent
                        || !(WhyMayBeTraining(engine.ResolveEntry(receiver), tree) is { } why)
                        || !(call.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }))
                    {
                        continue;
                    }

                    report(Diagnostic.Create(
                        Descriptors.MissingEval,
                        call.Syntax.GetLocation(),
                        access.Expression.ToString(),
                        why + ", and '" + callee.Name + "()' runs it for inference",
                        ModeConsequences.InTraining(engine.Composition.KindsOf(callee.ContainingType))));
                }
            }
        }

        // Whether the block calls a method of one of these names as `receiver.name(..)`: the text is searched for the
        // names first, and only a block that holds one is walked.
        private static bool CallsOneOf(OperationBlockAnalysisContext context, System.Collections.Immutable.ImmutableHashSet<string> names)
        {
            var text = Flow.SourceWords.Of(context.OperationBlocks[0].Syntax.SyntaxTree);
            foreach (var block in context.OperationBlocks)
            {
                var span = block.Syntax.Span;
                if (!names.Any(name => Flow.EscapedNames.ContainsWord(text, name, span.Start, span.End)))
                {
                    continue;
                }

                foreach (var node in block.Syntax.DescendantNodes())
                {
                    if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } && names.Contains(access.Name.Identifier.ValueText))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>The message's explanation of where training mode comes from, or null when the module is not in it.</summary>
        private static string? WhyMayBeTraining(ModeFact mode, SyntaxTree reportedIn)
        {
            if ((mode.Flags & ModeFlags.Train) != 0 && mode.TrainOrigin is { } origin)
            {
                // train() called while autograd is off is deliberate (Monte-Carlo dropout); so is train() right before the
                // region with no training work in between (a GAN step generating samples with its generator in train mode).
                if (origin.UnderDisabledGrad || (origin.Kind == TrainOriginKind.TrainCall && !origin.FollowedByWork))
                {
                    return null;
                }

                return origin.Kind switch
                {
                    TrainOriginKind.Created => "created at " + origin.LineText(reportedIn),
                    TrainOriginKind.TrainCall => "train() at " + origin.LineText(reportedIn),
                    _ => "left in training mode by " + HelperCallWording.Of(origin.Node) + " at " + origin.LineText(reportedIn),
                };
            }

            return (mode.Flags & ModeFlags.Entry) != 0 && mode.EntrySymbol is { } entry
                ? entry is IParameterSymbol
                    ? "received as parameter '" + entry.Name + "', and no caller puts it in eval mode"
                    : "held in '" + entry.Name + "', which nothing puts in eval mode"
                : null;
        }
    }
}
