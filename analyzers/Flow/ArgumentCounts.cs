using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>Whether a call's written argument count can match a method, read from the syntax before anything is bound.</summary>
    internal static class ArgumentCounts
    {
        public static bool Fit(SyntaxNode call, IMethodSymbol method)
        {
            var written = call switch
            {
                InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments.Count,
                BaseObjectCreationExpressionSyntax creation => creation.ArgumentList?.Arguments.Count ?? 0,
                _ => -1,
            };
            if (written < 0)
            {
                return true;
            }

            var required = 0;
            var unbounded = false;
            foreach (var parameter in method.Parameters)
            {
                if (parameter.IsParams)
                {
                    unbounded = true;
                }
                else if (!parameter.IsOptional)
                {
                    required++;
                }
            }

            // An extension method may be called in its reduced form, without the receiver among the arguments.
            var slack = method.IsExtensionMethod ? 1 : 0;
            return written >= required - slack && (unbounded || written <= method.Parameters.Length);
        }
    }
}
