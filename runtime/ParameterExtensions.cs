using System;
using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// Trainable-parameter lists for optimizers and freeze/unfreeze helpers:
    /// <c>optim.Adam(model.trainable_parameters())</c>, <c>model.freeze(name =&gt; !name.StartsWith("head"))</c>.
    /// </summary>
    /// <remarks>
    /// TorchSharp optimizers allocate state eagerly for every parameter they are given and re-enumerate the sequence
    /// they were given at every <c>step()</c>. The lists returned here are materialized: an optimizer built over one
    /// holds exactly the parameters that were trainable when it was built. Parameters unfrozen later must be added
    /// with <c>add_param_group(..)</c> or a new optimizer.
    /// </remarks>
    public static class ParameterExtensions
    {
        /// <summary>
        /// The parameters of <paramref name="module"/> (and, by default, of all its submodules) whose
        /// <c>requires_grad</c> is <c>true</c>, in <c>parameters()</c> order, as a new list.
        /// </summary>
        /// <param name="module">The module whose parameters are listed.</param>
        /// <param name="recurse"><c>true</c> (default): submodules' parameters too, as <c>parameters(recurse)</c>.</param>
        /// <returns>A materialized list; later freezing or unfreezing does not change it.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
        public static List<Parameter> trainable_parameters(this nn.Module module, bool recurse = true)
        {
            ArgumentNullException.ThrowIfNull(module);
            var result = new List<Parameter>();
            foreach (Parameter parameter in module.parameters(recurse))
            {
                if (parameter.requires_grad)
                {
                    result.Add(parameter);
                }
            }

            return result;
        }

        /// <summary>
        /// The named parameters of <paramref name="module"/> whose <c>requires_grad</c> is <c>true</c>, in
        /// <c>named_parameters()</c> order, as a new list; for the optimizer overloads that take names.
        /// </summary>
        /// <param name="module">The module whose parameters are listed.</param>
        /// <param name="recurse"><c>true</c> (default): submodules' parameters too, with dotted names.</param>
        /// <returns>A materialized list of (name, parameter) pairs.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
        public static List<(string name, Parameter parameter)> named_trainable_parameters(this nn.Module module, bool recurse = true)
        {
            ArgumentNullException.ThrowIfNull(module);
            var result = new List<(string name, Parameter parameter)>();
            foreach ((string name, Parameter parameter) in module.named_parameters(recurse))
            {
                if (parameter.requires_grad)
                {
                    result.Add((name, parameter));
                }
            }

            return result;
        }

        /// <summary>
        /// Sets <c>requires_grad = false</c> on every parameter whose <c>named_parameters()</c> name matches
        /// <paramref name="predicate"/> (all parameters when it is null).
        /// </summary>
        /// <param name="module">The module whose parameters are frozen.</param>
        /// <param name="predicate">Selects parameters by dotted name, e.g. <c>name =&gt; !name.StartsWith("head.")</c>; null selects all.</param>
        /// <returns>The names of the parameters this call changed (those already frozen are not listed), in order.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
        public static IReadOnlyList<string> freeze(this nn.Module module, Func<string, bool>? predicate = null)
            => SetRequiresGrad(module, predicate, requiresGrad: false);

        /// <summary>
        /// Sets <c>requires_grad = true</c> on every parameter whose <c>named_parameters()</c> name matches
        /// <paramref name="predicate"/> (all parameters when it is null).
        /// </summary>
        /// <param name="module">The module whose parameters are unfrozen.</param>
        /// <param name="predicate">Selects parameters by dotted name; null selects all.</param>
        /// <returns>The names of the parameters this call changed (those already trainable are not listed), in order.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
        /// <remarks>
        /// An optimizer built before this call does not train the parameters it unfreezes (TORCH004): add them with
        /// <c>optimizer.add_param_group(..)</c> or build a new optimizer over <see cref="trainable_parameters"/>.
        /// </remarks>
        public static IReadOnlyList<string> unfreeze(this nn.Module module, Func<string, bool>? predicate = null)
            => SetRequiresGrad(module, predicate, requiresGrad: true);

        private static IReadOnlyList<string> SetRequiresGrad(nn.Module module, Func<string, bool>? predicate, bool requiresGrad)
        {
            ArgumentNullException.ThrowIfNull(module);
            var changed = new List<string>();
            foreach ((string name, Parameter parameter) in module.named_parameters())
            {
                if (parameter.requires_grad != requiresGrad && (predicate is null || predicate(name)))
                {
                    parameter.requires_grad = requiresGrad;
                    changed.Add(name);
                }
            }

            return changed.AsReadOnly();
        }
    }
}
