using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>The analyzers measured: ours (by reflection), the reference CA2000, and an empty analyzer of our shape.</summary>
    internal static class AnalyzerSets
    {
        /// <summary>The diagnostic id of the reference flow analyzer.</summary>
        public const string ReferenceId = "CA2000";

        /// <summary>
        /// Every non-abstract <see cref="DiagnosticAnalyzer"/> with a <see cref="DiagnosticAnalyzerAttribute"/> in the
        /// TorchSharp.Analyzers assembly: the one this project references, or the build at <paramref name="assemblyPath"/>.
        /// </summary>
        public static ImmutableArray<DiagnosticAnalyzer> Ours(string? assemblyPath = null)
        {
            var assembly = assemblyPath is null
                ? typeof(TorchSharp.Analyzers.Infrastructure.TorchSharpAnalyzer).Assembly
                : new AnalyzerLoadContext(Path.GetFullPath(assemblyPath)).LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            var analyzers = Instantiate(assembly, LanguageNames.CSharp);
            if (analyzers.IsEmpty)
            {
                throw new InvalidOperationException("no analyzers found in " + assembly.Location);
            }

            return analyzers;
        }

        /// <summary>Where <see cref="Ours"/> loaded from, for the report.</summary>
        public static string OursLocation(ImmutableArray<DiagnosticAnalyzer> ours) => ours[0].GetType().Assembly.Location;

        /// <summary>
        /// The analyzer of Microsoft.CodeAnalysis.NetAnalyzers that supports CA2000 (DisposeObjectsBeforeLosingScope),
        /// loaded from the package's analyzers/dotnet/cs folder.
        /// </summary>
        public static DiagnosticAnalyzer Reference()
        {
            var package = References.BuildMetadata("NetAnalyzersPackage");
            if (string.IsNullOrEmpty(package))
            {
                throw new InvalidOperationException("the Microsoft.CodeAnalysis.NetAnalyzers package path was not recorded at build time");
            }

            var path = Path.Combine(package, "analyzers", "dotnet", "cs", "Microsoft.CodeAnalysis.NetAnalyzers.dll");
            var assembly = new AnalyzerLoadContext(path).LoadFromAssemblyPath(path);
            foreach (var analyzer in Instantiate(assembly, LanguageNames.CSharp))
            {
                if (analyzer.SupportedDiagnostics.Any(d => d.Id == ReferenceId))
                {
                    return analyzer;
                }
            }

            throw new InvalidOperationException("no analyzer supports " + ReferenceId + " in " + path);
        }

        /// <summary>The version of the reference analyzer's package, for the report.</summary>
        public static string ReferencePackage
            => Path.GetFileName(Path.TrimEndingDirectorySeparator(References.BuildMetadata("NetAnalyzersPackage") ?? "?")) is var version
               ? "Microsoft.CodeAnalysis.NetAnalyzers " + version
               : "?";

        private static ImmutableArray<DiagnosticAnalyzer> Instantiate(Assembly assembly, string language)
        {
            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException partial)
            {
                // NetAnalyzers also holds code fixes that need Workspaces; the analyzers load without it.
                types = partial.Types;
            }

            var result = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            foreach (var type in types)
            {
                if (type is null || type.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
                    || !(type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } attribute) || !attribute.Languages.Contains(language)
                    || type.GetConstructor(Type.EmptyTypes) is null)
                {
                    continue;
                }

                result.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
            }

            return result.OrderBy(a => a.GetType().Name, StringComparer.Ordinal).ToImmutableArray();
        }

        /// <summary>Loads an analyzer assembly and its own dependencies from its folder; Roslyn and the framework come from the host.</summary>
        private sealed class AnalyzerLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;

            public AnalyzerLoadContext(string assemblyPath)
                : base(Path.GetFileNameWithoutExtension(assemblyPath), isCollectible: false)
            {
                _directory = Path.GetDirectoryName(assemblyPath)!;
            }

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                var name = assemblyName.Name ?? string.Empty;
                if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && !name.Contains("NetAnalyzers", StringComparison.Ordinal))
                {
                    return null;
                }

                var candidate = Path.Combine(_directory, name + ".dll");
                return File.Exists(candidate) && Default.Assemblies.All(a => a.GetName().Name != name) ? LoadFromAssemblyPath(candidate) : null;
            }
        }
    }

    /// <summary>
    /// An analyzer that does nothing, registered the way ours are (compilation start; then operation block actions, an
    /// operation block start action, and a symbol-start scope per named type with an operation block action and a
    /// symbol end): its cost is the driver's own work for an analyzer of our shape.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class EmptyAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Descriptor = new DiagnosticDescriptor(
            "BENCH000", "Empty", "Empty", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                start.RegisterOperationBlockAction(_ => { });
                start.RegisterOperationBlockStartAction(_ => { });
                start.RegisterSymbolStartAction(
                    symbol =>
                    {
                        symbol.RegisterOperationBlockAction(_ => { });
                        symbol.RegisterSymbolEndAction(_ => { });
                    },
                    SymbolKind.NamedType);
            });
        }
    }

    /// <summary>
    /// Binds every method body of the compilation in its compilation start action, through the driver's own semantic
    /// models, before any other analyzer action runs: run beside ours, our callbacks then find every body already bound,
    /// and their time is their own work only — without the binding they would otherwise pull forward for the driver.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class PreBindAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Descriptor = new DiagnosticDescriptor(
            "BENCH001", "Pre-bind", "Pre-bind", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start =>
            {
                foreach (var tree in start.Compilation.SyntaxTrees)
                {
                    var model = start.Compilation.GetSemanticModel(tree);
                    foreach (var node in tree.GetRoot(start.CancellationToken).DescendantNodes(n => !(n is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax)))
                    {
                        if (node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax method)
                        {
                            model.GetOperation(method, start.CancellationToken);
                        }
                    }
                }
            });
        }
    }
}
