using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Rules.Training;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH011: an optimizer's <c>step()</c> that some path reaches with the gradients its previous step used still in
    /// the parameters (no <c>zero_grad()</c> between two steps, a <c>backward()</c> between them), or that every path
    /// reaches with gradients cleared after the <c>backward()</c> that computed them. Reported at the <c>step()</c>, once
    /// per step call (so once per loop). The flow is <see cref="GradientClearingFlow"/>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class GradientsNotClearedAnalyzer : ModeFlowAnalyzer
    {
        /// <summary>Diagnostic property: which of the two findings (<see cref="NeverCleared"/> or <see cref="ClearedBeforeStep"/>).</summary>
        public const string KindProperty = "Kind";

        /// <summary>Value of <see cref="KindProperty"/>: gradients are never cleared between steps (the fix inserts zero_grad()).</summary>
        public const string NeverCleared = "NeverCleared";

        /// <summary>Value of <see cref="KindProperty"/>: gradients are cleared between backward() and step() (no fix).</summary>
        public const string ClearedBeforeStep = "ClearedBeforeStep";

        /// <summary>
        /// <c>.editorconfig</c> key: when <c>true</c> (the default), a step under an <c>if</c> in a body that also calls
        /// <c>zero_grad()</c> under an <c>if</c> is not reported as never cleared: accumulation written with two tests
        /// (<c>if (i % k == 0) opt.zero_grad(); … if ((i + 1) % k == 0) opt.step();</c>) whose correlation the graph cannot see.
        /// </summary>
        public const string ConditionalClearsOption = "TORCH011.trust_conditional_clears";

        /// <summary><c>.editorconfig</c> key: when <c>false</c>, a <c>zero_grad()</c> between <c>backward()</c> and <c>step()</c> is not reported.</summary>
        public const string ReportClearedBeforeStepOption = "TORCH011.report_cleared_before_step";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.GradientsNotCleared);

        // A backward() and a step(): a body without both cannot accumulate nor lose gradients.
        private protected override bool MayReport(BlockFacts facts) => facts.Backward && facts.OptimizerStep;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var facts = engine.FactsOf(context);
            if (!engine.Exhaustive && !MayReport(facts))
            {
                return;
            }

            var calls = GradientClearingCalls.For(context.Compilation, engine.Symbols);
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            var conditionalClears = Options.EditorConfigOptions.GetBool(context.Options, tree, ConditionalClearsOption, defaultValue: true);
            var reportBetween = Options.EditorConfigOptions.GetBool(context.Options, tree, ReportClearedBeforeStepOption, defaultValue: true);
            foreach (var block in context.OperationBlocks)
            {
                if (!(block is IMethodBodyOperation || block is IConstructorBodyOperation || block is IBlockOperation))
                {
                    continue;
                }

                // The commonest correct loop is proved silent from its syntax: no graph, no flow.
                if (!engine.Exhaustive && ClearedEachIterationProof.Holds(block.Syntax, ClearedEachIterationProof.TorchSharpOtherThanStep(block.SemanticModel, engine.Symbols)))
                {
                    continue;
                }

                var root = context.GetControlFlowGraph(block);
                var graphs = facts.NestedFunctions || engine.Exhaustive
                    ? ControlFlowGraphs.SelfAndNested(root).Select(g => g.Graph)
                    : new[] { root };
                foreach (var graph in graphs)
                {
                    foreach (var finding in GradientClearingFlow.FindingsIn(graph, engine.Symbols, calls))
                    {
                        var step = finding.Step.Syntax;
                        if (finding.Kind == GradientFindingKind.NeverCleared
                                ? conditionalClears && StepAndClearBothConditional(step, graph.OriginalOperation.Syntax)
                                : !reportBetween)
                        {
                            continue;
                        }

                        var optimizer = (step as InvocationExpressionSyntax)?.Expression is MemberAccessExpressionSyntax member
                            ? member.Expression.ToString()
                            : finding.Optimizer.Name;
                        var never = finding.Kind == GradientFindingKind.NeverCleared;
                        report(Diagnostic.Create(
                            Descriptors.GradientsNotCleared,
                            step.GetLocation(),
                            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, never ? NeverCleared : ClearedBeforeStep),
                            optimizer,
                            never ? GradientWording.NeverClearedWhat : GradientWording.ClearedBeforeStepWhat,
                            never ? GradientWording.NeverClearedFix(optimizer) : GradientWording.ClearedBeforeStepFix));
                    }
                }
            }
        }

        /// <summary>
        /// Accumulation written with two tests — <c>if (i % k == 0) opt.zero_grad(); … if ((i + 1) % k == 0) opt.step();</c>
        /// or the same condition twice — where the graph has a path through the step without the clear that the
        /// conditions rule out. A heuristic, named on the rule's page: the step is under an <c>if</c> (or a <c>?:</c>) and
        /// so is some <c>zero_grad()</c> of the same function.
        /// </summary>
        private static bool StepAndClearBothConditional(SyntaxNode step, SyntaxNode function)
        {
            if (!IsConditional(step, function))
            {
                return false;
            }

            return function.DescendantNodes()
                .OfType<InvocationExpressionSyntax>()
                .Any(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.ZeroGrad } && IsConditional(i, function));
        }

        private static bool IsConditional(SyntaxNode node, SyntaxNode function)
            => node.Ancestors().TakeWhile(a => a != function).Any(a => a is IfStatementSyntax || a is ConditionalExpressionSyntax || a is SwitchStatementSyntax);
    }
}
