using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// Picks a local name that cannot clash. C# forbids a local that has the same name as another local or
    /// parameter of the enclosing member, in any nested scope (CS0128, CS0136), so every name declared in the
    /// member — or, for top-level statements, in the file — is taken. Works on syntax alone so that Fix All
    /// can apply many fixes to one tree without recompiling between them.
    /// </summary>
    internal static class FreeNames
    {
        public static string Pick(SyntaxNode position, string preferred)
        {
            var scope = (SyntaxNode?)position.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => !(m is GlobalStatementSyntax))
                        ?? position.SyntaxTree.GetRoot();
            var taken = new HashSet<string>(DeclaredNames(scope));
            if (!taken.Contains(preferred))
            {
                return preferred;
            }

            for (var suffix = 2; ; suffix++)
            {
                var candidate = preferred + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!taken.Contains(candidate))
                {
                    return candidate;
                }
            }
        }

        private static IEnumerable<string> DeclaredNames(SyntaxNode scope)
        {
            foreach (var node in scope.DescendantNodesAndSelf())
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax declarator:
                        yield return declarator.Identifier.ValueText;
                        break;
                    case SingleVariableDesignationSyntax designation:
                        yield return designation.Identifier.ValueText;
                        break;
                    case ParameterSyntax parameter:
                        yield return parameter.Identifier.ValueText;
                        break;
                    case ForEachStatementSyntax forEach:
                        yield return forEach.Identifier.ValueText;
                        break;
                    case CatchDeclarationSyntax catchDeclaration:
                        yield return catchDeclaration.Identifier.ValueText;
                        break;
                    case LocalFunctionStatementSyntax localFunction:
                        yield return localFunction.Identifier.ValueText;
                        break;
                    case FromClauseSyntax from:
                        yield return from.Identifier.ValueText;
                        break;
                    case LetClauseSyntax let:
                        yield return let.Identifier.ValueText;
                        break;
                }
            }
        }
    }
}
