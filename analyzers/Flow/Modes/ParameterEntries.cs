using System;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode a module parameter enters a method in: the join of the modes its callers pass, each resolved in turn
    /// (<see cref="ModeFlowEngine.ResolveEntry"/>); with no callers it stays as on entry. One per engine; thread-safe.
    /// </summary>
    internal sealed class ParameterEntries
    {
        private readonly CallSites _sites;
        private readonly Func<ModeFact, int, ModeFact> _resolveEntry;

        /// <param name="resolveEntry">The engine's resolution of what a caller passes, which may itself be a parameter or a field as on entry.</param>
        public ParameterEntries(CallSites sites, Func<ModeFact, int, ModeFact> resolveEntry)
        {
            _sites = sites;
            _resolveEntry = resolveEntry;
        }

        /// <summary>The join of the modes the callers pass for <paramref name="parameter"/>; Unknown when a caller's cannot be known.</summary>
        public ModeFact EntryOf(IParameterSymbol parameter, int depth)
        {
            if (!(parameter.ContainingSymbol is IMethodSymbol method) || method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction)
            {
                return ModeFact.Unknown;
            }

            var sites = _sites.Of(method.OriginalDefinition, depth);
            if (sites.IsEmpty)
            {
                return ModeFact.Entry(parameter);
            }

            ModeFact? joined = null;
            foreach (var site in sites)
            {
                if (site is null || !site.Value.Site.Arguments.TryGetValue(parameter.Ordinal, out var passed))
                {
                    return ModeFact.Unknown;
                }

                var resolved = _resolveEntry(passed, depth + 1);
                joined = joined is null ? resolved : joined.Value.Join(resolved);
            }

            return joined ?? ModeFact.Unknown;
        }
    }
}
