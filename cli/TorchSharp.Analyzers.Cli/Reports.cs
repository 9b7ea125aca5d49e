using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Spectre.Console;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>Writes a <see cref="CheckResult"/> as text, JSON or SARIF 2.1.0.</summary>
    internal static class Reports
    {
        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

        public static void Write(CheckResult result, OutputFormat format, TextWriter writer, bool colors)
        {
            switch (format)
            {
                case OutputFormat.Json:
                    writer.WriteLine(Json(result).ToJsonString(Indented));
                    break;
                case OutputFormat.Sarif:
                    writer.WriteLine(Sarif(result).ToJsonString(Indented));
                    break;
                default:
                    Text(result, writer, colors);
                    break;
            }
        }

        /// <summary>Findings grouped by file, then a summary table per rule.</summary>
        public static void Text(CheckResult result, TextWriter writer, bool colors)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = colors ? AnsiSupport.Yes : AnsiSupport.No,
                ColorSystem = colors ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            if (!colors)
            {
                console.Profile.Width = 160;
            }

            foreach (var file in result.Findings.GroupBy(f => f.RelativePath, StringComparer.Ordinal))
            {
                Line(writer, console, colors, $"[bold]{Markup.Escape(file.Key)}[/]", file.Key);
                foreach (var finding in file)
                {
                    var location = $"{finding.Line}:{finding.Column}";
                    var severity = SeverityName(finding.Severity);
                    var colour = finding.Severity == DiagnosticSeverity.Error ? "red" : finding.Severity == DiagnosticSeverity.Warning ? "yellow" : "blue";
                    Line(writer, console, colors,
                        $"  {location} [{colour}]{severity} {finding.RuleId}[/]: {Markup.Escape(finding.Message)}",
                        $"  {location} {severity} {finding.RuleId}: {finding.Message}");
                    Line(writer, console, colors, $"    [dim]{Markup.Escape(finding.HelpLink)}[/]", "    " + finding.HelpLink);
                }

                writer.WriteLine();
            }

            if (result.Findings.Length > 0)
            {
                var table = new Table().AddColumn("Rule").AddColumn("Title").AddColumn(new TableColumn("Findings").RightAligned());
                foreach (var rule in result.Findings.GroupBy(f => f.RuleId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    var title = result.Rules.FirstOrDefault(r => r.Id == rule.Key)?.Title.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
                    table.AddRow(Markup.Escape(rule.Key), Markup.Escape(title), rule.Count().ToString(CultureInfo.InvariantCulture));
                }

                console.Write(table);
            }

            foreach (var project in result.Projects)
            {
                writer.WriteLine($"project {project.RelativePath}: {(project.CompilerErrors == 0 ? "no compiler errors" : Count(project.CompilerErrors, "compiler error"))}");
            }

            foreach (var failure in result.LoadFailures)
            {
                writer.WriteLine("load problem: " + failure);
            }

            if (result.Note is not null)
            {
                writer.WriteLine("note: " + result.Note);
            }

            writer.WriteLine(Summary(result));
            foreach (var exception in result.AnalyzerExceptions)
            {
                writer.WriteLine("analyzer exception: " + exception);
            }
        }

        /// <summary>The closing line of a text report.</summary>
        public static string Summary(CheckResult result)
        {
            var files = result.Findings.Select(f => f.RelativePath).Distinct(StringComparer.Ordinal).Count();
            var findings = result.Findings.Length == 0 ? "no findings" : $"{Count(result.Findings.Length, "finding")} in {Count(files, "file")}";
            var errors = result.CompilerErrors == 0
                ? "the code compiled without errors"
                : $"the code had {Count(result.CompilerErrors, "compiler error")} (unresolved code limits what can be proven)";
            var usings = result.ImplicitUsingsProject is null
                ? string.Empty
                : $" {result.ImplicitUsingsProject} enables ImplicitUsings: the SDK's implicit global usings were added.";
            var projects = result.Projects.IsEmpty ? string.Empty : " in " + Count(result.Projects.Length, "project");
            return $"{findings}; {Count(result.FileCount, "C# file")} checked{projects}; {errors}.{usings}";
        }

        public static JsonObject Json(CheckResult result) => new()
        {
            ["tool"] = new JsonObject { ["name"] = Product.ToolName, ["version"] = Product.Version },
            ["root"] = result.Root,
            ["files"] = result.FileCount,
            ["compilerErrors"] = result.CompilerErrors,
            ["implicitUsings"] = result.ImplicitUsingsProject is null
                ? null
                : new JsonObject
                {
                    ["project"] = result.ImplicitUsingsProject,
                    ["namespaces"] = new JsonArray(ImplicitUsings.SdkNamespaces.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
                },
            ["projects"] = new JsonArray(result.Projects.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["path"] = p.RelativePath,
                ["compilerErrors"] = p.CompilerErrors,
            }).ToArray()),
            ["note"] = result.Note,
            ["loadFailures"] = new JsonArray(result.LoadFailures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["findings"] = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["ruleId"] = f.RuleId,
                ["severity"] = SeverityName(f.Severity),
                ["message"] = f.Message,
                ["path"] = f.RelativePath,
                ["line"] = f.Line,
                ["column"] = f.Column,
                ["endLine"] = f.EndLine,
                ["endColumn"] = f.EndColumn,
                ["helpUri"] = f.HelpLink,
            }).ToArray()),
            ["summary"] = new JsonArray(result.Findings.GroupBy(f => f.RuleId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (JsonNode)new JsonObject { ["ruleId"] = g.Key, ["count"] = g.Count() }).ToArray()),
            ["analyzerExceptions"] = new JsonArray(result.AnalyzerExceptions.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
        };

        /// <summary>SARIF 2.1.0: one run, rule metadata, results located relative to the root (<c>%SRCROOT%</c>).</summary>
        public static JsonObject Sarif(CheckResult result)
        {
            var rules = result.Rules.ToList();
            var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
            return new JsonObject
            {
                ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
                ["version"] = "2.1.0",
                ["runs"] = new JsonArray(new JsonObject
                {
                    ["tool"] = new JsonObject
                    {
                        ["driver"] = new JsonObject
                        {
                            ["name"] = Product.ToolName,
                            ["version"] = Product.Version,
                            ["semanticVersion"] = Product.Version,
                            ["informationUri"] = Product.InformationUri,
                            ["rules"] = new JsonArray(rules.Select(r => (JsonNode)SarifRule(r)).ToArray()),
                        },
                    },
                    ["originalUriBaseIds"] = new JsonObject
                    {
                        ["SRCROOT"] = new JsonObject { ["uri"] = new Uri(result.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar).AbsoluteUri },
                    },
                    ["results"] = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
                    {
                        ["ruleId"] = f.RuleId,
                        ["ruleIndex"] = index.TryGetValue(f.RuleId, out var i) ? i : -1,
                        ["level"] = SarifLevel(f.Severity),
                        ["message"] = new JsonObject { ["text"] = f.Message },
                        ["locations"] = new JsonArray(new JsonObject
                        {
                            ["physicalLocation"] = new JsonObject
                            {
                                ["artifactLocation"] = new JsonObject { ["uri"] = RelativeUri(f.RelativePath), ["uriBaseId"] = "SRCROOT" },
                                ["region"] = new JsonObject
                                {
                                    ["startLine"] = f.Line,
                                    ["startColumn"] = f.Column,
                                    ["endLine"] = f.EndLine,
                                    ["endColumn"] = f.EndColumn,
                                },
                            },
                        }),
                    }).ToArray()),
                    ["columnKind"] = "utf16CodeUnits",
                }),
            };
        }

        public static string SeverityName(DiagnosticSeverity severity) => severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "info",
            _ => "hidden",
        };

        public static string SarifLevel(DiagnosticSeverity severity) => severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "note",
            _ => "none",
        };

        private static JsonObject SarifRule(DiagnosticDescriptor rule)
        {
            var title = rule.Title.ToString(CultureInfo.InvariantCulture);
            var description = rule.Description.ToString(CultureInfo.InvariantCulture);
            var node = new JsonObject
            {
                ["id"] = rule.Id,
                ["name"] = PascalCase(title),
                ["shortDescription"] = new JsonObject { ["text"] = title },
            };
            if (description.Length > 0)
            {
                node["fullDescription"] = new JsonObject { ["text"] = description };
            }

            if (!string.IsNullOrEmpty(rule.HelpLinkUri))
            {
                node["helpUri"] = rule.HelpLinkUri;
            }

            node["defaultConfiguration"] = new JsonObject
            {
                ["enabled"] = rule.IsEnabledByDefault,
                ["level"] = SarifLevel(rule.DefaultSeverity),
            };
            node["properties"] = new JsonObject { ["category"] = rule.Category };
            return node;
        }

        private static string PascalCase(string title)
        {
            var builder = new StringBuilder();
            foreach (var word in title.Split(new[] { ' ', '(', ')', '-', '\'', '.', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            }

            return builder.ToString();
        }

        private static string RelativeUri(string relativePath)
            => string.Join("/", relativePath.Split('/').Select(Uri.EscapeDataString));

        private static void Line(TextWriter writer, IAnsiConsole console, bool colors, string markup, string plain)
        {
            if (colors)
            {
                console.MarkupLine(markup);
            }
            else
            {
                writer.WriteLine(plain);
            }
        }

        private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
    }
}
