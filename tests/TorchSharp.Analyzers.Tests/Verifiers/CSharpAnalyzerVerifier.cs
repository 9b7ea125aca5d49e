using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.Tests.Verifiers
{
    /// <summary>Verifies an analyzer against TorchSharp code; tests alias it as <c>Verify</c>.</summary>
    public static class CSharpAnalyzerVerifier<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static DiagnosticResult Diagnostic(string id) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(id);

        /// <summary>Asserts that <paramref name="source"/> produces exactly <paramref name="expected"/>.</summary>
        public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
        {
            var test = new Test { TestCode = source };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>The analyzer test with our references, language version and options.</summary>
        public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            public Test()
            {
                ReferenceAssemblies = TestCompilation.ReferenceAssemblies;
                TestState.AdditionalReferences.Add(TestCompilation.TorchSharp);
            }

            /// <summary>The C# version to compile with.</summary>
            public LanguageVersion LanguageVersion { get; set; } = TestCompilation.LanguageVersion;

            protected override ParseOptions CreateParseOptions()
                => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
        }
    }
}
