using System.Collections.Generic;
using TorchSharp.Analyzers.Flow.Modes.Domains;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The lattice element of the mode flow: the product of its domains (docs/architecture.md, "Flow state domains") —
    /// module values and their modes, the grad mode with its open scopes, which parameters of each value may be frozen,
    /// and which optimizers were built over trainable parameters only. Each domain is an immutable struct with its own
    /// join and equality; the product holds them by value, so changing one domain allocates only this object and the
    /// unchanged domains share their dictionaries. Immutable.
    /// </summary>
    internal sealed class ModeState
    {
        public static ModeState Empty(GradFact grad)
            => new ModeState(ModuleModeDomain.Empty, GradModeDomain.Entering(grad), FreezeDomain.Empty, OptimizerDomain.Empty);

        public ModeState(ModuleModeDomain modules, GradModeDomain grad, FreezeDomain freezes, OptimizerDomain optimizers)
        {
            Modules = modules;
            Grad = grad;
            Freezes = freezes;
            Optimizers = optimizers;
        }

        /// <summary>Which value each storage holds, and each value's mode.</summary>
        public ModuleModeDomain Modules { get; }

        /// <summary>The grad mode in force and the open grad-mode scopes.</summary>
        public GradModeDomain Grad { get; }

        /// <summary>Which parameters of each module value may be frozen.</summary>
        public FreezeDomain Freezes { get; }

        /// <summary>Optimizers built over the trainable parameters of a module only, by the storage that holds them.</summary>
        public OptimizerDomain Optimizers { get; }

        public ModeState With(
            ModuleModeDomain? modules = null,
            GradModeDomain? grad = null,
            FreezeDomain? freezes = null,
            OptimizerDomain? optimizers = null)
            => new ModeState(modules ?? Modules, grad ?? Grad, freezes ?? Freezes, optimizers ?? Optimizers);

        /// <summary>
        /// The join of two states that meet: each domain joined on its own, except that the freeze domain also sees the
        /// joined module values (a merged value may be frozen as either value was).
        /// </summary>
        public static ModeState Join(ModeState left, ModeState right, ModuleValueIds ids)
        {
            // Most merges meet equal states (branches that touch no module): the join of equals is either.
            if (Comparer.Equals(left, right))
            {
                return left;
            }

            var storages = ModuleModeDomain.StoragesOf(left.Modules, right.Modules);
            var modules = ModuleModeDomain.Join(left.Modules, right.Modules, storages, ids);
            var freezes = FreezeDomain.Join(left.Freezes, right.Freezes, left.Modules, right.Modules, modules, storages, ids);
            return new ModeState(modules, GradModeDomain.Join(left.Grad, right.Grad), freezes, OptimizerDomain.Join(left.Optimizers, right.Optimizers));
        }

        /// <summary>Value equality, for the fixpoint test and for memoising finally regions.</summary>
        public static IEqualityComparer<ModeState> Comparer { get; } = new StateComparer();

        private sealed class StateComparer : IEqualityComparer<ModeState>
        {
            public bool Equals(ModeState? x, ModeState? y)
            {
                if (ReferenceEquals(x, y))
                {
                    return true;
                }

                // The grad mode first: the cheapest test that tells most states apart.
                return x != null && y != null
                       && x.Grad.Current.Equals(y.Grad.Current)
                       && x.Modules.Equals(y.Modules)
                       && x.Grad.Equals(y.Grad)
                       && x.Freezes.Equals(y.Freezes)
                       && x.Optimizers.Equals(y.Optimizers);
            }

            public int GetHashCode(ModeState obj)
                => obj.Modules.GetHashCode() ^ obj.Grad.GetHashCode() ^ obj.Freezes.GetHashCode() ^ obj.Optimizers.GetHashCode();
        }
    }
}
