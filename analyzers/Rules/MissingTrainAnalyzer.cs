using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Rules.Inference;
using TorchSharp.Analyzers.Rules.Training;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH005: a forward pass whose output feeds a <c>backward()</c>, in a body that also steps an optimizer, runs while
    /// the module may be in eval mode — because an <c>eval()</c> reaches it: earlier in the flow (the validation of the
    /// previous epoch), in a caller between two calls of a training helper, or in another method of the class for a module
    /// held in a field.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingTrainAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MissingTrain);


        // A forward pass whose mode is this code's business, and an optimizer step.
        private protected override bool MayReport(BlockFacts facts) => facts.OwnForwardPass && facts.OptimizerStep;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            // A body whose every pass follows a train() of its module, or runs inside no_grad, needs no flow.
            foreach (var site in ForwardPassContext.Of(
                context,
                engine,
                facts => facts.OptimizerStep && !facts.EveryOwnPass(pass => engine.ModeIsProved(pass, train: true) || engine.GradIsProvedOff(pass))))
            {
                // Deliberate eval-mode gradients (saliency, adversarial inputs, Grad-CAM) step no optimizer.
                if (site.InheritsCallerMode || site.Pass.Grad.IsOff || !(site.Pass.Module is { } mode)
                    || !site.Flow.TrainingSteps.Any(s => s.Kind == TorchCallKind.OptimizerStep))
                {
                    continue;
                }

                if (!(WhyMayBeEval(mode, context, engine, tree) is { } why)
                    || !site.ModeMatters(engine)
                    || !FeedsATrainingStep(context, site.Pass.Invocation.Syntax, engine.Symbols))
                {
                    continue;
                }

                report(Diagnostic.Create(Descriptors.MissingTrain, site.Pass.Invocation.Syntax.GetLocation(), site.ModuleText, why, ModeConsequences.InEval(site.ModeDependentKinds(engine))));
            }
        }

        /// <summary>
        /// Whether the forward pass's loss reaches a backward() whose gradients can reach a step that updates a module: an
        /// input-gradient probe cleared by zero_grad() before the step, or a backward for an optimizer over an image, is
        /// not a training step of this module; the training step's own forward decides.
        /// </summary>
        private static bool FeedsATrainingStep(OperationBlockAnalysisContext context, SyntaxNode forwardPass, TorchSymbols symbols)
        {
            foreach (var backward in LossFlow.BackwardsFedBy(context.OperationBlocks, forwardPass, symbols))
            {
                var block = context.OperationBlocks.FirstOrDefault(b => b.Syntax.Span.Contains(backward.Syntax.Span));
                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation
                      || block is IFieldInitializerOperation || block is IPropertyInitializerOperation)
                    || GradientReach.ReachesModuleStep(context.GetControlFlowGraph(block), backward.Syntax, symbols))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Which eval() reaches the forward pass, for the message; null when none is in sight.</summary>
        private static string? WhyMayBeEval(ModeFact mode, OperationBlockAnalysisContext context, ModeFlowEngine engine, SyntaxTree tree)
        {
            var origin = (mode.Flags & ModeFlags.Eval) != 0 ? mode.EvalOrigin : null;
            if (origin is null && (mode.Flags & ModeFlags.Entry) != 0)
            {
                switch (mode.EntrySymbol)
                {
                    case IParameterSymbol _:
                        var resolved = engine.ResolveEntry(mode);
                        origin = (resolved.Flags & ModeFlags.Eval) != 0 ? resolved.EvalOrigin : null;
                        break;
                    case ISymbol member when (member is IFieldSymbol || member is IPropertySymbol) && context.OwningSymbol is IMethodSymbol method:
                        origin = engine.EvalElsewhere(member, method.OriginalDefinition);
                        break;
                }
            }

            return origin is null ? null : Describe(origin, tree);
        }

        private static string Describe(SyntaxNode origin, SyntaxTree tree)
        {
            var where = SourceLines.LineText(origin, tree);
            var text = origin.ToString();
            if (text.EndsWith(".eval()", System.StringComparison.Ordinal) || text.EndsWith(".train(false)", System.StringComparison.Ordinal))
            {
                var method = origin.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax>().FirstOrDefault();
                var inMethod = method is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax named ? " in '" + named.Identifier.ValueText + "'" : string.Empty;
                return "eval()" + inMethod + " at " + where;
            }

            return "left in eval mode by " + HelperCallWording.Of(origin) + " at " + where;
        }
    }
}
