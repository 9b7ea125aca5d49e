using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>Docs are tests: every descriptor has its page, and the page, the README and the release files agree with it.</summary>
    public class DocumentationTests
    {
        public static TheoryData<string> Ids()
        {
            var data = new TheoryData<string>();
            foreach (var descriptor in Product.Descriptors)
            {
                data.Add(descriptor.Id);
            }

            return data;
        }

        private static DiagnosticDescriptor Descriptor(string id) => Product.Descriptors.Single(d => d.Id == id);

        [Fact]
        public void Descriptors_AreFound()
            => Assert.True(Product.Descriptors.Length >= 8, "expected at least TORCH001–TORCH008 in Descriptors, found " + string.Join(", ", Product.Descriptors.Select(d => d.Id)));

        [Theory]
        [MemberData(nameof(Ids))]
        public void Page_ExistsAndItsTitleIsTheDescriptorsTitle(string id)
        {
            var path = Repository.PathOf($"docs/rules/{id}.md");
            Assert.True(File.Exists(path), $"{id}: docs/rules/{id}.md does not exist");
            var first = File.ReadLines(path).FirstOrDefault() ?? string.Empty;
            var expected = $"# {id}: {Descriptor(id).Title}";
            Assert.True(first == expected, $"docs/rules/{id}.md ({id}): the title line is '{first}', the descriptor says '{expected}'");
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void Page_TableStatesTheDescriptorsCategoryAndSeverity(string id)
        {
            var text = File.ReadAllText(Repository.PathOf($"docs/rules/{id}.md"));
            var descriptor = Descriptor(id);
            var category = Regex.Match(text, @"\|\s*\*\*Category\*\*\s*\|\s*([^|]+?)\s*\|");
            var severity = Regex.Match(text, @"\|\s*\*\*Default severity\*\*\s*\|\s*([^|]+?)\s*\|");
            Assert.True(category.Success && category.Groups[1].Value == descriptor.Category,
                $"docs/rules/{id}.md ({id}): the table's Category is '{category.Groups[1].Value}', the descriptor says '{descriptor.Category}'");
            Assert.True(severity.Success && severity.Groups[1].Value == descriptor.DefaultSeverity.ToString(),
                $"docs/rules/{id}.md ({id}): the table's Default severity is '{severity.Groups[1].Value}', the descriptor says '{descriptor.DefaultSeverity}'");
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void HelpLink_PointsAtThePage(string id)
        {
            var link = Descriptor(id).HelpLinkUri;
            Assert.True(link.EndsWith($"docs/rules/{id}.md", StringComparison.Ordinal), $"{id}: helpLinkUri '{link}' does not end with docs/rules/{id}.md");
            Assert.True(link == Descriptors.HelpLinkBase + id + ".md", $"{id}: helpLinkUri '{link}' is not Descriptors.HelpLinkBase + \"{id}.md\"");
        }

        [Fact]
        public void EveryPage_HasADescriptor()
        {
            var orphans = DocExamples.Pages().Select(Path.GetFileNameWithoutExtension).Where(id => Product.Descriptors.All(d => d.Id != id)).ToList();
            Assert.True(orphans.Count == 0, "pages without a descriptor: " + string.Join(", ", orphans.Select(o => $"docs/rules/{o}.md")));
        }

        [Fact]
        public void Analyzers_SupportExactlyTheDescriptors()
        {
            var supported = Product.CreateAnalyzers().SelectMany(a => a.SupportedDiagnostics).ToList();
            foreach (var descriptor in Product.Descriptors)
            {
                Assert.True(supported.Any(s => s.Id == descriptor.Id), $"{descriptor.Id}: no analyzer lists it in SupportedDiagnostics");
            }

            foreach (var s in supported)
            {
                var descriptor = Product.Descriptors.FirstOrDefault(d => d.Id == s.Id);
                Assert.True(descriptor is not null, $"{s.Id}: supported by an analyzer but not a public field of Descriptors");
                Assert.True(descriptor!.Equals(s), $"{s.Id}: an analyzer supports a descriptor that differs from Descriptors' one");
            }
        }

        [Fact]
        public void CodeFixes_FixOnlyKnownIds()
        {
            foreach (var provider in Product.CreateCodeFixProviders())
            {
                foreach (var id in provider.FixableDiagnosticIds)
                {
                    Assert.True(Product.Descriptors.Any(d => d.Id == id), $"{id}: {provider.GetType().Name} fixes an id that has no descriptor");
                }
            }
        }

        [Fact]
        public void Readme_RuleTableListsExactlyTheDescriptors()
        {
            var rows = Regex.Matches(File.ReadAllText(Repository.PathOf("README.md")),
                    @"^\|\s*\[(?<id>TORCH\d{3})\]\((?<link>[^)]*)\)\s*\|\s*(?<title>[^|]*?)\s*\|\s*(?<category>[^|]*?)\s*\|\s*(?<severity>[^|]*?)\s*\|\s*(?<fix>[^|]*?)\s*\|\s*$",
                    RegexOptions.Multiline)
                .Select(m => m.Groups)
                .ToList();
            var fixable = Product.CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToHashSet();
            var problems = new List<string>();
            foreach (var descriptor in Product.Descriptors)
            {
                var matching = rows.Where(r => r["id"].Value == descriptor.Id).ToList();
                if (matching.Count != 1)
                {
                    problems.Add($"README.md ({descriptor.Id}): {matching.Count} rows in the rule table, expected 1");
                    continue;
                }

                var row = matching[0];
                Check(row["link"].Value, $"docs/rules/{descriptor.Id}.md", "link");
                Check(row["title"].Value, descriptor.Title.ToString(), "title");
                Check(row["category"].Value, descriptor.Category, "category");
                Check(row["severity"].Value, descriptor.DefaultSeverity.ToString(), "severity");
                Check(row["fix"].Value, fixable.Contains(descriptor.Id) ? "yes" : "no", "fix");

                void Check(string actual, string expected, string column)
                {
                    if (actual != expected)
                    {
                        problems.Add($"README.md ({descriptor.Id}): {column} is '{actual}', expected '{expected}'");
                    }
                }
            }

            problems.AddRange(rows.Where(r => Product.Descriptors.All(d => d.Id != r["id"].Value)).Select(r => $"README.md ({r["id"].Value}): listed in the rule table, but no such descriptor"));
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void ReleaseTracking_AgreesWithTheDescriptors()
        {
            var rows = new[] { "analyzers/AnalyzerReleases.Shipped.md", "analyzers/AnalyzerReleases.Unshipped.md" }
                .SelectMany(file => File.ReadAllLines(Repository.PathOf(file)).Select(line => (file, line)))
                .Select(x => (x.file, cells: x.line.Split('|').Select(c => c.Trim()).ToArray()))
                .Where(x => x.cells.Length >= 3 && Regex.IsMatch(x.cells[0], @"^TORCH\d{3}$"))
                .ToList();
            var analyzers = Product.CreateAnalyzers();
            var problems = new List<string>();
            foreach (var descriptor in Product.Descriptors)
            {
                var matching = rows.Where(r => r.cells[0] == descriptor.Id).ToList();
                if (matching.Count == 0)
                {
                    problems.Add($"{descriptor.Id}: not in AnalyzerReleases.Shipped.md or AnalyzerReleases.Unshipped.md");
                    continue;
                }

                foreach (var (file, cells) in matching)
                {
                    if (cells[1] != descriptor.Category)
                    {
                        problems.Add($"{file} ({descriptor.Id}): category '{cells[1]}', the descriptor says '{descriptor.Category}'");
                    }

                    if (cells[2] != descriptor.DefaultSeverity.ToString())
                    {
                        problems.Add($"{file} ({descriptor.Id}): severity '{cells[2]}', the descriptor says '{descriptor.DefaultSeverity}'");
                    }

                    var owner = analyzers.FirstOrDefault(a => a.SupportedDiagnostics.Any(s => s.Id == descriptor.Id))?.GetType().Name;
                    if (cells.Length > 3 && owner is not null && !cells[3].StartsWith(owner, StringComparison.Ordinal))
                    {
                        problems.Add($"{file} ({descriptor.Id}): notes '{cells[3]}' do not start with the analyzer's name '{owner}'");
                    }
                }
            }

            problems.AddRange(rows.Where(r => Product.Descriptors.All(d => d.Id != r.cells[0])).Select(r => $"{r.file} ({r.cells[0]}): no such descriptor"));
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }
}
