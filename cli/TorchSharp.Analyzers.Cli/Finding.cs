using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>One diagnostic of our analyzers, located relative to the checked root (1-based lines and columns).</summary>
    internal sealed record Finding(
        string RuleId,
        DiagnosticSeverity Severity,
        string Message,
        string RelativePath,
        int Line,
        int Column,
        int EndLine,
        int EndColumn,
        string HelpLink);

    /// <summary>
    /// What one check found, with what it compiled. <see cref="ImplicitUsingsProject"/>: the project file (relative
    /// to the root) whose ImplicitUsings made the check add the SDK's implicit global usings, or null.
    /// </summary>
    internal sealed record CheckResult(
        string Root,
        int FileCount,
        int CompilerErrors,
        ImmutableArray<Finding> Findings,
        ImmutableArray<DiagnosticDescriptor> Rules,
        ImmutableArray<string> AnalyzerExceptions,
        ImmutableArray<string> EditorConfigs,
        string ReferenceSource,
        string? ImplicitUsingsProject = null)
    {
        /// <summary>The loaded projects of a .csproj/.sln/.slnx check, with their compiler errors; empty for a folder.</summary>
        public ImmutableArray<ProjectSummary> Projects { get; init; } = ImmutableArray<ProjectSummary>.Empty;

        /// <summary>How a folder was checked when that is not obvious (its solution loaded with MSBuild, or not and why); null otherwise.</summary>
        public string? Note { get; init; }

        /// <summary>Why projects (or parts of them) failed to load, as MSBuildWorkspace reported it.</summary>
        public ImmutableArray<string> LoadFailures { get; init; } = ImmutableArray<string>.Empty;
    }
}
