using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>
    /// Which object creations <see cref="RootUses"/> must bind: those whose place in the syntax could lead to a root use.
    /// Binding a creation binds the whole member around it (a module's constructor, usually), ahead of the driver and on
    /// our clock; in a model library nearly every creation of a module class is <c>this.block = new Block(..)</c> in a
    /// parent's constructor, which can never be a root. Each "no" here is one that <see cref="RootUses"/> would reach
    /// after binding (docs/rules/TORCH008.md, "When it stays silent"); with <c>exhaustive_flow</c> nothing is skipped.
    /// </summary>
    internal static class RootCreationShapes
    {
        /// <summary>
        /// False when the value of <paramref name="creation"/> provably goes nowhere a root use can follow: into a member
        /// call that is not a root member, into an instance field or property of a module class (the enclosing class,
        /// when <paramref name="isModuleClass"/> says it is one), into the module's own <c>register_module</c> (when no
        /// method of this compilation bears that name), or anywhere else <see cref="RootUses"/> does not follow.
        /// </summary>
        public static bool MayLeadToRoot(
            BaseObjectCreationExpressionSyntax creation,
            Func<string, bool> isRootMember,
            Func<TypeDeclarationSyntax, bool> isModuleClass,
            bool registerModuleIsDeclaredHere)
        {
            var node = RootUses.Outer(creation);
            switch (node.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == node:
                    return access.Parent is InvocationExpressionSyntax && isRootMember(access.Name.Identifier.ValueText);
                case EqualsValueClauseSyntax _:
                case LambdaExpressionSyntax _:
                    return true;
                case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == node:
                    return !IsInstanceMemberOfModuleClass(assignment.Left, isModuleClass);
                case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }:
                    return registerModuleIsDeclaredHere || !IsOwnRegistration(invocation.Expression);
                case ArgumentSyntax _:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>
        /// <c>this.x</c>, or a simple name that no local, parameter or variable of the enclosing members declares, inside a
        /// class that is a module: an instance member of that class or its bases (also modules) — a static one is no
        /// destination either. A simple name is read only when the enclosing class is a module.
        /// </summary>
        private static bool IsInstanceMemberOfModuleClass(ExpressionSyntax target, Func<TypeDeclarationSyntax, bool> isModuleClass)
        {
            string name;
            switch (target)
            {
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member }:
                    name = member.Identifier.ValueText;
                    break;
                case IdentifierNameSyntax identifier:
                    name = identifier.Identifier.ValueText;
                    break;
                default:
                    return false;
            }

            SyntaxNode? type = target.Parent;
            while (type != null && !(type is TypeDeclarationSyntax))
            {
                type = type.Parent;
            }

            if (!(type is TypeDeclarationSyntax declaration) || !isModuleClass(declaration))
            {
                return false;
            }

            return target is MemberAccessExpressionSyntax || !DeclaresVariable(declaration, target, name);
        }

        /// <summary>
        /// Whether a local, parameter, pattern or loop variable named <paramref name="name"/> may be in scope at
        /// <paramref name="use"/>: any such declaration in the enclosing type member, or a primary-constructor parameter.
        /// </summary>
        private static bool DeclaresVariable(TypeDeclarationSyntax type, SyntaxNode use, string name)
        {
            if (type.ParameterList is { } primary && primary.Parameters.Any(p => p.Identifier.ValueText == name))
            {
                return true;
            }

            var member = use.Parent;
            while (member != null && !(member.Parent is TypeDeclarationSyntax))
            {
                member = member.Parent;
            }

            if (member is null)
            {
                return true;
            }

            foreach (var token in member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name && DeclaresHere(token.Parent))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaresHere(SyntaxNode? node)
            => node is VariableDeclaratorSyntax || node is ParameterSyntax || node is SingleVariableDesignationSyntax
               || node is ForEachStatementSyntax || node is CatchDeclarationSyntax || node is LocalFunctionStatementSyntax
               || node is FromClauseSyntax || node is LetClauseSyntax || node is JoinClauseSyntax || node is QueryContinuationSyntax;

        // register_module(..) or this.register_module(..): the module registers the child. (On another receiver, a
        // Sequential's register_module would leave the child uncompleted: RootUses binds that one.)
        private static bool IsOwnRegistration(ExpressionSyntax callee) => callee switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == TorchNames.RegisterModule,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } member => member.Name.Identifier.ValueText == TorchNames.RegisterModule,
            _ => false,
        };
    }
}
