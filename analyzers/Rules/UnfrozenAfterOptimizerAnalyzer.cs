using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH004: parameters of a module are unfrozen after an optimizer was built over its trainable parameters only, and
    /// that optimizer was not given them with <c>add_param_group</c>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnfrozenAfterOptimizerAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnfrozenAfterOptimizer);


        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            List<IOperation>? operations = null;
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, facts => facts.FilteredOptimizer && facts.MayChangeFreezing))
            {
                foreach (var unfreeze in flow.Unfreezes)
                {
                    if (unfreeze.Stale.IsEmpty)
                    {
                        continue;
                    }

                    var optimizer = unfreeze.Stale[0];
                    operations ??= context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();
                    if (GrowsAfter(operations, optimizer.Name, unfreeze.Syntax) || !StepsAfter(operations, optimizer.Name, unfreeze.Syntax))
                    {
                        continue;
                    }

                    var creation = flow.OptimizerCreations.FirstOrDefault(c => c.Syntax == optimizer.Creation);
                    var module = creation?.Module.ToString() ?? "the module";
                    var consequence = optimizer.Materialized
                        ? "the list it was given is fixed, so the unfrozen parameters are never updated"
                        : "it re-enumerates its lazy filter at every step(), so the next step() throws KeyNotFoundException";
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.UnfrozenAfterOptimizer,
                        unfreeze.Syntax.GetLocation(),
                        module,
                        optimizer.Name,
                        optimizer.Creation.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
                        consequence));
                }
            }
        }

        /// <summary>
        /// Whether the optimizer may step after the unfreeze — <c>step()</c> on it, or it handed to a method — before it is
        /// replaced: an optimizer that never steps again cannot throw or skip anything (a new optimizer per stage).
        /// </summary>
        private static bool StepsAfter(List<IOperation> operations, string optimizerName, SyntaxNode unfreeze)
        {
            // A new optimizer assigned to the variable, or a declaration of it run again (inside a loop), replaces it.
            var replacements = operations
                .Where(o => (o is ISimpleAssignmentOperation assignment && IsWritten(assignment.Target.Syntax, optimizerName))
                            || (o is IVariableDeclaratorOperation { Initializer: { } } declarator && declarator.Symbol.Name == optimizerName))
                .Select(o => o.Syntax)
                .ToList();
            var uses = operations
                .Where(o => (o is IInvocationOperation { TargetMethod.Name: "step" } step && step.Instance != null && IsWritten(step.Instance.Syntax, optimizerName))
                            || (o is IArgumentOperation argument && IsWritten(argument.Value.Syntax, optimizerName)))
                .Select(o => o.Syntax);
            foreach (var use in uses)
            {
                if (use.SpanStart > unfreeze.SpanStart)
                {
                    if (!replacements.Any(r => r.SpanStart > unfreeze.SpanStart && r.SpanStart < use.SpanStart))
                    {
                        return true;
                    }
                }
                else if (Loops.MayRunAfter(use, unfreeze) && !replacements.Any(r => r.SpanStart > unfreeze.SpanStart || r.SpanStart < use.SpanStart))
                {
                    // The next iteration's use, with nothing replacing the optimizer on the way around the loop.
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the body calls <c>add_param_group</c> on the optimizer after the unfreeze (later in the text, or in a loop
        /// around both): the usual way to hand it the newly trainable parameters. A heuristic, named on the rule's page.
        /// </summary>
        private static bool GrowsAfter(List<IOperation> operations, string optimizerName, SyntaxNode unfreeze)
            => operations
                .OfType<IInvocationOperation>()
                .Any(call => call.TargetMethod.Name == "add_param_group"
                             && call.Instance != null && IsWritten(call.Instance.Syntax, optimizerName)
                             && Loops.MayRunAfter(call.Syntax, unfreeze));

        /// <summary>Whether <paramref name="syntax"/> is written as <paramref name="text"/> (the length is compared before any text is built).</summary>
        private static bool IsWritten(SyntaxNode syntax, string text)
            => syntax.Span.Length == text.Length && syntax.ToString() == text;
    }
}
