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
            List<IOperation> Operations() => operations ??= context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();

            // A body where no optimizer could step again after any possible unfreeze cannot report: no flow needed.
            foreach (var (flow, _) in OperationBlockFlows.Of(
                context,
                engine,
                facts => facts.FilteredOptimizer && facts.MayChangeFreezing && (engine.Exhaustive || MayStepAfterUnfreeze(Operations(), engine.Symbols))))
            {
                foreach (var unfreeze in flow.Unfreezes)
                {
                    if (unfreeze.Stale.IsEmpty)
                    {
                        continue;
                    }

                    var optimizer = unfreeze.Stale[0];
                    if (Harmless(Operations(), optimizer.Name, unfreeze.Syntax))
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

        /// <summary>An unfreeze the optimizer named <paramref name="optimizerName"/> is given with add_param_group, or never steps after.</summary>
        private static bool Harmless(List<IOperation> operations, string optimizerName, SyntaxNode unfreeze)
            => GrowsAfter(operations, optimizerName, unfreeze) || !StepsAfter(operations, optimizerName, unfreeze);

        /// <summary>
        /// Whether the flow could find a reportable unfreeze, read from the operations alone: some name a stale optimizer
        /// could have (the variable or member a filtered optimizer is stored in, or the optimizer's own name when it is
        /// stored elsewhere) steps again after some place where parameters could be unfrozen — a write of
        /// <c>requires_grad</c>, <c>requires_grad_(..)</c>, the collection of a <c>foreach</c>, or a call of this
        /// compilation given a module. False proves the rule silent in this body.
        /// </summary>
        private static bool MayStepAfterUnfreeze(List<IOperation> operations, Symbols.TorchSymbols symbols)
        {
            var names = new HashSet<string>();
            var unfreezes = new List<SyntaxNode>();
            foreach (var operation in operations)
            {
                switch (operation)
                {
                    case IInvocationOperation call when symbols.IsOptimizerCreation(call):
                        names.Add(call.TargetMethod.Name);
                        AddStoredName(call, names);
                        break;
                    case IObjectCreationOperation creation when symbols.IsOptimizerCreation(creation):
                        names.Add(creation.Type?.Name ?? string.Empty);
                        AddStoredName(creation, names);
                        break;
                }

                if (MayUnfreeze(operation, symbols))
                {
                    unfreezes.Add(operation.Syntax);
                }
            }

            foreach (var name in names)
            {
                foreach (var unfreeze in unfreezes)
                {
                    if (!Harmless(operations, name, unfreeze))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void AddStoredName(IOperation creation, HashSet<string> names)
        {
            var value = creation;
            while (value.Parent is IConversionOperation || value.Parent is IParenthesizedOperation)
            {
                value = value.Parent;
            }

            switch (value.Parent)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    names.Add(declarator.Symbol.Name);
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Value == value && Storage.Referenced(assignment.Target.SkipConversions()) is { Symbol: { } stored }:
                    names.Add(stored.Name);
                    break;
            }
        }

        private static bool MayUnfreeze(IOperation operation, Symbols.TorchSymbols symbols)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "requires_grad" } }:
                case IInvocationOperation { TargetMethod.Name: "requires_grad_" }:
                    return true;
                case IInvocationOperation call when IsLoopCollection(call):
                    return true;
                case IInvocationOperation call:
                    return !symbols.IsTorchSharp(call.TargetMethod)
                           && (symbols.IsModule(call.Instance?.Type) || call.Arguments.Any(a => symbols.IsModule(a.Value.Type)));
                case IObjectCreationOperation creation:
                    return creation.Arguments.Any(a => symbols.IsModule(a.Value.Type));
                default:
                    return false;
            }
        }

        // The flow applies a loop's freeze where the loop's collection is evaluated.
        private static bool IsLoopCollection(IOperation call)
        {
            var value = call;
            while (value.Parent is IConversionOperation)
            {
                value = value.Parent;
            }

            return value.Parent is IForEachLoopOperation loop && loop.Collection == value;
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
