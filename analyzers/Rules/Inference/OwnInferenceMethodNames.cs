using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// The names of the instance methods of this compilation's module classes that are named like inference and run a
    /// module on <c>this</c> (<c>call(x)</c>, <c>this.forward(x)</c>, <c>_blocks.call(x)</c>), read once per compilation from
    /// the declarations down: the members whose names could match the inference heuristic in some file (the compiler's
    /// declaration table, no body bound), of those the instance methods of module classes, and of those the ones whose
    /// text calls <c>call</c> or <c>forward</c> on <c>this</c> or a member. The cheap no of TORCH001's check of a module's
    /// own inference methods (most compilations have none, and then no block is walked for them); a call of such a name
    /// still has to bind to a method that runs its own module (<see cref="InferenceEntryPoints.RunsItsOwnModule"/>).
    /// </summary>
    internal static class OwnInferenceMethodNames
    {
        private static readonly ConditionalWeakTable<Compilation, Box> Cache = new ConditionalWeakTable<Compilation, Box>();

        public static ImmutableHashSet<string> Of(Compilation compilation, AnalyzerOptions options, ModeFlowEngine engine)
            => Cache.GetValue(compilation, c => new Box(Find(c, options, engine))).Names;

        private static ImmutableHashSet<string> Find(Compilation compilation, AnalyzerOptions options, ModeFlowEngine engine)
        {
            var prefixes = InferenceMethodNames.PrefixesOfEveryFile(options, compilation);
            var names = ImmutableHashSet.CreateBuilder<string>(System.StringComparer.Ordinal);
            if (prefixes.IsEmpty)
            {
                return names.ToImmutable();
            }

            foreach (var symbol in compilation.GetSymbolsWithName(name => InferenceMethodNames.NameMatchesAny(prefixes, name), SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol { IsStatic: false, MethodKind: MethodKind.Ordinary } method
                    && !names.Contains(method.Name)
                    && engine.Symbols.IsModule(method.ContainingType)
                    && RunsAModuleOnThis(method, options))
                {
                    names.Add(method.Name);
                }
            }

            return names.ToImmutable();
        }

        // A declaration named like inference in its own file whose text holds a call of call/forward in one of the shapes
        // InferenceEntryPoints.RunsItsOwnModule accepts; the text is searched before any node of the body is visited.
        private static bool RunsAModuleOnThis(IMethodSymbol method, AnalyzerOptions options)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var tree = reference.SyntaxTree;
                if (!InferenceMethodNames.NameMatches(options, tree, method.Name))
                {
                    continue;
                }

                var text = Flow.SourceWords.Of(tree);
                var span = reference.Span;
                if (!Flow.EscapedNames.ContainsWord(text, TorchNames.Call, span.Start, span.End) && !Flow.EscapedNames.ContainsWord(text, TorchNames.Forward, span.Start, span.End))
                {
                    continue;
                }

                foreach (var node in reference.GetSyntax().DescendantNodes())
                {
                    if (node is InvocationExpressionSyntax invocation && Flow.InvokedNames.Of(invocation) is TorchNames.Call or TorchNames.Forward
                        && IsOnThisSyntactically(invocation.Expression))
                    {
                        return true;
                    }
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
