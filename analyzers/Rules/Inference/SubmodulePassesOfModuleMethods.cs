using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Api;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// Whether the submodule passes of one operation block (<see cref="BlockFacts.SubmodulePass"/>) are pieces of its
    /// module's forward pass — the block is <c>forward</c>, or a method of the class that <c>forward</c> calls, directly or
    /// through other methods of the class (up to <see cref="ModeFlowEngine.MaxDepth"/> calls deep) — and so run in their
    /// caller's grad mode: a graph recorded there is the forward pass's own. Asked at most once per block, and only of
    /// blocks whose passes the rule could report: the answer reads the syntax of the class's methods, by name.
    /// </summary>
    internal sealed class SubmodulePassesOfModuleMethods
    {
        private readonly OperationBlockAnalysisContext _context;
        private readonly ModeFlowEngine _engine;
        private bool? _arePiecesOfOwnForward;

        public SubmodulePassesOfModuleMethods(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            _context = context;
            _engine = engine;
        }

        public bool ArePiecesOfOwnForward
            => _arePiecesOfOwnForward ??= ForwardPassContext.IsPieceOfOwnForward(_context, _engine.Symbols)
                                          || (_context.OwningSymbol is IMethodSymbol method && IsReachedFromForward(method, _context.Compilation));

        // Breadth first from the class's forward, by the names its methods call: a helper of a helper of forward
        // (forward -> Decode -> sample_tokens) is a piece of the forward pass too.
        private static bool IsReachedFromForward(IMethodSymbol method, Compilation compilation)
        {
            if (method.IsStatic || !(method.ContainingType is { } type))
            {
                return false;
            }

            var seen = new HashSet<string> { TorchNames.Forward };
            var frontier = new List<string> { TorchNames.Forward };
            for (var depth = 0; depth < ModeFlowEngine.MaxDepth && frontier.Count != 0; depth++)
            {
                var next = new List<string>();
                foreach (var name in frontier)
                {
                    foreach (var called in CalledNames(type, name, compilation))
                    {
                        if (called == method.Name)
                        {
                            return true;
                        }

                        if (seen.Add(called))
                        {
                            next.Add(called);
                        }
                    }
                }

                frontier = next;
            }

            return false;
        }

        private static IEnumerable<string> CalledNames(INamedTypeSymbol type, string methodName, Compilation compilation)
        {
            foreach (var member in type.GetMembers(methodName).OfType<IMethodSymbol>())
            {
                foreach (var reference in member.DeclaringSyntaxReferences)
                {
                    if (!reference.IsInSource(compilation))
                    {
                        continue;
                    }

                    foreach (var call in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
                    {
                        if (Flow.InvokedNames.Of(call) is { } name)
                        {
                            yield return name;
                        }
                    }
                }
            }
        }
    }
}
