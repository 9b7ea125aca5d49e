using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Tests.Verifiers;

namespace TorchSharp.Analyzers.Tests.Flow
{
    /// <summary>Compiles a snippet against TorchSharp and runs the mode flow on one of its methods.</summary>
    internal static class ModeFlowTestHarness
    {
        private static ImmutableArray<MetadataReference>? _references;

        public static async Task<(ModeFlowResult Result, ModeFlowEngine Engine)> AnalyzeAsync(string source, string methodName)
        {
            var compilation = await CompileAsync(source);
            var tree = compilation.SyntaxTrees.Single();
            var model = compilation.GetSemanticModel(tree);
            var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == methodName);
            var body = (Microsoft.CodeAnalysis.Operations.IMethodBodyOperation)model.GetOperation(method)!;
            var symbols = TorchSymbols.For(compilation)!;
            var engine = ModeFlowEngine.For(compilation, symbols, new Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions(System.Collections.Immutable.ImmutableArray<AdditionalText>.Empty));
            return (engine.Analyze(ControlFlowGraph.Create(body), isNestedFunction: false)[0], engine);
        }

        public static async Task<CSharpCompilation> CompileAsync(params string[] sources)
        {
            _references ??= (await TestCompilation.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).Add(TestCompilation.TorchSharp);
            var compilation = CSharpCompilation.Create(
                "FlowTest",
                sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(TestCompilation.LanguageVersion), "File" + i + ".cs")),
                _references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Xunit.Assert.True(errors.Count == 0, string.Join("\n", errors));
            return compilation;
        }

        /// <summary>The forward pass whose receiver is written <paramref name="receiver"/>, at its <paramref name="index"/>-th occurrence.</summary>
        public static ForwardPass Pass(this ModeFlowResult result, string receiver, int index = 0)
            => result.ForwardPasses
                .Where(p => p.Invocation.Instance?.Syntax.ToString() == receiver)
                .OrderBy(p => p.Invocation.Syntax.SpanStart)
                .ElementAt(index);
    }
}
