using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH007: <c>backward()</c> runs where autograd is off on every path — inside no_grad, inference_mode or
    /// set_grad_enabled(false), or in a helper that a caller of this compilation runs inside such a scope.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class BackwardWithoutGradAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.BackwardWithoutGrad);


        // A backward() to judge.
        private protected override bool MayReport(BlockFacts facts) => facts.Backward;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            // Grad is off at a backward() only if this member switches it, or a caller might run the member with it off.
            var owner = context.OwningSymbol;
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, facts => facts.Backward && (facts.MaySwitchGrad || engine.MayRunWithGradOff(owner))))
            {
                foreach (var step in flow.TrainingSteps)
                {
                    if (step.Kind == TorchCallKind.Backward && Where(step.Grad, context, engine, tree) is { } where)
                    {
                        report(Diagnostic.Create(Descriptors.BackwardWithoutGrad, step.Invocation.Syntax.GetLocation(), where));
                    }
                }
            }
        }

        /// <summary>Where autograd was switched off, for the message; null when it may be on.</summary>
        private static string? Where(GradFact grad, OperationBlockAnalysisContext context, ModeFlowEngine engine, SyntaxTree tree)
        {
            if (grad.IsOff)
            {
                return "inside the " + ScopeName(grad) + (grad.OpenedAt is null ? string.Empty : " opened at " + SourceLines.LineText(grad.OpenedAt, tree));
            }

            if (grad.Flags == GradFlags.Entry && context.OwningSymbol is IMethodSymbol method
                && engine.CallSiteWithGradOff(method.OriginalDefinition) is { } site)
            {
                return "in '" + method.Name + "', which is called at " + SourceLines.LineText(site.Syntax, tree) + " inside the "
                       + ScopeName(site.Grad) + (site.Grad.OpenedAt is null ? string.Empty : " opened at " + SourceLines.LineText(site.Grad.OpenedAt, tree));
            }

            return null;
        }

        private static string ScopeName(GradFact grad)
            => grad.Flags == GradFlags.Inference ? "inference_mode scope" : "grad-disabled scope";
    }
}
