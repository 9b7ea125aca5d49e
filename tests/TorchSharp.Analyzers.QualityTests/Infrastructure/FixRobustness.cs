using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>Runs every code fix offered for a document's diagnostics and Fix All, and reports anything that throws.</summary>
    internal static class FixRobustness
    {
        /// <summary>
        /// Applies every action offered for up to <paramref name="maxDiagnostics"/> of our diagnostics in
        /// <paramref name="document"/>, and Fix All (document scope) once per provider and action; returns the exceptions,
        /// each described with the provider, the diagnostic and the action.
        /// Fix All can be switched off for huge documents (its cost grows with the number of diagnostics).
        /// </summary>
        public static async Task<List<string>> RunAsync(Document document, ImmutableArray<Diagnostic> diagnostics, int maxDiagnostics, bool fixAll = true)
        {
            var problems = new List<string>();
            var providers = Product.CreateCodeFixProviders();
            var fixAllDone = new HashSet<(string, string?)>();
            foreach (var diagnostic in diagnostics.Where(d => Product.IsOurs(d.Id) && d.Location.IsInSource).Take(maxDiagnostics))
            {
                foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var where = $"{provider.GetType().Name} on {diagnostic.Id} at {diagnostic.Location.GetLineSpan().StartLinePosition}";
                    var (actions, exception) = await Fixes.OfferedActionsAsync(provider, document, diagnostic).ConfigureAwait(false);
                    if (exception is not null)
                    {
                        problems.Add($"{where}: RegisterCodeFixesAsync threw {exception}");
                    }

                    foreach (var action in actions)
                    {
                        try
                        {
                            var solution = await Fixes.ApplyAsync(action, document.Project.Solution).ConfigureAwait(false);
                            var changed = solution.GetDocument(document.Id);
                            if (changed is not null)
                            {
                                await changed.GetSyntaxRootAsync().ConfigureAwait(false);
                            }
                        }
                        catch (Exception e)
                        {
                            problems.Add($"{where}: action '{action.Title}' ({action.EquivalenceKey}) threw {e}");
                        }

                        if (fixAll && fixAllDone.Add((provider.GetType().Name, action.EquivalenceKey)))
                        {
                            try
                            {
                                await Fixes.FixAllAsync(provider, document, action.EquivalenceKey, FixAllScope.Document).ConfigureAwait(false);
                            }
                            catch (Exception e)
                            {
                                problems.Add($"{where}: Fix All of '{action.EquivalenceKey}' threw {e}");
                            }
                        }
                    }
                }
            }

            return problems;
        }
    }
}
