using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>How messages name a grad-mode switch and say what it leaves switched.</summary>
    internal static class GradScopeWording
    {
        private const int MaxCallTextLength = 60;

        /// <summary>The call as written when it is short and on one line, otherwise <c>torch.name(…)</c>.</summary>
        public static string CallText(IInvocationOperation invocation)
        {
            var text = invocation.Syntax.ToString();
            return text.Length <= MaxCallTextLength && text.IndexOf('\n') < 0
                ? text
                : "torch." + invocation.TargetMethod.Name + "(…)";
        }

        /// <summary>
        /// What stays switched for the rest of the thread when the scope is never disposed (docs/architecture.md,
        /// "Measured facts": a discarded no_grad or inference_mode scope makes the next backward() throw).
        /// </summary>
        public static string WhatStaysSwitched(IInvocationOperation invocation, GradScopeFactory factory)
        {
            if (factory == GradScopeFactory.NoGrad)
            {
                return "autograd stays off and backward() throws";
            }

            var enabled = invocation.ConstantBoolArgument();
            if (factory == GradScopeFactory.InferenceMode)
            {
                return enabled switch
                {
                    true => "the thread stays in inference mode and backward() throws",
                    false => "inference mode stays off where the caller turned it on",
                    _ => "the inference mode it set stays in force",
                };
            }

            return enabled switch
            {
                true => "autograd stays on where the caller turned it off",
                false => "autograd stays off and backward() throws",
                _ => "the grad mode it set stays in force",
            };
        }
    }
}
