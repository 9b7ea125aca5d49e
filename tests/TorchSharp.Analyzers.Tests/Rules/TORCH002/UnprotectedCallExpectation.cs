using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// What TORCH002 says at a call that runs a helper with autograd on while another call runs it inside a grad-disabled
    /// scope (docs/rules/TORCH002.md, "Where it reports"): located at the call, with the helper's pass and the protected
    /// call as additional locations.
    /// </summary>
    internal static class UnprotectedCallExpectation
    {
        /// <param name="call">The markup location of the unprotected call.</param>
        /// <param name="pass">The markup location of the helper's forward pass.</param>
        /// <param name="protectedCall">The markup location of the call inside the grad-disabled scope.</param>
        /// <param name="helper">The helper as the message names it: <c>Run()</c>, <c>new Scorer()</c>.</param>
        /// <param name="module">The receiver of the pass as written.</param>
        /// <param name="passLine">Where the pass is: <c>line 38</c>, or <c>line 17 of Test0.cs</c> from another file.</param>
        /// <param name="why">Why the pass is inference.</param>
        /// <param name="protectedLine">Where the protected call is, worded as <paramref name="passLine"/>.</param>
        public static DiagnosticResult At(int call, int pass, int protectedCall, string helper, string module, string passLine, string why, string protectedLine)
            => new DiagnosticResult(DiagnosticIds.MissingNoGrad, DiagnosticSeverity.Warning)
                .WithLocation(call).WithLocation(pass).WithLocation(protectedCall)
                .WithArguments(helper, "through '" + module + "' at " + passLine + ": " + why + "; the call at " + protectedLine + " runs it inside a grad-disabled scope, this call does not");
    }
}
