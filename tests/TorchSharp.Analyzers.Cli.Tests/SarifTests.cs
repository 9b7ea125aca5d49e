using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>SARIF output: valid against the official SARIF 2.1.0 schema, and the same results as the other formats.</summary>
    public sealed class SarifTests
    {
        private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

        [Fact]
        public void Sample_Sarif_IsValidAgainstTheOfficialSchema()
        {
            var sarif = Sarif(CliRunner.Sample);

            var evaluation = Evaluate(sarif);

            Assert.True(evaluation.IsValid, Describe(evaluation));
            Assert.Equal(CliRunner.SampleFacts().Findings, sarif["runs"]![0]!["results"]!.AsArray().Count);
        }

        [Fact]
        public void Schema_RejectsAnInvalidLevel()
        {
            var sarif = Sarif(CliRunner.Sample);
            sarif["runs"]![0]!["results"]![0]!["level"] = "severe";

            Assert.False(Evaluate(sarif).IsValid);
        }

        [Fact]
        public void Sarif_HasRuleMetadata_ToolVersion_AndRootRelativeLocations()
        {
            var sarif = Sarif(CliRunner.Sample);
            var run = sarif["runs"]![0]!;
            var driver = run["tool"]!["driver"]!;

            Assert.Equal("TorchSharp.Analyzers", (string)driver["name"]!);
            Assert.False(string.IsNullOrEmpty((string?)driver["version"]));
            var rule = driver["rules"]!.AsArray().Single(r => (string)r!["id"]! == "TORCH001")!;
            Assert.Equal("Call eval() before using a module for inference", (string)rule["shortDescription"]!["text"]!);
            Assert.EndsWith("docs/rules/TORCH001.md", (string)rule["helpUri"]!);
            Assert.Equal("warning", (string)rule["defaultConfiguration"]!["level"]!);

            var root = new Uri((string)run["originalUriBaseIds"]!["SRCROOT"]!["uri"]!);
            Assert.Equal(Path.GetFullPath(CliRunner.Sample).TrimEnd('/') + "/", root.LocalPath);
            foreach (var result in run["results"]!.AsArray())
            {
                var artifact = result!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!;
                Assert.Equal("SRCROOT", (string)artifact["uriBaseId"]!);
                Assert.True(File.Exists(new Uri(root, (string)artifact["uri"]!).LocalPath));
                var ruleIndex = (int)result["ruleIndex"]!;
                Assert.Equal((string)result["ruleId"]!, (string)driver["rules"]![ruleIndex]!["id"]!);
            }
        }

        [Fact]
        public void Sarif_Results_EqualTheTextAndJsonResults()
        {
            var sarif = Sarif(CliRunner.Sample)["runs"]![0]!["results"]!.AsArray()
                .Select(r =>
                {
                    var physical = r!["locations"]![0]!["physicalLocation"]!;
                    return $"{(string)physical["artifactLocation"]!["uri"]!}:{(int)physical["region"]!["startLine"]!}:{(int)physical["region"]!["startColumn"]!} {(string)r["ruleId"]!}: {(string)r["message"]!["text"]!}";
                })
                .ToArray();
            var json = CheckTests.Json(CliRunner.Run("check", CliRunner.Sample, "--loose", "--format", "json"), ExitCodes.Findings)["findings"]!.AsArray()
                .Select(f => $"{(string)f!["path"]!}:{(int)f["line"]!}:{(int)f["column"]!} {(string)f["ruleId"]!}: {(string)f["message"]!}")
                .ToArray();
            var text = TextFindings(CliRunner.Run("check", CliRunner.Sample, "--loose").Output);

            Assert.Equal(CliRunner.SampleFacts().Findings, sarif.Length);
            Assert.Equal(sarif, json);
            Assert.Equal(sarif, text);
        }

        /// <summary>"file:line:col ID: message" for each finding of a text report (file headers, then indented findings).</summary>
        private static string[] TextFindings(string output)
        {
            string? file = null;
            var findings = new System.Collections.Generic.List<string>();
            foreach (var line in output.Split(Environment.NewLine))
            {
                if (line.EndsWith(".cs", StringComparison.Ordinal) && !line.StartsWith(' '))
                {
                    file = line;
                }
                else if (file is not null && line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("    ", StringComparison.Ordinal))
                {
                    var parts = line.Trim().Split(' ', 3);
                    findings.Add($"{file}:{parts[0]} {parts[2]}");
                }
            }

            return findings.ToArray();
        }

        private static JsonObject Sarif(string path)
            => CheckTests.Json(CliRunner.Run("check", path, "--loose", "--format", "sarif"), ExitCodes.Findings);

        private static EvaluationResults Evaluate(JsonNode sarif)
            => Schema.Value.Evaluate(sarif, new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List, RequireFormatValidation = true });

        /// <summary>
        /// The official schema (oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json, kept as it is in Data/).
        /// It is written in JSON Schema draft-04, which JsonSchema.Net does not implement; of the draft-04 keywords it
        /// uses, only the top-level <c>id</c> is spelled differently in draft-07 (<c>$id</c>), and it uses no boolean
        /// exclusiveMinimum/exclusiveMaximum, so it is evaluated as draft-07 after that one rename.
        /// </summary>
        private static JsonSchema LoadSchema()
        {
            var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "sarif-schema-2.1.0.json")))!.AsObject();
            Assert.Equal("http://json-schema.org/draft-04/schema#", (string)node["$schema"]!);
            var id = (string)node["id"]!;
            node.Remove("id");
            node["$id"] = id;
            node["$schema"] = "http://json-schema.org/draft-07/schema#";
            return JsonSchema.FromText(node.ToJsonString());
        }

        private static string Describe(EvaluationResults results)
            => string.Join(Environment.NewLine, (results.Details ?? Array.Empty<EvaluationResults>())
                .Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Key + " " + e.Value)));
    }
}
