using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Iterator methods (a body with <c>yield return</c> or <c>yield break</c>) run their body when they are enumerated,
    /// not where they are called: the grad mode of a call site is the grad mode of the body only where the call's result is
    /// enumerated right there — the collection of a <c>foreach</c> written at the call, or a LINQ call chained on it in the
    /// same expression that enumerates it (<c>Generate(x).ToList()</c>, <c>.First()</c>, <c>.Sum(..)</c>; deferred operators
    /// such as <c>.Take(5)</c> in between). A result that escapes (a local, a return, an argument) is enumerated in a grad
    /// mode nobody can read here.
    /// </summary>
    internal static class IteratorEnumeration
    {
        /// <summary>Whether the body of <paramref name="declaration"/> (a method, local function or accessor) yields.</summary>
        public static bool IsIteratorDeclaration(SyntaxNode declaration)
        {
            SyntaxNode? body = declaration switch
            {
                BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
                LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody,
                _ => null,
            };

            // A yield of a nested local function makes that function the iterator, not this one; lambdas cannot yield.
            return body != null
                   && body.DescendantNodes(n => !(n is LocalFunctionStatementSyntax) && !(n is AnonymousFunctionExpressionSyntax))
                       .Any(n => n is YieldStatementSyntax);
        }

        /// <summary>
        /// Whether the result of <paramref name="call"/> is enumerated where it is called (see the type's summary), so that
        /// the grad mode at the call is the grad mode of the iterator's body. Null model: LINQ calls cannot be bound, and
        /// only a <c>foreach</c> over the call itself counts.
        /// </summary>
        public static bool IsEnumeratedInPlace(SyntaxNode call, SemanticModel? model)
        {
            var node = call;
            while (true)
            {
                var parent = node.Parent;
                while (parent is ParenthesizedExpressionSyntax)
                {
                    node = parent;
                    parent = node.Parent;
                }

                switch (parent)
                {
                    case CommonForEachStatementSyntax loop when loop.Expression == node:
                        return !SwitchesGradForLaterIterations(loop.Statement);
                    case MemberAccessExpressionSyntax access when access.Expression == node
                                                                  && access.Parent is InvocationExpressionSyntax chained && chained.Expression == access:
                        switch (LinqKind(chained, model))
                        {
                            case Linq.Deferred:
                                node = chained;
                                continue;
                            case Linq.Enumerates:
                                return true;
                            default:
                                return false;
                        }

                    default:
                        return false;
                }
            }
        }

        private enum Linq
        {
            None,
            Deferred,
            Enumerates,
        }

        // System.Linq.Enumerable's methods: those that return a sequence are deferred (Take, Where, Select …), every other
        // one enumerates its source before it returns (ToList, ToArray, First, Count, Sum, Last, Any …).
        private static Linq LinqKind(InvocationExpressionSyntax call, SemanticModel? model)
        {
            if (model is null || !(model.GetSymbolInfo(call).Symbol is IMethodSymbol method)
                || method.ContainingType is not { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
            {
                return Linq.None;
            }

            var returned = method.ReturnType.OriginalDefinition;
            return returned.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                   || returned.Name == "IOrderedEnumerable"
                ? Linq.Deferred
                : Linq.Enumerates;
        }

        /// <summary>
        /// Whether the body of a <c>foreach</c> may leave a grad mode switched for the iterator's next step: a grad switch
        /// called outside a <c>using</c> (a <c>using</c> in the body is disposed before the next <c>MoveNext</c>).
        /// </summary>
        private static bool SwitchesGradForLaterIterations(StatementSyntax body)
            => body.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(call =>
                GradSwitches.IsName(InvokedNames.Of(call))
                && !(call.Parent is UsingStatementSyntax
                     || call.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } } } }));
    }
}
