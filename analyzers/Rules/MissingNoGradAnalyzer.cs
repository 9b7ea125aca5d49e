using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Rules.Inference;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH002: an inference forward pass — a module in eval mode on every path, any module in an inference method
    /// by name, or a pass whose output only ends in operations that end the graph (argmax, item, detach …) — runs while
    /// autograd records, records a graph (the module has parameters or an input may require grad), and no backward()
    /// or optimizer step in the body uses the graph (an output that ends the graph reaches none of them).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingNoGradAnalyzer : ModeFlowAnalyzer
    {
        /// <summary>
        /// Set when the pass stands in the expression body of a lambda: "true" when the lambda returns a value, "false"
        /// when it returns nothing. The fix gives such a lambda a block body (<c>{ return …; }</c> or <c>{ …; }</c>) and puts the
        /// scope inside it: a scope there holds wherever and on whichever thread the lambda runs.
        /// </summary>
        public const string LambdaReturnsValueProperty = "LambdaReturnsValue";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.MissingNoGrad);


        // A forward pass whose grad mode is this code's business: one of its own, or one through a submodule of `this` in
        // a module's method (nanoGPT's generate). A body that trains may still hold a pass whose output ends the graph
        // (PPO's detached old log-probs); Analyze asks that of its passes before any flow is built.
        private protected override bool MayReport(BlockFacts facts) => facts.OwnForwardPass || facts.SubmodulePass;

        // A block that runs no model itself may still call a helper whose unprotected calls are reported (ProtectedHelperCalls).
        private protected override bool MayReport(OperationBlockAnalysisContext context, ModeFlowEngine engine, BlockFacts facts)
            => MayReport(facts) || ProtectedHelperCalls.For(context, engine).MayBeCalledIn(context);

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var model = context.OperationBlocks[0].SemanticModel;
            foreach (var finding in FindingsOf(context, engine))
            {
                // A helper that some call runs inside no_grad: the calls that do not break its callers' convention, and the
                // finding is theirs, reported in their own blocks (docs/rules/TORCH002.md, "Where it reports").
                if (finding.IsReportedAtCalls)
                {
                    continue;
                }

                report(Diagnostic.Create(
                    Descriptors.MissingNoGrad,
                    finding.Pass.Syntax.GetLocation(),
                    PropertiesOf(finding.Pass.Syntax, model),
                    finding.ModuleText,
                    finding.Why));
            }

            ProtectedHelperCalls.For(context, engine).Report(context, report, call => PropertiesOf(call, model));
        }

        /// <summary>
        /// The inference passes of the block that record a graph, by TORCH002's per-pass decision. Asked by the rule of the
        /// block it analyses, and of a helper's body by the rule analysing a caller (<see cref="ProtectedHelperCalls"/>).
        /// </summary>
        internal static IEnumerable<InferencePassFinding> FindingsOf(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            var outputs = ForwardOutputs.IsEnabled(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree) ? new ForwardOutputs(engine.Symbols) : null;
            var submodulePasses = new SubmodulePassesOfModuleMethods(context, engine);

            // A body that steps or calls backward() outside any lambda wants its graph (see below) unless some pass's
            // output ends the graph; one whose every pass runs inside no_grad, or (outside inference methods) follows a
            // train() of its module and does not end the graph, needs no flow. A submodule's pass in a module's method
            // needs one only outside the module's forward pass, in an inference method or with an output that ends the graph.
            foreach (var site in ForwardPassContext.Of(
                context,
                engine,
                facts => (facts.OwnForwardPass && NeedsFlow(context, engine, outputs, facts, facts.EveryOwnPass, modeMatters: true))
                         || (facts.SubmodulePass && NeedsFlow(context, engine, outputs, facts, facts.EverySubmodulePass, modeMatters: false)
                             && !submodulePasses.ArePiecesOfOwnForward),
                submodulePassesToo: true))
            {
                // The module's own forward pass, and the methods it calls, run in their caller's grad mode.
                if (site.InOwnForward || (site.InheritsCallerMode && submodulePasses.ArePiecesOfOwnForward))
                {
                    continue;
                }

                // The questions about other methods (callers' grad scopes) come last: they are the expensive ones.
                var trains = !site.Flow.TrainingSteps.IsEmpty;
                // A submodule's mode is its owner's, set by the owner's caller: "in eval mode" is never a reason for it.
                var inEval = !trains && !site.InheritsCallerMode && site.Pass.Module is { } mode && engine.ResolveEntry(mode).Flags == ModeFlags.Eval;
                // A graph that a backward() or step() of this body may use is wanted (saliency, adversarial inputs), unless
                // every use of the pass's output ends the graph: then it is inference whatever the module's mode, and the
                // output reaches no backward() or step() of this body either.
                var byModeOrName = !trains && (inEval || site.IsInferenceEntryPoint);
                var consumer = byModeOrName || outputs is null ? null : ConsumerOf(context, site, outputs);

                // A parameter-free module (ReLU, Dropout, pooling …) on inputs that do not require grad records nothing.
                if ((!byModeOrName && consumer is null) || !ForwardInputs.MayRecordGraph(context, site, engine)
                    || !(site.InheritsCallerMode ? site.GradIsProvablyOn(engine, context.OwningSymbol) : site.GradIsOn(engine, context.OwningSymbol)))
                {
                    continue;
                }

                var why = !byModeOrName ? "its output is only read through " + consumer
                    : inEval ? "it is in eval mode"
                    : "'" + site.EntryPointName + "' is an inference method";
                if (site.Flow.LambdaEntry?.Run == DelegateRun.OnAnotherThread && site.Pass.Grad.OpenedAt is null)
                {
                    // The scope around the code that registers a handler does not reach the thread that runs it.
                    why += ", and the lambda runs on another thread, where autograd is on whatever scope created it";
                }

                // A helper (the pass runs in the grad mode its callers give) that some call runs inside no_grad: the calls
                // proved to record break the callers' convention.
                if (site.LocalFunction is null && site.Pass.Grad.Flags == GradFlags.Entry && context.OwningSymbol is IMethodSymbol helper
                    && engine.CallSiteWithGradOff(helper.OriginalDefinition) is { } protectedCall)
                {
                    var unprotectedCalls = engine.CallsWithGradOn(helper.OriginalDefinition);
                    if (!unprotectedCalls.IsEmpty)
                    {
                        yield return new InferencePassFinding(site.Pass.Invocation, site.ModuleText, why, protectedCall.Syntax, unprotectedCalls);
                    }

                    // Otherwise the other calls' grad modes are not known: no call is proved to record.
                    continue;
                }

                yield return new InferencePassFinding(site.Pass.Invocation, site.ModuleText, why, null, ImmutableArray<SyntaxNode>.Empty);
            }
        }

        private static ImmutableDictionary<string, string?>? PropertiesOf(SyntaxNode pass, SemanticModel? model)
        {
            var lambda = pass.FirstAncestorOrSelf<SyntaxNode>(n => n is AnonymousFunctionExpressionSyntax || n is StatementSyntax || n is MemberDeclarationSyntax)
                as AnonymousFunctionExpressionSyntax;
            if (lambda?.ExpressionBody is null || model is null || model.SyntaxTree != lambda.SyntaxTree
                || !(model.GetSymbolInfo(lambda).Symbol is IMethodSymbol symbol))
            {
                return null;
            }

            var returnsValue = !symbol.ReturnsVoid && !(symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { Arity: 0 });
            return ImmutableDictionary<string, string?>.Empty.Add(LambdaReturnsValueProperty, returnsValue ? "true" : "false");
        }

        /// <summary>
        /// The cheap gate over one kind of pass (<paramref name="every"/>): a body that trains needs a flow only when some
        /// pass's output ends the graph; and not when every pass is proved to run inside no_grad, or is proved to be
        /// training code — its module in training mode (when <paramref name="modeMatters"/>: a submodule's mode is its
        /// owner's caller's, so it proves nothing), outside an inference method, with an output that does not end the graph.
        /// </summary>
        private static bool NeedsFlow(
            OperationBlockAnalysisContext context,
            ModeFlowEngine engine,
            ForwardOutputs? outputs,
            BlockFacts facts,
            Func<Func<IInvocationOperation, bool>, bool> every,
            bool modeMatters)
            => (!(facts.Backward || facts.OptimizerStep) || facts.NestedFunctions
                || (outputs != null && !every(pass => outputs.GraphEndingConsumer(pass) is null)))
               && !every(pass => engine.GradIsProvedOff(pass)
                                 || ((!modeMatters || engine.ModeIsProved(pass, train: true)) && !ForwardPassContext.IsInferenceMethod(context)
                                     && !LocalFunctionEntryPoint.IsWrittenInOne(context, pass.Syntax)
                                     && (outputs is null || outputs.GraphEndingConsumer(pass) is null)));

        // The flow graph's pass is a copy: the output is followed in the member's own operation tree.
        private static string? ConsumerOf(OperationBlockAnalysisContext context, ForwardPassContext site, ForwardOutputs outputs)
        {
            var syntax = site.Pass.Invocation.Syntax;
            if (outputs.Known(syntax, out var known))
            {
                return known;
            }

            var invocation = context.OperationBlocks
                .Where(b => b.Syntax.SyntaxTree == syntax.SyntaxTree && b.Syntax.Span.Contains(syntax.Span))
                .SelectMany(b => b.DescendantsAndSelf())
                .OfType<IInvocationOperation>()
                .FirstOrDefault(o => o.Syntax == syntax);
            return invocation is null ? null : outputs.GraphEndingConsumer(invocation);
        }
    }
}
