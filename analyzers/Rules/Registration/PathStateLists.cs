using System.Collections.Generic;
using System.Linq;
using TorchSharp.Analyzers.Flow;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>
    /// The sets of path states of the construction interpreter (<see cref="ConstructionInterpreter"/>): unions without
    /// duplicates, capped at <see cref="MaxPaths"/> — past it one opaque path stands for all (no verdict rather than a
    /// wrong one).
    /// </summary>
    internal static class PathStateLists
    {
        public const int MaxPaths = 64;

        public static List<PathState> Opaque(List<PathState> states)
            => states.Count == 0 ? states : Dedupe(states.Select(s => s.AsOpaque()));

        public static List<PathState> Map(List<PathState> states, System.Func<PathState, PathState> map)
            => states.Count == 0 ? states : Dedupe(states.Select(map));

        public static List<PathState> Union(List<PathState> first, List<PathState> second)
        {
            if (second.Count == 0)
            {
                return first;
            }

            if (first.Count == 0)
            {
                return second;
            }

            return Dedupe(first.Concat(second));
        }

        public static void AddAll(List<PathState> target, List<PathState> source)
        {
            foreach (var state in source)
            {
                if (!target.Contains(state))
                {
                    target.Add(state);
                }
            }

            Cap(target);
        }

        public static List<PathState> Dedupe(IEnumerable<PathState> states)
        {
            var result = new List<PathState>();
            foreach (var state in states)
            {
                if (!result.Contains(state))
                {
                    result.Add(state);
                }
            }

            Cap(result);
            return result;
        }

        /// <summary>Too many paths: keep one, opaque — no verdict rather than a wrong one.</summary>
        public static void Cap(List<PathState> states)
        {
            if (states.Count > MaxPaths)
            {
                var kept = states[0].AsOpaque();
                states.Clear();
                states.Add(kept);
            }
        }
    }
}
