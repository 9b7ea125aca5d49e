using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The entry state of a lambda, read from the flow of the body that creates it (docs/rules/TORCH002.md, "Lambdas and method groups"):
    /// <list type="bullet">
    /// <item>run in place (a materialized LINQ query, <c>List.ForEach</c> …): the grad mode and the captured modules' modes
    /// where it is created;</item>
    /// <item>run on another thread (an endpoint handler, <c>new Thread</c>, an awaited <c>Task.Run</c>): autograd on, and
    /// the modes of captured module locals that nothing changes after the creation — not the body (same mode at its end),
    /// not another lambda or local function (they only run the module).</item>
    /// </list>
    /// In both, a captured module the lambda itself does more with than run it (eval(), train(), passing it on) stays
    /// unknown: the lambda runs many times. Any other lambda starts with everything unknown.
    /// </summary>
    internal static class LambdaEntries
    {
        /// <summary>The entry state of <paramref name="graph"/>, a nested graph, or null when it is not a lambda whose schedule is known.</summary>
        public static LambdaEntry? Of(ControlFlowGraph graph, ModeFlowEngine engine)
        {
            if (!(graph.OriginalOperation is IAnonymousFunctionOperation function) || !(graph.Parent is { } parent))
            {
                return null;
            }

            var creations = engine.Analyze(parent, parent.Parent != null)
                .Select(result => result.LambdaCreations.TryGetValue(function.Syntax, out var creation) ? creation : null)
                .ToImmutableArray();
            if (creations.IsEmpty || creations.Any(c => c is null) || creations[0]!.Run == DelegateRun.Unknown)
            {
                return null;
            }

            var known = creations.Select(c => c!).ToImmutableArray();
            var run = known[0].Run;
            var grad = run == DelegateRun.InPlace
                ? known.Skip(1).Aggregate(known[0].Grad, (joined, c) => joined.Join(c.Grad))
                : new GradFact(GradFlags.Enabled, null);
            var modes = ImmutableDictionary.CreateBuilder<ISymbol, ModeFact>(SymbolEqualityComparer.Default);
            foreach (var captured in known[0].CapturedModes.Keys)
            {
                if (!CapturedModules.OnlyRuns(function.Body, captured)
                    || (run == DelegateRun.OnAnotherThread && !IsLeftAlone(captured, graph, parent, known)))
                {
                    continue;
                }

                ModeFact? joined = null;
                foreach (var creation in known)
                {
                    if (!creation.CapturedModes.TryGetValue(captured, out var mode))
                    {
                        joined = null;
                        break;
                    }

                    joined = joined is null ? mode : joined.Value.Join(mode);
                }

                if (joined is { } agreed)
                {
                    modes[captured] = agreed;
                }
            }

            return new LambdaEntry(run, grad, modes.ToImmutable());
        }

        /// <summary>
        /// Whether a module local keeps, for every later run of a lambda on another thread, the mode it had where the
        /// lambda was created: a local of the member body itself, in the same mode at the end of the body, and only run
        /// by any other lambda or local function of the body.
        /// </summary>
        private static bool IsLeftAlone(ISymbol captured, ControlFlowGraph lambda, ControlFlowGraph parent, ImmutableArray<LambdaCreation> creations)
        {
            if (!(captured is ILocalSymbol) || parent.Parent != null)
            {
                return false;
            }

            foreach (var creation in creations)
            {
                if (!creation.CapturedModes.TryGetValue(captured, out var atCreation)
                    || !creation.CapturedModesAtExit.TryGetValue(captured, out var atExit) || !atCreation.Equals(atExit))
                {
                    return false;
                }
            }

            foreach (var (other, isNested) in ControlFlowGraphs.SelfAndNested(parent))
            {
                if (isNested && other != lambda && !CapturedModules.OnlyRuns(other.OriginalOperation, captured))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
