using System;
using System.Linq;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>
    /// Docs are tests: every C# example on a rule page compiles against TorchSharp and the .NET 8 reference assemblies;
    /// a violating example produces its rule's id, a fixed one does not. How an example is classified and how a fragment
    /// is wrapped into a file is described on <see cref="DocExamples"/> and <see cref="FragmentHarness"/>.
    /// </summary>
    public class DocExampleTests
    {
        public static TheoryData<string> Examples()
        {
            var data = new TheoryData<string>();
            foreach (var example in DocExamples.All)
            {
                data.Add(example.Page + "#" + example.Index);
            }

            return data;
        }

        [Fact]
        public void EveryPage_HasAViolatingExample()
        {
            foreach (var descriptor in Product.Descriptors)
            {
                Assert.True(
                    DocExamples.All.Any(e => e.Kind == ExampleKind.Violating && e.RuleId == descriptor.Id),
                    $"docs/rules/{descriptor.Id}.md ({descriptor.Id}): no example that produces {descriptor.Id} (a ```csharp block after a 'Violating' paragraph or marked <!-- example: violating {descriptor.Id} -->)");
            }
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void Example_CompilesAndDoesWhatThePageSays(string key)
        {
            var example = DocExamples.All.Single(e => e.Page + "#" + e.Index == key);
            Assert.True(example.Kind != ExampleKind.Unclassified,
                $"{example.Name}: not classified; put it after a 'Violating…'/'Fixed…' paragraph or right after <!-- example: violating {example.PageId} -->, <!-- example: fixed --> or <!-- example: skip (reason) -->");
            if (example.Kind == ExampleKind.Skip)
            {
                return;
            }

            var source = FragmentHarness.Wrap(example.Code);
            var compilation = Compilations.Create("DocExample", new[]
            {
                Compilations.Parse(source, "Example.cs"),
                Compilations.Parse(FragmentHarness.HarnessSource, "Harness.cs"),
            });
            var errors = Compilations.Errors(compilation);
            Assert.True(errors.IsEmpty, $"{example.Name}: does not compile:{Environment.NewLine}{Compilations.Describe(errors)}{Environment.NewLine}--- compiled as ---{Environment.NewLine}{source}");

            var result = Analysis.Run(compilation);
            Assert.True(result.Exceptions.IsEmpty, $"{example.Name}: an analyzer threw:{Environment.NewLine}{string.Join(Environment.NewLine, result.Exceptions)}");
            var produced = result.Ours.Where(d => d.Id == example.RuleId).ToList();
            if (example.Kind == ExampleKind.Violating)
            {
                Assert.True(produced.Count > 0,
                    $"{example.Name}: a violating example, but {example.RuleId} is not reported. Reported: [{string.Join(", ", result.Ours.Select(d => d.Id))}]{Environment.NewLine}--- compiled as ---{Environment.NewLine}{source}");
            }
            else
            {
                Assert.True(produced.Count == 0,
                    $"{example.Name}: a fixed example, but {example.RuleId} is reported:{Environment.NewLine}{Compilations.Describe(produced)}{Environment.NewLine}--- compiled as ---{Environment.NewLine}{source}");
            }
        }
    }
}
