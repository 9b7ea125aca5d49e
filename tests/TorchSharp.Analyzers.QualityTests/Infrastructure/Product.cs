using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>
    /// Every analyzer, code fix and descriptor of the product, discovered by reflection, so a new rule is covered by
    /// the quality gates without touching them.
    /// </summary>
    internal static class Product
    {
        /// <summary>The analyzer assembly.</summary>
        public static Assembly AnalyzerAssembly { get; } = typeof(Descriptors).Assembly;

        /// <summary>The code-fix assembly.</summary>
        public static Assembly CodeFixAssembly { get; } = typeof(TorchSharp.Analyzers.CodeFixes.MissingEvalCodeFixProvider).Assembly;

        /// <summary>A fresh instance of every concrete <see cref="DiagnosticAnalyzer"/> of the analyzer assembly.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers()
            => Concrete<DiagnosticAnalyzer>(AnalyzerAssembly).Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

        /// <summary>A fresh instance of every concrete <see cref="CodeFixProvider"/> of the code-fix assembly.</summary>
        public static ImmutableArray<CodeFixProvider> CreateCodeFixProviders()
            => Concrete<CodeFixProvider>(CodeFixAssembly).Select(t => (CodeFixProvider)Activator.CreateInstance(t)!).ToImmutableArray();

        /// <summary>The public static descriptors of <see cref="Descriptors"/>, by id.</summary>
        public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = typeof(Descriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();

        /// <summary>True for ids this product reports.</summary>
        public static bool IsOurs(string id) => id.StartsWith("TORCH", StringComparison.Ordinal);

        private static IEnumerable<Type> Concrete<T>(Assembly assembly)
            => assembly.GetTypes()
                .Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
                .OrderBy(t => t.FullName, StringComparer.Ordinal);
    }

    /// <summary>What one run of all analyzers over a compilation gave.</summary>
    internal sealed class AnalysisResult
    {
        public AnalysisResult(ImmutableArray<Diagnostic> diagnostics, ImmutableArray<string> exceptions)
        {
            Diagnostics = diagnostics;
            Exceptions = exceptions;
        }

        /// <summary>The analyzer diagnostics (ours, and AD0001 if an analyzer threw).</summary>
        public ImmutableArray<Diagnostic> Diagnostics { get; }

        /// <summary>Analyzer exceptions, described with the analyzer's name.</summary>
        public ImmutableArray<string> Exceptions { get; }

        /// <summary>Our diagnostics only.</summary>
        public IEnumerable<Diagnostic> Ours => Diagnostics.Where(d => Product.IsOurs(d.Id));
    }

    /// <summary>Runs the analyzers the way the compiler does, recording every exception they throw.</summary>
    internal static class Analysis
    {
        /// <summary>Runs every analyzer of the product (fresh instances) over <paramref name="compilation"/>.</summary>
        public static AnalysisResult Run(Compilation compilation, bool concurrent = true, ImmutableArray<DiagnosticAnalyzer> analyzers = default, AnalyzerConfigOptionsProvider? options = null)
            => RunAsync(compilation, concurrent, analyzers, options).GetAwaiter().GetResult();

        /// <inheritdoc cref="Run"/>
        public static async Task<AnalysisResult> RunAsync(
            Compilation compilation,
            bool concurrent = true,
            ImmutableArray<DiagnosticAnalyzer> analyzers = default,
            AnalyzerConfigOptionsProvider? configOptions = null,
            CancellationToken cancellationToken = default)
        {
            if (analyzers.IsDefault)
            {
                analyzers = Product.CreateAnalyzers();
            }

            var exceptions = new ConcurrentQueue<string>();
            var options = new CompilationWithAnalyzersOptions(
                configOptions is null ? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty) : new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, configOptions),
                onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception),
                concurrentAnalysis: concurrent,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var ad0001 in diagnostics.Where(d => d.Id == "AD0001"))
            {
                exceptions.Enqueue(ad0001.ToString());
            }

            return new AnalysisResult(diagnostics, exceptions.Distinct().ToImmutableArray());
        }
    }
}
