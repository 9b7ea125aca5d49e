using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Which method names might reach an <c>eval()</c> or <c>train(..)</c> within some number of calls, read from the
    /// syntax of the methods so named (the cheap "no" of <see cref="CallSyntaxIndex.MaySetMode"/>). Asked from the callee
    /// down and remembered per name and depth: only the names the flows actually meet are read, never every member of the
    /// compilation (a trainer class per file calls eval() in most of its methods; levels built upwards from every such
    /// call cost a word-index lookup per file for each of thousands of names). It over-approximates — a call written with
    /// a name, bound or not; an implicit <c>new()</c> or a <c>: base(..)</c>/<c>: this(..)</c> with arguments, which name
    /// no type, may run any constructor — so a "no" is a proof and a "yes" only sends the question to the flow.
    /// </summary>
    internal sealed class ModeSetterNames
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<(string Name, int Calls), bool> _answers = new ConcurrentDictionary<(string, int), bool>();

        public ModeSetterNames(Compilation compilation) => _compilation = compilation;

        /// <summary>
        /// Whether a method of this compilation called <paramref name="name"/> (or a constructor of a type so named) might
        /// call something named <c>eval</c> or <c>train</c> itself, or through at most <paramref name="calls"/> calls down.
        /// </summary>
        public bool MaySetMode(string name, int calls)
            => calls >= 0 && _answers.GetOrAdd((name, calls), key => Compute(key.Name, key.Calls));

        // Depth strictly falls in every recursion, so no question waits on itself.
        private bool Compute(string name, int calls)
        {
            foreach (var symbol in _compilation.GetSymbolsWithName(name, SymbolFilter.TypeAndMember))
            {
                var methods = symbol is INamedTypeSymbol type ? type.InstanceConstructors.Concat(type.StaticConstructors) : Enumerable.Repeat(symbol as IMethodSymbol, 1);
                foreach (var method in methods.OfType<IMethodSymbol>())
                {
                    foreach (var reference in method.DeclaringSyntaxReferences)
                    {
                        if (Reaches(reference.GetSyntax(), calls))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private bool Reaches(SyntaxNode declaration, int calls)
        {
            foreach (var node in declaration.DescendantNodes())
            {
                string? called;
                switch (node)
                {
                    case InvocationExpressionSyntax invocation:
                        called = InvokedNames.RightmostName(invocation.Expression);
                        if (called is TorchNames.Eval or TorchNames.Train)
                        {
                            return true;
                        }

                        break;
                    case ObjectCreationExpressionSyntax creation:
                        called = InvokedNames.RightmostName(creation.Type);
                        break;
                    case ImplicitObjectCreationExpressionSyntax _:
                    case ConstructorInitializerSyntax { ArgumentList.Arguments.Count: > 0 }:
                        if (calls > 0)
                        {
                            return true;
                        }

                        continue;
                    default:
                        continue;
                }

                if (calls > 0 && called != null && MaySetMode(called, calls - 1))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
