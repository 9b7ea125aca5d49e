using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The transfer of the module-mode domain beyond aliasing (which <see cref="ModeStep"/> follows as it evaluates
    /// operations): creations, <c>eval()</c>/<c>train(..)</c>, the effect of a call on the modules it receives and on
    /// the module fields its summary changes, and null edges.
    /// </summary>
    internal static class ModuleModeTransfer
    {
        /// <summary>A module created in the flow (<paramref name="id"/> names it): TorchSharp modules start in training mode.</summary>
        public static void OnCreation(ModeStep step, int id, IOperation creation)
            => step.State = step.State.With(
                modules: step.State.Modules.WithMode(id, ModeFact.Train(new TrainOrigin(creation.Syntax, TrainOriginKind.Created, underDisabledGrad: false))),
                freezes: step.State.Freezes.With(id, FreezeFact.Trainable));

        /// <summary>An <c>eval()</c> or <c>train(..)</c> on <paramref name="receiver"/>, when it is a value the flow holds.</summary>
        public static void SetMode(ModeStep step, IOperation? receiver, ModeFact mode)
        {
            if (receiver != null && step.TryValue(receiver, out var id))
            {
                step.State = step.State.With(modules: step.State.Modules.WithMode(id, mode));
            }
        }

        /// <summary>
        /// Records that a <c>train()</c> was followed by training work — a backward or step, or handing the module
        /// (<paramref name="only"/>; null: every module) to a method that may train it. A <c>train()</c> with no such work
        /// before a grad-disabled region was called for that region on purpose (a GAN's generator, Monte-Carlo dropout).
        /// </summary>
        public static void MarkTrainCallsUsed(ModeStep step, int? only)
        {
            foreach (var pair in step.State.Modules.Modes)
            {
                if ((only is null || pair.Key == only) && pair.Value.TrainOrigin is { Kind: TrainOriginKind.TrainCall, FollowedByWork: false } origin)
                {
                    var used = new TrainOrigin(origin.Node, origin.Kind, origin.UnderDisabledGrad, followedByWork: true);
                    step.State = step.State.With(modules: step.State.Modules.WithMode(pair.Key, new ModeFact(pair.Value.Flags, used, pair.Value.EntrySymbol, pair.Value.EvalOrigin)));
                }
            }
        }

        /// <summary>
        /// The module value <paramref name="id"/> handed to <paramref name="callee"/> as argument <paramref name="ordinal"/>
        /// (-1: the receiver): the mode the callee's summary leaves it in; Unknown for code that is not ours.
        /// </summary>
        public static void OnCall(ModeStep step, IMethodSymbol callee, bool isOurs, int ordinal, int id, SyntaxNode syntax)
        {
            var effect = isOurs ? step.Flow.Summaries.EffectOn(callee.OriginalDefinition, ordinal, step.Flow.Depth + 1) : ModeEffect.Unknown;
            switch (effect)
            {
                case ModeEffect.Eval:
                    step.State = step.State.With(modules: step.State.Modules.WithMode(id, ModeFact.Eval(syntax)));
                    break;
                case ModeEffect.Train:
                    step.State = step.State.With(modules: step.State.Modules.WithMode(id, ModeFact.Train(new TrainOrigin(syntax, TrainOriginKind.Helper, step.State.Grad.Current.IsOff))));
                    break;
                case ModeEffect.Unknown:
                    step.State = step.State.With(modules: step.State.Modules.WithMode(id, ModeFact.Unknown));
                    break;
            }
        }

        /// <summary>
        /// A helper of this compilation that leaves module fields in Eval or Train mode: its own fields when it runs on
        /// <c>this</c>, static fields whatever its receiver, and the fields of a helper object held in a field of
        /// <c>this</c> when they are proved to hold a module field of <c>this</c> (<c>_sampler.Sample()</c>).
        /// </summary>
        public static void OnFieldEffects(ModeStep step, IMethodSymbol callee, SyntaxNode syntax, IOperation? instance)
        {
            var flow = step.Flow;
            var effects = flow.Summaries.FieldEffectsOf(callee.OriginalDefinition, flow.Depth + 1);
            if (effects.IsEmpty)
            {
                return;
            }

            var receiver = instance?.SkipConversions();
            var onThis = receiver is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
            var holder = !onThis && receiver != null && Storage.Referenced(receiver) is { Symbol: { } held } && (held is IFieldSymbol || held is IPropertySymbol) && !held.IsStatic
                ? held
                : null;
            foreach (var effect in effects)
            {
                var target = effect.Field.IsStatic || onThis ? effect.Field
                    : holder != null ? flow.Summaries.ModuleFieldHeldBy(holder, effect.Field)
                    : null;
                if (target is null)
                {
                    continue;
                }

                var id = flow.Ids.ValueIn(step.State.Modules, Storage.Of(target));
                if (id != ModuleValueIds.NoValue)
                {
                    step.State = step.State.With(modules: step.State.Modules.WithMode(id, effect.After(flow.Ids.ModeIn(step.State.Modules, id), syntax, step.State.Grad.Current.IsOff)));
                }
            }
        }

        /// <summary>
        /// On the edge where a module reference is null (<c>model?.eval()</c>, <c>if (model != null)</c>), there is no module
        /// whose mode could matter: its value has no mode there, the identity of the join. Null when the edge tests none.
        /// </summary>
        public static ModeState? OnNullEdge(BasicBlock source, ControlFlowBranch branch, ModeState state)
        {
            foreach (var held in state.Modules.Values)
            {
                if (NullTests.IsNullOnEdge(source, branch, operand => Storage.Referenced(operand.SkipConversions()) is Storage tested && tested.Equals(held.Key)) == true)
                {
                    return state.With(modules: state.Modules.WithMode(held.Value, ModeFact.Absent));
                }
            }

            return null;
        }
    }
}
