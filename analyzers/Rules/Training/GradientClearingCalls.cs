using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// Which calls of code other than TorchSharp's might clear gradients (TORCH011's "follow the helper or stay silent"):
    /// a method of this compilation whose text, or the text of a method it calls by name (three calls deep), mentions
    /// <c>zero_grad</c>, <c>zero_</c> or writes <c>grad =</c>; a local function or a delegate likewise; code of other
    /// assemblies handed an optimizer, a module or a delegate. By name and by text, so it over-approximates: a call it
    /// cannot see through counts as a clear, which can only silence the rule. One instance per compilation.
    /// </summary>
    internal sealed class GradientClearingCalls
    {
        private const int MaxDepth = 3;
        private static readonly ConditionalWeakTable<Compilation, GradientClearingCalls> Instances = new ConditionalWeakTable<Compilation, GradientClearingCalls>();

        private readonly Compilation _compilation;
        private readonly TorchSymbols _symbols;
        private readonly ConcurrentDictionary<(string Name, int Depth), bool> _names = new ConcurrentDictionary<(string, int), bool>();

        private readonly ConcurrentDictionary<IMethodSymbol, bool> _methods = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

        private GradientClearingCalls(Compilation compilation, TorchSymbols symbols)
        {
            _compilation = compilation;
            _symbols = symbols;
        }

        public static GradientClearingCalls For(Compilation compilation, TorchSymbols symbols)
            => Instances.GetValue(compilation, c => new GradientClearingCalls(c, symbols));

        /// <summary>Whether <paramref name="call"/> (not TorchSharp's) might clear the gradients of any parameter.</summary>
        public bool MayClear(IInvocationOperation call)
        {
            var method = call.TargetMethod;
            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                // A lambda stored somewhere: whatever it does is out of sight.
                return true;
            }

            if (method.MethodKind == MethodKind.LocalFunction || method.IsInSource(_compilation))
            {
                // Asked at every transfer of the fixpoint: decided once per method.
                return _methods.GetOrAdd(method.OriginalDefinition, m =>
                    m.DeclaringSyntaxReferences.Any(r => Clears(r.GetSyntax(), 0, new System.Collections.Generic.HashSet<string>()))
                    || (m.MethodKind != MethodKind.LocalFunction && NameMayClear(m.Name, 0, new System.Collections.Generic.HashSet<string>())));
            }

            // Code of other assemblies: only through what it is given.
            return HandsOver(call.Instance) || call.Arguments.Any(a => HandsOver(a.Value));
        }

        private bool HandsOver(IOperation? value)
            => value != null
               && (value.Type is { } type && (type.TypeKind == TypeKind.Delegate || _symbols.IsModule(type) || _symbols.IsOptimizer(type))
                   || value.SkipConversions() is IDelegateCreationOperation || value.SkipConversions() is IAnonymousFunctionOperation);

        private bool NameMayClear(string name, int depth, System.Collections.Generic.HashSet<string> visiting)
        {
            if (_names.TryGetValue((name, depth), out var known))
            {
                return known;
            }

            if (!visiting.Add(name))
            {
                // Recursion: the name's other paths decide.
                return false;
            }

            var clears = false;
            foreach (var symbol in _compilation.GetSymbolsWithName(name, SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol && symbol.DeclaringSyntaxReferences.Any(r => Clears(r.GetSyntax(), depth, visiting)))
                {
                    clears = true;
                    break;
                }
            }

            visiting.Remove(name);
            _names[(name, depth)] = clears;
            return clears;
        }

        /// <summary>Whether the text of <paramref name="syntax"/> clears gradients: zero_grad, zero_( or a write of grad.</summary>
        public static bool ClearsText(SyntaxNode syntax) => ClearingTextIndex.Clears(syntax);

        private bool Clears(SyntaxNode declaration, int depth, System.Collections.Generic.HashSet<string> visiting)
        {
            if (ClearingTextIndex.Clears(declaration))
            {
                return true;
            }

            if (depth + 1 >= MaxDepth)
            {
                return false;
            }

            foreach (var called in _invoked.GetOrAdd(declaration, InvokedNamesIn))
            {
                if (NameMayClear(called, depth + 1, visiting))
                {
                    return true;
                }
            }

            return false;
        }

        // The names a declaration calls, read once: a method is asked at each depth it is reached from.
        private readonly ConcurrentDictionary<SyntaxNode, string[]> _invoked = new ConcurrentDictionary<SyntaxNode, string[]>();

        private static string[] InvokedNamesIn(SyntaxNode declaration)
        {
            var names = new System.Collections.Generic.List<string>();
            var seen = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
            foreach (var invocation in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (InvokedNames.Of(invocation) is { } called && seen.Add(called))
                {
                    names.Add(called);
                }
            }

            return names.ToArray();
        }
    }
}
