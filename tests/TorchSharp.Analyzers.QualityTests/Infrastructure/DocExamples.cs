using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>What a C# example on a rule page claims.</summary>
    internal enum ExampleKind
    {
        /// <summary>Not classified: a test fails and asks for a marker.</summary>
        Unclassified,

        /// <summary>Compiles and produces the rule's id.</summary>
        Violating,

        /// <summary>Compiles and produces none of the rule's id.</summary>
        Fixed,

        /// <summary>Not checked (the marker says why).</summary>
        Skip,
    }

    /// <summary>One ```csharp block of a rule page.</summary>
    internal sealed record DocExample(string Page, string PageId, int Index, int Line, ExampleKind Kind, string RuleId, string? SkipReason, string Code)
    {
        /// <summary>"docs/rules/TORCH001.md, example 2 (line 42, violating TORCH001)".</summary>
        public string Name => $"{Page}, example {Index} (line {Line}, {Kind.ToString().ToLowerInvariant()} {RuleId})";
    }

    /// <summary>
    /// Reads the C# examples of <c>docs/rules/*.md</c> and turns each into a compilable file.
    ///
    /// Classification (the convention every rule page follows):
    /// <list type="bullet">
    /// <item>An HTML comment right before the fence wins: <c>&lt;!-- example: violating TORCH001 --&gt;</c>,
    /// <c>&lt;!-- example: fixed --&gt;</c> (the id defaults to the page's), <c>&lt;!-- example: skip (reason) --&gt;</c>.</item>
    /// <item>Otherwise a paragraph that starts with "Violating" or "Fixed" classifies every following block up to the
    /// next such paragraph or the next <c>##</c> heading ("Fixed — …", then "or a using block:" → both fixed).</item>
    /// <item>A block that is neither is unclassified, and the docs test fails asking for a marker.</item>
    /// </list>
    /// </summary>
    internal static class DocExamples
    {
        private static readonly Regex Marker = new(@"^<!--\s*example:\s*(?<kind>violating|fixed|skip)\b\s*(?<rest>.*?)\s*-->\s*$", RegexOptions.IgnoreCase);
        private static readonly Regex RuleId = new(@"^TORCH\d{3}$");

        /// <summary>The rule pages, by file name.</summary>
        public static IEnumerable<string> Pages()
            => Directory.GetFiles(Repository.PathOf("docs/rules"), "*.md").OrderBy(p => p, StringComparer.Ordinal);

        /// <summary>Every C# example of every rule page.</summary>
        public static ImmutableArray<DocExample> All { get; } = Pages().SelectMany(Read).ToImmutableArray();

        /// <summary>The C# examples of one page.</summary>
        public static IEnumerable<DocExample> Read(string path)
        {
            var page = Repository.Relative(path);
            var pageId = Path.GetFileNameWithoutExtension(path);
            var lines = File.ReadAllLines(path);
            var kind = ExampleKind.Unclassified;
            string? pendingMarker = null;
            var index = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    var language = line.Substring(3).Trim();
                    var start = i + 1;
                    var end = start;
                    while (end < lines.Length && !lines[end].Trim().StartsWith("```", StringComparison.Ordinal))
                    {
                        end++;
                    }

                    if (language.Equals("csharp", StringComparison.OrdinalIgnoreCase) || language.Equals("cs", StringComparison.OrdinalIgnoreCase))
                    {
                        index++;
                        var code = string.Join("\n", lines, start, end - start);
                        var (blockKind, ruleId, reason) = pendingMarker is null ? (kind, pageId, null) : ParseMarker(pendingMarker, pageId);
                        yield return new DocExample(page, pageId, index, i + 1, blockKind, ruleId, reason, code);
                    }

                    pendingMarker = null;
                    i = end;
                    continue;
                }

                if (line.StartsWith("<!--", StringComparison.Ordinal) && Marker.IsMatch(line))
                {
                    pendingMarker = line;
                    continue;
                }

                if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("# ", StringComparison.Ordinal))
                {
                    kind = ExampleKind.Unclassified;
                }
                else if (line.StartsWith("Violating", StringComparison.OrdinalIgnoreCase))
                {
                    kind = ExampleKind.Violating;
                }
                else if (line.StartsWith("Fixed", StringComparison.OrdinalIgnoreCase))
                {
                    kind = ExampleKind.Fixed;
                }

                if (line.Length > 0)
                {
                    pendingMarker = null;
                }
            }
        }

        private static (ExampleKind Kind, string RuleId, string? Reason) ParseMarker(string marker, string pageId)
        {
            var match = Marker.Match(marker);
            var rest = match.Groups["rest"].Value;
            switch (match.Groups["kind"].Value.ToLowerInvariant())
            {
                case "violating":
                    return (ExampleKind.Violating, RuleId.IsMatch(rest) ? rest : pageId, null);
                case "fixed":
                    return (ExampleKind.Fixed, RuleId.IsMatch(rest) ? rest : pageId, null);
                default:
                    return (ExampleKind.Skip, pageId, rest.Trim('(', ')', ' '));
            }
        }
    }

    /// <summary>
    /// Turns a code fragment (a doc example, a test's method body) into a file that compiles against TorchSharp.
    ///
    /// The convention:
    /// <list type="bullet">
    /// <item>Every file gets <see cref="Usings"/> and the harness types of <see cref="HarnessSource"/> (a registered
    /// <c>SentimentNet</c> with a Dropout and public <c>encoder</c>/<c>head</c>, a <c>Base</c> module whose constructor
    /// calls <c>RegisterComponents()</c>, and helpers <c>Report(..)</c>/<c>Train(model, optimizer)</c>).</item>
    /// <item>A fragment with <c>using</c> directives or a namespace is a whole file and is kept as it is.</item>
    /// <item>A fragment of type and method declarations only becomes the members of
    /// <c>sealed class Example : ExampleHarness { … }</c>.</item>
    /// <item>Anything else is statements: the body of <c>void Run(…)</c> in that class, whose parameters are the
    /// typical locals the fragment uses without declaring (<see cref="TypicalLocals"/>: <c>model</c>, <c>inputs</c>,
    /// <c>labels</c>, <c>optimizer</c>, <c>epochs</c>, …).</item>
    /// </list>
    /// </summary>
    internal static class FragmentHarness
    {
        /// <summary>The usings every wrapped fragment gets.</summary>
        public const string Usings = @"using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
";

        /// <summary>The types the examples assume, in their own file.</summary>
        public const string HarnessSource = Usings + @"
public sealed class SentimentNet : nn.Module<Tensor, Tensor>
{
    public readonly Linear encoder;
    private readonly Dropout dropout;
    public readonly Linear head;

    public SentimentNet() : base(nameof(SentimentNet))
    {
        encoder = nn.Linear(16, 16);
        dropout = nn.Dropout(0.5);
        head = nn.Linear(16, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => head.call(dropout.call(encoder.call(x)));
}

public class Base : nn.Module<Tensor, Tensor>
{
    protected Base(string name) : base(name)
    {
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x;
}

public abstract class ExampleHarness
{
    protected static void Report(object value)
    {
    }

    protected static void Train(SentimentNet model, optim.Optimizer optimizer)
    {
    }
}
";

        /// <summary>Names a statement fragment may use without declaring, and the parameter type each gets.</summary>
        public static readonly IReadOnlyList<(string Name, string Type)> TypicalLocals = new[]
        {
            ("model", "SentimentNet"),
            ("inputs", "Tensor"),
            ("labels", "Tensor"),
            ("input", "Tensor"),
            ("x", "Tensor"),
            ("features", "Tensor"),
            ("validation", "Tensor"),
            ("target", "Tensor"),
            ("optimizer", "optim.Optimizer"),
            ("lossFunction", "CrossEntropyLoss"),
            ("criterion", "CrossEntropyLoss"),
            ("epochs", "int"),
            ("epoch", "int"),
            ("flag", "bool"),
            ("quick", "bool"),
        };

        /// <summary>The wrapped file for <paramref name="fragment"/>.</summary>
        public static string Wrap(string fragment)
        {
            var unit = SyntaxFactory.ParseCompilationUnit(fragment, options: Compilations.ParseOptions);
            if (unit.Usings.Count > 0 || unit.Members.Any(m => m is BaseNamespaceDeclarationSyntax))
            {
                return fragment;
            }

            var statements = unit.Members.OfType<GlobalStatementSyntax>().Any(g => g.Statement is not LocalFunctionStatementSyntax)
                || unit.Members.Any(m => m is IncompleteMemberSyntax);
            if (!statements)
            {
                return Usings + "\nsealed class Example : ExampleHarness\n{\n" + fragment + "\n}\n";
            }

            var body = SyntaxFactory.ParseStatement("{\n" + fragment + "\n}", options: Compilations.ParseOptions);
            var declared = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in body.DescendantNodes())
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax v: declared.Add(v.Identifier.ValueText); break;
                    case ForEachStatementSyntax f: declared.Add(f.Identifier.ValueText); break;
                    case SingleVariableDesignationSyntax d: declared.Add(d.Identifier.ValueText); break;
                    case ParameterSyntax p: declared.Add(p.Identifier.ValueText); break;
                    case LocalFunctionStatementSyntax l: declared.Add(l.Identifier.ValueText); break;
                }
            }

            var used = new HashSet<string>(body.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText), StringComparer.Ordinal);
            var parameters = TypicalLocals.Where(l => used.Contains(l.Name) && !declared.Contains(l.Name)).Select(l => l.Type + " " + l.Name);
            return Usings + "\nsealed class Example : ExampleHarness\n{\n    void Run(" + string.Join(", ", parameters) + ")\n    {\n" + fragment + "\n    }\n}\n";
        }
    }
}
