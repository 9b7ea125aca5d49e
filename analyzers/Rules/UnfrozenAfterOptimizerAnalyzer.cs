using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
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
    /// TORCH004: parameters of a module are unfrozen after an optimizer was built over its trainable parameters only, and
    /// that optimizer was not given them with <c>add_param_group</c>.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnfrozenAfterOptimizerAnalyzer : ModeFlowAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnfrozenAfterOptimizer);


        // An optimizer built over the trainable parameters.
        private protected override bool MayReport(BlockFacts facts) => facts.FilteredOptimizer;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            List<IOperation>? operations = null;
            List<IOperation> Operations() => operations ??= context.OperationBlocks.SelectMany(b => b.DescendantsAndSelf()).ToList();
            var uses = new Dictionary<string, OptimizerUses>();
            OptimizerUses UsesOf(string name) => uses.TryGetValue(name, out var known) ? known : uses[name] = OptimizerUses.Of(Operations(), name);

            // A body where no optimizer could step again after any possible unfreeze cannot report: no flow needed.
            foreach (var (flow, _) in OperationBlockFlows.Of(
                context,
                engine,
                facts => facts.FilteredOptimizer && engine.MayChangeFreezing(facts, freeze: false) && (engine.Exhaustive || MayStepAfterUnfreeze(Operations(), engine, UsesOf))))
            {
                foreach (var unfreeze in flow.Unfreezes)
                {
                    if (unfreeze.Stale.IsEmpty)
                    {
                        continue;
                    }

                    var optimizer = unfreeze.Stale[0];
                    if (UsesOf(optimizer.Name).IsHarmless(unfreeze.Syntax))
                    {
                        continue;
                    }

                    var creation = flow.OptimizerCreations.FirstOrDefault(c => c.Syntax == optimizer.Creation);
                    var module = creation?.Module.ToString() ?? "the module";
                    var consequence = optimizer.Materialized
                        ? "the list it was given is fixed, so the unfrozen parameters are never updated"
                        : "it re-enumerates its lazy filter at every step(), so the next step() throws KeyNotFoundException";
                    report(Diagnostic.Create(
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
        /// Whether the flow could find a reportable unfreeze, read from the operations alone: some name a stale optimizer
        /// could have (the variable or member a filtered optimizer is stored in, or the optimizer's own name when it is
        /// stored elsewhere) steps again after some place where parameters could be unfrozen — a write of
        /// <c>requires_grad</c>, <c>requires_grad_(..)</c>, the collection of a <c>foreach</c>, or a call of this
        /// compilation given a module whose summary could unfreeze it. False proves the rule silent in this body.
        /// </summary>
        private static bool MayStepAfterUnfreeze(List<IOperation> operations, ModeFlowEngine engine, System.Func<string, OptimizerUses> usesOf)
        {
            var symbols = engine.Symbols;
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

                if (MayUnfreeze(operation, engine))
                {
                    unfreezes.Add(operation.Syntax);
                }
            }

            foreach (var name in names)
            {
                var uses = usesOf(name);
                if (uses.NeverUsed)
                {
                    continue;
                }

                foreach (var unfreeze in unfreezes)
                {
                    if (!uses.IsHarmless(unfreeze))
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

        // The flow unfreezes where requires_grad is written (a whole loop's write where its collection is evaluated), and
        // where it applies the summary of a method of this compilation that was given the module.
        private static bool MayUnfreeze(IOperation operation, ModeFlowEngine engine)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: TorchNames.RequiresGrad } }:
                case IInvocationOperation { TargetMethod.Name: TorchNames.RequiresGradSetter }:
                    return true;
                case IInvocationOperation call when IsLoopCollection(call):
                    return true;
                case IInvocationOperation call:
                    return engine.Symbols.HandsModuleToOtherCode(call) && engine.MayChangeFreezing(call.TargetMethod, freeze: false);
                case IObjectCreationOperation { Constructor: { } constructor } creation:
                    return engine.Symbols.AnyModuleArgument(creation.Arguments) && engine.MayChangeFreezing(constructor, freeze: false);
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
    }
}
