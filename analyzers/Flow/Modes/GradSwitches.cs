using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>The grad mode a grad-mode switch call puts in force.</summary>
    internal static class GradSwitches
    {
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
