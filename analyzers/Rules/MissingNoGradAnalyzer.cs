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
    /// by name — runs while autograd records, and no backward() or optimizer step in the body uses the graph.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingNoGradAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MissingNoGrad);


        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            foreach (var site in ForwardPassContext.Of(context, engine))
            {
                // A graph that a backward() or step() of this body may use is wanted (saliency, adversarial inputs).
                if (site.InheritsCallerMode || !site.Flow.TrainingSteps.IsEmpty)
                {
                    continue;
                }

                // The questions about other methods (callers' grad scopes) come last: they are the expensive ones.
                var inEval = site.Pass.Module is { } mode && engine.ResolveEntry(mode).Flags == ModeFlags.Eval;
                if ((!inEval && !site.IsInferenceEntryPoint) || !RecordsGradients(site, context, engine))
                {
                    continue;
                }

                var why = inEval ? "it is in eval mode" : "'" + context.OwningSymbol.Name + "' is an inference method";
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingNoGrad, site.Pass.Invocation.Syntax.GetLocation(), site.ModuleText, why));
            }
        }

        /// <summary>
        /// Whether autograd records on every path: enabled in the body, or enabled when the method is entered and not every
        /// caller of this compilation holds a grad-disabled scope. Unknown grad modes stay silent.
        /// </summary>
        private static bool RecordsGradients(ForwardPassContext site, OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            var flags = site.Pass.Grad.Flags;
            if ((flags & ~(GradFlags.Enabled | GradFlags.Entry)) != 0 || flags == GradFlags.None)
            {
                return false;
            }

            return (flags & GradFlags.Entry) == 0
                   || !(context.OwningSymbol is IMethodSymbol method)
                   || !engine.EveryCallerDisablesGrad(method.OriginalDefinition);
        }
    }
}
