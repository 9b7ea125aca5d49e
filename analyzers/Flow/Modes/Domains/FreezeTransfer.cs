using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The transfer of the freeze domain: a constant <c>requires_grad</c> write on a module's parameters
    /// (<see cref="FreezeSites"/>), a callee's freeze summary, or unknown code that receives the module. An unfreeze is
    /// recorded with the optimizers it leaves behind (TORCH004).
    /// </summary>
    internal static class FreezeTransfer
    {
        /// <summary>The freeze or unfreeze at <paramref name="site"/>, when its module is a value the flow holds.</summary>
        public static void OnFreezeSite(ModeStep step, FreezeSite site, SyntaxNode syntax)
        {
            if (site.Module is null || !(Storage.Referenced(site.Module.SkipConversions()) is Storage storage))
            {
                return;
            }

            var id = step.Flow.Ids.ValueIn(step.State.Modules, storage);
            if (id == ModuleValueIds.NoValue)
            {
                return;
            }

            var origin = site.Origin ?? syntax;
            Set(step, id, step.State.Freezes.Of(id, step.Flow.Ids).After(site.Frozen, site.All, origin), unfreezing: !site.Frozen, origin);
        }

        /// <summary>
        /// The module value <paramref name="id"/> handed to <paramref name="callee"/> as argument <paramref name="ordinal"/>:
        /// unknown code may freeze anything; a method of this compilation leaves it as its summary says.
        /// </summary>
        public static void OnCall(ModeStep step, IMethodSymbol callee, bool isOurs, int ordinal, int id, SyntaxNode syntax)
        {
            if (!isOurs)
            {
                step.State = step.State.With(freezes: step.State.Freezes.With(id, FreezeFact.Unknown));
            }
            else if (step.Flow.Summaries.FreezeEffectOn(callee.OriginalDefinition, ordinal, step.Flow.Depth + 1) is FreezeFact frozen)
            {
                var before = step.State.Freezes.Of(id, step.Flow.Ids);
                var after = frozen.Flags == FreezeFlags.Unknown ? FreezeFact.Unknown : new FreezeFact(frozen.Flags, frozen.MayBeFrozen ? syntax : null);
                Set(step, id, after, unfreezing: (after.Flags & FreezeFlags.NoneFrozen) != 0 && before.MayBeFrozen, syntax);
            }
        }

        private static void Set(ModeStep step, int id, FreezeFact fact, bool unfreezing, SyntaxNode syntax)
        {
            if (unfreezing && step.Flow.Records is { } records)
            {
                records.Unfreezes.Add(new UnfreezeEvent(syntax, id, step.State.Optimizers.Over(id)));
            }

            step.State = step.State.With(freezes: step.State.Freezes.With(id, fact));
        }
    }
}
