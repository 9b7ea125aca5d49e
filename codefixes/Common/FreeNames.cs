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
            return FirstFree(new HashSet<string>(DeclaredNames(scope)), preferred);
        }

        /// <summary>
        /// A name for the parameter of a new lambda at <paramref name="position"/>: it clashes only with names whose scope
        /// encloses the position (the locals of every enclosing block — their scope is the whole block —, the parameters
        /// and loop, catch and using variables of enclosing statements), not with the <c>p</c> of a finished foreach.
        /// </summary>
        public static string PickForLambdaParameter(SyntaxNode position, string preferred)
        {
            var taken = new HashSet<string>();
            foreach (var ancestor in position.Ancestors())
            {
                foreach (var name in NamesScopedTo(ancestor))
                {
                    taken.Add(name);
                }

                if (ancestor is MemberDeclarationSyntax && !(ancestor is GlobalStatementSyntax))
                {
                    break;
                }
            }

            return FirstFree(taken, preferred);
        }

        private static IEnumerable<string> NamesScopedTo(SyntaxNode scope)
        {
            switch (scope)
            {
                case BlockSyntax block:
                    return block.Statements.SelectMany(DeclaredDirectlyBy);
                case SwitchSectionSyntax section:
                    return section.Statements.SelectMany(DeclaredDirectlyBy);
                case CompilationUnitSyntax unit:
                    return unit.Members.OfType<GlobalStatementSyntax>().SelectMany(g => DeclaredDirectlyBy(g.Statement));
                case ForEachStatementSyntax forEach:
                    return new[] { forEach.Identifier.ValueText };
                case ForEachVariableStatementSyntax forEachVariable:
                    return forEachVariable.Variable.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier.ValueText);
                case ForStatementSyntax { Declaration: { } declaration }:
                    return declaration.Variables.Select(v => v.Identifier.ValueText);
                case UsingStatementSyntax { Declaration: { } declaration }:
                    return declaration.Variables.Select(v => v.Identifier.ValueText);
                case CatchClauseSyntax { Declaration: { } declaration }:
                    return new[] { declaration.Identifier.ValueText };
                case BaseMethodDeclarationSyntax method:
                    return method.ParameterList.Parameters.Select(p => p.Identifier.ValueText);
                case LocalFunctionStatementSyntax localFunction:
                    return localFunction.ParameterList.Parameters.Select(p => p.Identifier.ValueText);
                case ParenthesizedLambdaExpressionSyntax lambda:
                    return lambda.ParameterList.Parameters.Select(p => p.Identifier.ValueText);
                case SimpleLambdaExpressionSyntax lambda:
                    return new[] { lambda.Parameter.Identifier.ValueText };
                case AnonymousMethodExpressionSyntax { ParameterList: { } parameters }:
                    return parameters.Parameters.Select(p => p.Identifier.ValueText);
                case AccessorDeclarationSyntax _:
                    return new[] { "value" };
                default:
                    return Enumerable.Empty<string>();
            }
        }

        /// <summary>Locals a statement declares into its enclosing block: declarations, local functions, pattern and out variables.</summary>
        private static IEnumerable<string> DeclaredDirectlyBy(StatementSyntax statement)
        {
            switch (statement)
            {
                case LocalDeclarationStatementSyntax declaration:
                    return declaration.Declaration.Variables.Select(v => v.Identifier.ValueText)
                        .Concat(Designations(declaration));
                case LocalFunctionStatementSyntax localFunction:
                    return new[] { localFunction.Identifier.ValueText };
                case ExpressionStatementSyntax _:
                case ReturnStatementSyntax _:
                case IfStatementSyntax _:
                    return Designations(statement);
                default:
                    return Enumerable.Empty<string>();
            }
        }

        private static IEnumerable<string> Designations(SyntaxNode node)
            => node.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is BlockSyntax) && !(n is StatementSyntax s && s != node))
                .OfType<SingleVariableDesignationSyntax>()
                .Select(d => d.Identifier.ValueText);

        private static string FirstFree(HashSet<string> taken, string preferred)
        {
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
