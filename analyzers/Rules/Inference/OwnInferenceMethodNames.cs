using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
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
    /// text names <c>call</c> or <c>forward</c> and that run their own module (<see cref="InferenceEntryPoints.RunsItsOwnModule"/>,
    /// read from the declaration, memoized). The cheap no of TORCH001's check of a module's own inference methods (most
    /// compilations have none, and then no block is walked for them); a call of such a name still has to bind to one.
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
                    && RunsAModuleOnThis(method, compilation, options))
                {
                    names.Add(method.Name);
                }
            }

            return names.ToImmutable();
        }

        // Named like inference in the file of a declaration whose text names call or forward (the cheap no before the
        // declaration's syntax is read), and running its own module as the report requires.
        private static bool RunsAModuleOnThis(IMethodSymbol method, Compilation compilation, AnalyzerOptions options)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var text = Flow.SourceWords.Of(reference.SyntaxTree);
                var span = reference.Span;
                if (InferenceMethodNames.NameMatches(options, reference.SyntaxTree, method.Name)
                    && (Flow.EscapedNames.ContainsWord(text, TorchNames.Call, span.Start, span.End) || Flow.EscapedNames.ContainsWord(text, TorchNames.Forward, span.Start, span.End)))
                {
                    return InferenceEntryPoints.RunsItsOwnModule(method.OriginalDefinition, compilation);
                }
            }

            return false;
        }

        private sealed class Box
        {
            public Box(ImmutableHashSet<string> names) => Names = names;

            public ImmutableHashSet<string> Names { get; }
        }
    }
}
