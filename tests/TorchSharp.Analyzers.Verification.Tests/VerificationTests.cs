using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TorchSharp.Analyzers.Runtime;
using Xunit;

namespace TorchSharp.Analyzers.Verification.Tests
{
    /// <summary>Scenario corpus: static verdict == dynamic verdict; code fixes yield programs that run clean with the intended numbers.</summary>
    [Collection(VerificationCollection.Name)]
    public sealed class VerificationTests
    {
        public static IEnumerable<object[]> Scenarios() => ScenarioFile.All().Select(p => new object[] { p });

        public static IEnumerable<object[]> FixScenarios()
            => ScenarioFile.All().Where(p => ScenarioFile.Load(p).FixKey != null).Select(p => new object[] { p });

        [Theory]
        [MemberData(nameof(Scenarios))]
        public async Task StaticVerdictEqualsDynamicVerdict(string scenarioPath)
        {
            var scenario = ScenarioFile.Load(scenarioPath);
            var diagnostics = await ScenarioHarness.AnalyzeAsync(scenario.Source);
            var run = ScenarioHarness.Execute(scenario.Source);

            var staticFinding = diagnostics.Any(d => d.Id == scenario.Rule);
            var dynamicFinding = run.Findings.Any(f => f.Id == scenario.Rule);
            var report = "static: " + Describe(diagnostics.Select(d => d.Id + " " + d.GetMessage()))
                         + "\ndynamic: " + Describe(run.Findings.Select(f => f.ToString()))
                         + "\noutput: " + run.Output;

            Assert.True(scenario.ExpectFinding == staticFinding, scenario.Rule + " static verdict is not the expected one.\n" + report);
            var expectedDynamic = scenario.Differs is null ? staticFinding : !staticFinding;
            Assert.True(expectedDynamic == dynamicFinding, scenario.Rule + " dynamic verdict differs from the static one.\n" + report);
        }

        [Theory]
        [MemberData(nameof(FixScenarios))]
        public async Task FixedProgramRunsCleanAndPrintsWhatTheCorrectVariantPrints(string scenarioPath)
        {
            var scenario = ScenarioFile.Load(scenarioPath);
            Assert.True(scenario.ExpectFinding, "Only bug scenarios carry a fix.");
            var fixedSource = await ScenarioHarness.ApplyFixAsync(scenario.Source, scenario.Rule, scenario.FixKey!);
            Assert.NotEqual(scenario.Source, fixedSource);

            var diagnostics = await ScenarioHarness.AnalyzeAsync(fixedSource);
            Assert.DoesNotContain(diagnostics, d => d.Id == scenario.Rule);

            var fixedRun = ScenarioHarness.Execute(fixedSource);
            Assert.DoesNotContain(fixedRun.Findings, f => f.Id == scenario.Rule);

            var correct = ScenarioFile.Load(scenario.FixTarget!);
            Assert.False(correct.ExpectFinding, correct.RelativePath + " must be a correct variant.");
            var correctRun = ScenarioHarness.Execute(correct.Source);
            var buggyRun = ScenarioHarness.Execute(scenario.Source);
            Assert.Equal(correctRun.Output, fixedRun.Output);
            Assert.NotEqual(buggyRun.Output, fixedRun.Output);
        }

        [Fact]
        public void CorpusHasAtLeastFourScenariosPerRuleWithBugAndCorrectVariants()
        {
            var byRule = ScenarioFile.All().Select(ScenarioFile.Load).GroupBy(s => s.Rule).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (rule, scenarios) in byRule)
            {
                Assert.True(scenarios.Count >= 4, rule + " has " + scenarios.Count + " scenarios");
                Assert.Contains(scenarios, s => s.ExpectFinding);
                Assert.Contains(scenarios, s => !s.ExpectFinding);
            }
        }

        [Fact]
        public void MonitorMessageFormatsAreTheAnalyzersMessageFormats()
        {
            var descriptors = typeof(Descriptors).GetFields()
                .Select(f => f.GetValue(null))
                .OfType<Microsoft.CodeAnalysis.DiagnosticDescriptor>()
                .ToList();
            Assert.Equal(typeof(DiagnosticIds).GetFields().Length, descriptors.Count);
            foreach (var descriptor in descriptors)
            {
                Assert.Equal(descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), MonitorRules.MessageFormat(descriptor.Id));
            }
        }

        private static string Describe(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? "(none)" : "\n  " + string.Join("\n  ", list);
        }
    }

    /// <summary>Scenarios seed the process-wide generator and compare exact numbers: one at a time.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class VerificationCollection
    {
        public const string Name = "Verification";
    }
}
