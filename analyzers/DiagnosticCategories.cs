namespace TorchSharp.Analyzers
{
    /// <summary>
    /// Categories carry the product name so that users can configure all of our rules at once
    /// (<c>dotnet_analyzer_diagnostic.category-TorchSharp.Reliability.severity = error</c>).
    /// </summary>
    internal static class DiagnosticCategories
    {
        public const string Correctness = "TorchSharp.Correctness";
        public const string Performance = "TorchSharp.Performance";
        public const string Reliability = "TorchSharp.Reliability";
    }
}
