using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TorchSharp.Analyzers.Tests.Verifiers
{
    /// <summary>
    /// Verifies an analyzer and its code fix against TorchSharp code. The test library also checks that the fixed
    /// code compiles and that Fix All in document, project and solution gives the same result.
    /// </summary>
    public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public static DiagnosticResult Diagnostic(string id) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(id);

        /// <summary>Asserts the diagnostics of <paramref name="source"/> and that no fix is offered.</summary>
        public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
        {
            var test = new Test { TestCode = source, FixedCode = source };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>Asserts the diagnostics of <paramref name="source"/> and that the action with <paramref name="equivalenceKey"/> gives <paramref name="fixedSource"/>.</summary>
        public static Task VerifyCodeFixAsync(string source, DiagnosticResult[] expected, string fixedSource, string? equivalenceKey = null)
        {
            var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        /// <summary>The code-fix test with our references, language version and options.</summary>
        public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            public Test()
            {
                ReferenceAssemblies = TestCompilation.ReferenceAssemblies;
                TestState.AdditionalReferences.Add(TestCompilation.TorchSharp);
                FixedState.AdditionalReferences.Add(TestCompilation.TorchSharp);
                BatchFixedState.AdditionalReferences.Add(TestCompilation.TorchSharp);
            }

            /// <summary>The C# version to compile with.</summary>
            public LanguageVersion LanguageVersion { get; set; } = TestCompilation.LanguageVersion;

            protected override ParseOptions CreateParseOptions()
                => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
        }
    }
}
