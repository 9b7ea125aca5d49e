using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>A mutated source and how to reproduce it.</summary>
    internal sealed record Mutant(int Number, string Origin, string Description, string Code)
    {
        /// <summary>"mutant #17 (seed 8008, Mutations.Create(17)) of tests/…/X.cs:42: delete tokens 12 ('model'), 40 (')')".</summary>
        public string Name => $"mutant #{Number} (seed {Mutations.Seed}, reproduce with Mutations.Create(corpus, {Number})) of {Origin}: {Description}";
    }

    /// <summary>
    /// Deterministic mutations of corpus sources: mutant <c>n</c> is a pure function of <see cref="Seed"/>, <c>n</c> and the
    /// corpus, so a failure names everything needed to rebuild it.
    /// </summary>
    internal static class Mutations
    {
        /// <summary>The fixed seed of every run.</summary>
        public const int Seed = 8008;

        /// <summary>Mutant number <paramref name="number"/> of <paramref name="corpus"/>.</summary>
        public static Mutant Create(IReadOnlyList<CorpusSource> corpus, int number)
        {
            var random = new Random(unchecked(Seed * 7919 + number));
            var source = corpus[random.Next(corpus.Count)];
            var text = source.Code;
            var tokens = CSharpSyntaxTree.ParseText(text, Compilations.ParseOptions).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            if (tokens.Count < 2)
            {
                return new Mutant(number, source.Origin, "unchanged (too short)", text);
            }

            switch (random.Next(5))
            {
                case 0:
                {
                    var at = random.Next(tokens.Count);
                    return new Mutant(number, source.Origin, $"truncate before token {at} ({Show(tokens[at])})", text.Substring(0, tokens[at].SpanStart));
                }

                case 1:
                case 2:
                {
                    var count = 1 + random.Next(random.Next(2) == 0 ? 3 : 12);
                    var picked = Enumerable.Range(0, count).Select(_ => random.Next(tokens.Count)).Distinct().OrderByDescending(i => i).ToList();
                    var result = text;
                    foreach (var i in picked)
                    {
                        result = result.Remove(tokens[i].SpanStart, tokens[i].Span.Length);
                    }

                    return new Mutant(number, source.Origin, "delete tokens " + string.Join(", ", picked.OrderBy(i => i).Select(i => $"{i} ({Show(tokens[i])})")), result);
                }

                case 3:
                {
                    var from = random.Next(tokens.Count);
                    var to = random.Next(tokens.Count);
                    var result = text.Insert(tokens[to].SpanStart, tokens[from].Text + " ");
                    return new Mutant(number, source.Origin, $"copy token {from} ({Show(tokens[from])}) before token {to} ({Show(tokens[to])})", result);
                }

                default:
                {
                    var start = random.Next(tokens.Count);
                    var length = 1 + random.Next(Math.Min(40, tokens.Count - start));
                    var end = tokens[Math.Min(tokens.Count - 1, start + length - 1)].Span.End;
                    var result = text.Remove(tokens[start].SpanStart, end - tokens[start].SpanStart);
                    return new Mutant(number, source.Origin, $"delete the {length} tokens from token {start} ({Show(tokens[start])})", result);
                }
            }
        }

        private static string Show(SyntaxToken token) => "'" + (token.Text.Length > 20 ? token.Text.Substring(0, 20) + "…" : token.Text) + "'";
    }
}
