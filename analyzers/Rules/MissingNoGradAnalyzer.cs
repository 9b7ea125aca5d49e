using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Rules.Inference;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH002: an inference forward pass — a module in eval mode on every path, or any module in an inference method
    /// by name — runs while autograd records, records a graph (the module has parameters or an input may require grad),
    /// and no backward() or optimizer step in the body uses the graph.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingNoGradAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MissingNoGrad);


        // A forward pass whose grad mode is this code's business, in a body that does not train (or has lambdas).
        private protected override bool MayReport(BlockFacts facts) => facts.OwnForwardPass && (!(facts.Backward || facts.OptimizerStep) || facts.NestedFunctions);

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            // A body that steps or calls backward() outside any lambda wants its graph (see below); one whose every pass
            // runs inside no_grad, or (outside inference methods) follows a train() of its module, needs no flow.
            foreach (var site in ForwardPassContext.Of(
                context,
                engine,
                facts => (!(facts.Backward || facts.OptimizerStep) || facts.NestedFunctions)
                         && !facts.EveryOwnPass(pass => engine.GradIsProvedOff(pass)
                                                        || (engine.ModeIsProved(pass, train: true) && !ForwardPassContext.IsInferenceMethod(context)
                                                            && !LocalFunctionEntryPoint.IsWrittenInOne(context, pass.Syntax)))))
            {
                // A graph that a backward() or step() of this body may use is wanted (saliency, adversarial inputs).
                if (site.InheritsCallerMode || !site.Flow.TrainingSteps.IsEmpty)
                {
                    continue;
                }

                // The questions about other methods (callers' grad scopes) come last: they are the expensive ones.
                var inEval = site.Pass.Module is { } mode && engine.ResolveEntry(mode).Flags == ModeFlags.Eval;
                // A parameter-free module (ReLU, Dropout, pooling …) on inputs that do not require grad records nothing.
                if ((!inEval && !site.IsInferenceEntryPoint) || !ForwardInputs.MayRecordGraph(context, site, engine)
                    || !site.GradIsOn(engine, context.OwningSymbol))
                {
                    continue;
                }

                var why = inEval ? "it is in eval mode" : "'" + site.EntryPointName + "' is an inference method";
                report(Diagnostic.Create(Descriptors.MissingNoGrad, site.Pass.Invocation.Syntax.GetLocation(), site.ModuleText, why));
            }
        }
    }
}
