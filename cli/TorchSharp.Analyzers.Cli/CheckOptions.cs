using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The output formats of <c>check</c>.</summary>
    internal enum OutputFormat
    {
        Text,
        Json,
        Sarif,
    }

    /// <summary>What one <c>check</c> was asked to do.</summary>
    internal sealed record CheckOptions(
        string Path,
        OutputFormat Format,
        string? OutputFile,
        ImmutableHashSet<string> Rules,
        DiagnosticSeverity MinimumSeverity,
        ImmutableArray<string> Includes,
        ImmutableArray<string> Excludes,
        bool Fix = false,
        bool DryRun = false,
        string? Action = null,
        bool Loose = false);
}
