using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The transfer of the optimizer domain within one operation: an optimizer created over a module's trainable
    /// parameters only is followed once stored, and forgotten when it is given more parameters. A struct held by
    /// <see cref="ModeStep"/>: the creation and the store are parts of one operation, and a transfer must not allocate
    /// per operation.
    /// </summary>
    internal struct OptimizerTransfer
    {
        private (IOperation Creation, OptimizerFact Fact)? _pending;

        /// <summary>An optimizer created at <paramref name="creation"/> over the parameters its first argument names.</summary>
        public void OnCreation(ModeStep step, IOperation creation, string name, ImmutableArray<IArgumentOperation> arguments)
        {
            if (arguments.IsEmpty)
            {
                return;
            }

            foreach (var (module, input) in OptimizerInputs.Of(arguments[0].Value, step.Flow.Symbols))
            {
                if (!step.TryValue(module, out var id))
                {
                    continue;
                }

                step.Flow.Records?.OptimizerCreations.Add(new OptimizerCreation(creation.Syntax, name, module.Syntax, id, step.State.Freezes.Of(id, step.Flow.Ids), input));
                if (input != OptimizerInput.Unfiltered)
                {
                    // Remembered once stored: a later unfreeze of the module leaves this optimizer behind (TORCH004).
                    _pending = (creation, new OptimizerFact(id, input == OptimizerInput.FilteredMaterialized, creation.Syntax, name));
                }
            }
        }

        /// <summary>Whether <paramref name="value"/>, stored into <paramref name="storage"/>, is the optimizer just created; if so, the storage holds it.</summary>
        public bool TryStore(ModeStep step, Storage storage, IOperation value)
        {
            if (!(_pending is { } pending) || value.SkipConversions() != pending.Creation)
            {
                return false;
            }

            var name = storage.Symbol?.Name ?? pending.Fact.Name;
            step.State = step.State.With(optimizers: step.State.Optimizers.Holding(storage, new OptimizerFact(pending.Fact.ModuleValue, pending.Fact.Materialized, pending.Fact.Creation, name)));
            _pending = null;
            return true;
        }

        /// <summary>Whether <paramref name="invocation"/> gives an optimizer more parameters (<c>add_param_group</c>); if so, it is no longer followed.</summary>
        public static bool TryForget(ModeStep step, IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.Name == "add_param_group" && invocation.Instance != null && Storage.Referenced(invocation.Instance.SkipConversions()) is Storage grown)
            {
                step.State = step.State.With(optimizers: step.State.Optimizers.Forgetting(grown));
                return true;
            }

            return false;
        }
    }
}
