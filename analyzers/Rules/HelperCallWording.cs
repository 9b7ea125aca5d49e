using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// How a message names the helper call that left a module in a mode: by the method it calls (<c>'EstimateLoss()'</c>,
    /// also for <c>_sampler.Sample(x)</c>), so that the user knows which helper to fix; "the call" when the syntax names no
    /// method (a creation, a delegate invocation).
    /// </summary>
    internal static class HelperCallWording
    {
        /// <summary><c>'Name()'</c> for the method <paramref name="call"/> invokes, or <c>the call</c>.</summary>
        public static string Of(SyntaxNode call)
        {
            var name = call is InvocationExpressionSyntax invocation ? Flow.InvokedNames.Of(invocation) : null;
            return name is null ? "the call" : "'" + name + "()'";
        }
    }
}
