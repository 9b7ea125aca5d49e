using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>The grad mode a grad-mode switch call puts in force.</summary>
    internal static class GradSwitches
    {
        /// <summary>
        /// The names of TorchSharp's grad-mode switches (<c>torch.no_grad()</c>, <c>enable_grad(..)</c>,
        /// <c>set_grad_enabled(..)</c>, <c>inference_mode(..)</c>), for the syntax-only questions asked before any binding.
        /// </summary>
        public static System.Collections.Immutable.ImmutableArray<string> Names => TorchNames.GradSwitches;

        /// <summary>Whether <paramref name="name"/> is one of <see cref="Names"/>.</summary>
        public static bool IsName(string? name) => name != null && Names.Contains(name);

        public static GradFlags FlagsOf(IInvocationOperation invocation, GradScopeFactory factory)
            => FlagsOf(factory, invocation.ConstantBoolArgument());

        /// <summary>The grad mode of <paramref name="factory"/> called with <paramref name="argument"/> (null: not known).</summary>
        public static GradFlags FlagsOf(GradScopeFactory factory, bool? argument)
        {
            return factory switch
            {
                GradScopeFactory.NoGrad => GradFlags.Disabled,
                GradScopeFactory.InferenceMode => argument == true ? GradFlags.Inference : GradFlags.Unknown,
                _ => argument switch { true => GradFlags.Enabled, false => GradFlags.Disabled, _ => GradFlags.Unknown },
            };
        }
    }
}
