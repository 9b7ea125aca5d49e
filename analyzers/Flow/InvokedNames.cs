using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The name a call is written with, read from syntax alone: the text tiers ask it of every invocation they look at
    /// (helper summaries, grad switches, inference entry points, the messages that name a helper).
    /// </summary>
    internal static class InvokedNames
    {
        /// <summary>
        /// The rightmost name of what <paramref name="call"/> invokes: <c>Run</c> for <c>Run(..)</c>, <c>Run&lt;T&gt;(..)</c>,
        /// <c>x.Run(..)</c>, <c>x?.Run(..)</c>, <c>A.B.Run(..)</c>; null for a delegate expression (<c>handlers[0](..)</c>).
        /// </summary>
        public static string? Of(InvocationExpressionSyntax call) => RightmostName(call.Expression);

        /// <summary>The rightmost simple name of <paramref name="expression"/>, or null when it ends in no name.</summary>
        public static string? RightmostName(ExpressionSyntax expression)
            => expression switch
            {
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                _ => null,
            };
    }
}
