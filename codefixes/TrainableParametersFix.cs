using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.CodeFixes.Common;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// The syntax rewrite behind the TORCH003 fix: in the optimizer's parameters argument, <c>m.parameters()</c> becomes
    /// <c>m.parameters().Where(p => p.requires_grad).ToList()</c> and <c>m.named_parameters()</c> becomes
    /// <c>m.named_parameters().Where(np => np.parameter.requires_grad).ToList()</c>. Materialized on purpose: TorchSharp
    /// optimizers re-enumerate a lazy sequence at every step(), and a later unfreeze then throws KeyNotFoundException.
    /// <c>using System.Linq;</c> is added when the file (or a global using) does not have it.
    /// </summary>
    internal static class TrainableParametersFix
    {
        /// <summary>The root with the unfiltered parameters of <paramref name="creation"/>'s first argument filtered; null when there are none.</summary>
        public static SyntaxNode? Apply(SyntaxNode root, SyntaxNode creation)
        {
            var arguments = creation switch
            {
                InvocationExpressionSyntax invocation => invocation.ArgumentList,
                BaseObjectCreationExpressionSyntax objectCreation => objectCreation.ArgumentList,
                _ => null,
            };
            if (arguments is null || arguments.Arguments.Count == 0)
            {
                return null;
            }

            // Every unfiltered parameters() call of the argument: filtering a module that has nothing frozen changes nothing.
            var calls = Unfiltered(arguments.Arguments[0].Expression).ToList();
            return calls.Count == 0 ? null : root.ReplaceNodes(calls, (original, _) => Filtered(original));
        }

        /// <summary><paramref name="root"/> with <c>using System.Linq;</c> when it uses Where/ToList and neither it nor a global using imports it.</summary>
        public static SyntaxNode WithLinqImport(SyntaxNode root, IEnumerable<SyntaxTree> compilationTrees)
        {
            if (!(root is CompilationUnitSyntax unit) || HasLinqUsing(root) || HasGlobalLinq(compilationTrees))
            {
                return root;
            }

            var directive = UsingDirective(ParseName("System.Linq")).WithTrailingTrivia(StatementTrivia.EndOfLine(unit));
            var usings = unit.Usings;
            var index = 0;
            while (index < usings.Count && string.CompareOrdinal(usings[index].Name?.ToString(), "System.Linq") < 0 && usings[index].Name?.ToString().StartsWith("System", System.StringComparison.Ordinal) == true)
            {
                index++;
            }

            return unit.WithUsings(usings.Insert(index, directive));
        }

        private static bool HasGlobalLinq(IEnumerable<SyntaxTree> trees)
            => trees.Any(t => t.GetRoot() is CompilationUnitSyntax unit
                              && unit.Usings.Any(u => !u.GlobalKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == "System.Linq" && u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None)));

        private static IEnumerable<InvocationExpressionSyntax> Unfiltered(ExpressionSyntax argument)
            => argument.DescendantNodesAndSelf()
                .OfType<InvocationExpressionSyntax>()
                .Where(call => call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: TorchNames.Parameters or TorchNames.NamedParameters }
                               && call.ArgumentList.Arguments.Count == 0
                               && !(call.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Where" }));

        private static ExpressionSyntax Filtered(InvocationExpressionSyntax call)
        {
            var named = ((MemberAccessExpressionSyntax)call.Expression).Name.Identifier.ValueText == TorchNames.NamedParameters;
            var name = FreeNames.PickForLambdaParameter(call, named ? "np" : "p");
            var body = named ? name + ".parameter.requires_grad" : name + ".requires_grad";
            var text = call.WithoutTrivia().ToFullString() + ".Where(" + name + " => " + body + ").ToList()";
            return ParseExpression(text).WithTriviaFrom(call);
        }

        private static bool HasLinqUsing(SyntaxNode root)
            => root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Name?.ToString() == "System.Linq" && u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None));
    }
}
