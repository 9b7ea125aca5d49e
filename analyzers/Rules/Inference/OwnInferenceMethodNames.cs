using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Options;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// The names of the instance methods of this compilation that are named like inference and run a module on
    /// <c>this</c> (<c>call(x)</c>, <c>this.forward(x)</c>, <c>_blocks.call(x)</c>), read once per compilation from the text
    /// index of <c>call</c>/<c>forward</c> calls: the cheap no of TORCH001's check of a module's own inference methods
    /// (most compilations have none, and then no block is walked for them). A name here still has to bind to such a
    /// method of a module class (<see cref="InferenceEntryPoints.RunsItsOwnModule"/>).
    /// </summary>
    internal static class OwnInferenceMethodNames
    {
        private static readonly ConditionalWeakTable<Compilation, Box> Cache = new ConditionalWeakTable<Compilation, Box>();

        public static ImmutableHashSet<string> Of(Compilation compilation, AnalyzerOptions options, ModeFlowEngine engine)
            => Cache.GetValue(compilation, c => new Box(Find(c, options, engine))).Names;

        private static ImmutableHashSet<string> Find(Compilation compilation, AnalyzerOptions options, ModeFlowEngine engine)
        {
            var names = ImmutableHashSet.CreateBuilder<string>(System.StringComparer.Ordinal);
            var asked = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
            foreach (var word in new[] { "call", "forward" })
            {
                foreach (var call in engine.CallsWritten(word))
                {
                    if (call is InvocationExpressionSyntax invocation && IsOnThisSyntactically(invocation.Expression)
                        && call.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } method
                        && !method.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword)
                        && asked.Add(method.Identifier.ValueText)
                        && InferenceMethodNames.NameMatches(options, method.SyntaxTree, method.Identifier.ValueText)
                        && IsMethodOfAModuleClass(compilation, method.Identifier.ValueText, engine))
                    {
                        names.Add(method.Identifier.ValueText);
                    }
                }
            }

            return names.ToImmutable();
        }

        // A predictor class's Predict runs a module held in a field too: only a method of a module class counts. The
        // declarations are read without binding any body.
        private static bool IsMethodOfAModuleClass(Compilation compilation, string name, ModeFlowEngine engine)
        {
            foreach (var symbol in compilation.GetSymbolsWithName(name, SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol { IsStatic: false } method && engine.Symbols.IsModule(method.ContainingType))
                {
                    return true;
                }
            }

            return false;
        }

        // The shapes InferenceEntryPoints.RunsItsOwnModule accepts, before any binding.
        private static bool IsOnThisSyntactically(ExpressionSyntax callee) => callee switch
        {
            IdentifierNameSyntax _ => true,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } => true,
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax _ } => true,
            MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } } => true,
            _ => false,
        };

        private sealed class Box
        {
            public Box(ImmutableHashSet<string> names) => Names = names;

            public ImmutableHashSet<string> Names { get; }
        }
    }
}
