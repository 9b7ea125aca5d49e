using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Options
{
    /// <summary>
    /// Reads the product's <c>.editorconfig</c> options. Every key starts with <see cref="Prefix"/>; keys are
    /// case-insensitive (Roslyn compares analyzer config keys that way). A value that does not parse falls
    /// back to the documented default instead of failing the analysis.
    /// </summary>
    internal static class EditorConfigOptions
    {
        /// <summary>The prefix shared by all of our option keys.</summary>
        public const string Prefix = "torchsharp_analyzers.";

        /// <summary>Reads a boolean option for the file that holds <paramref name="tree"/>.</summary>
        public static bool GetBool(AnalyzerOptions options, SyntaxTree tree, string key, bool defaultValue)
        {
            var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            if (config.TryGetValue(Prefix + key, out var text) && bool.TryParse(text.Trim(), out var value))
            {
                return value;
            }

            return defaultValue;
        }

        /// <summary>Reads a boolean option of the whole compilation (a <c>.globalconfig</c>, or <c>is_global = true</c>).</summary>
        public static bool GetGlobalBool(AnalyzerOptions options, string key, bool defaultValue)
            => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(Prefix + key, out var text) && bool.TryParse(text.Trim(), out var value)
                ? value
                : defaultValue;
    }
}
