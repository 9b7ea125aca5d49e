using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>How messages point at another place in the source.</summary>
    internal static class SourceLines
    {
        /// <summary>"line N", or "line N of File.cs" when <paramref name="node"/> is in another file than <paramref name="reportedIn"/>.</summary>
        public static string LineText(SyntaxNode node, SyntaxTree reportedIn)
        {
            var line = "line " + (node.GetLocation().GetLineSpan().StartLinePosition.Line + 1);
            return node.SyntaxTree == reportedIn || string.IsNullOrEmpty(node.SyntaxTree.FilePath)
                ? line
                : line + " of " + System.IO.Path.GetFileName(node.SyntaxTree.FilePath);
        }
    }
}
