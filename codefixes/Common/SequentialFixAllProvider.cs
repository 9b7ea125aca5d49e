using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// Fix All for fixes that wrap or insert statements. The batch fixer merges independent text edits and drops
    /// the ones that overlap — and a using block that wraps "the rest of the block" overlaps every later fix in that
    /// block. This provider applies the fixes one after the other to one tree instead, in document order, each on
    /// the node as the previous fixes left it, so every diagnostic gets its fix and a second run changes nothing.
    /// </summary>
    internal sealed class SequentialFixAllProvider : DocumentBasedFixAllProvider
    {
        private readonly Func<SyntaxNode, SyntaxNode, string?, Diagnostic, SyntaxNode?> _fixOne;
        private readonly Func<Document, CancellationToken, Task<Document>>? _finish;
        private readonly Func<Diagnostic, bool>? _isFixable;

        /// <param name="fixOne">Given the current root, the reported node (tracked) and the equivalence key, the fixed root or null.</param>
        /// <param name="finish">Optional: a last step on the fixed document, run once (adding imports, for example).</param>
        /// <param name="isFixable">Optional: which diagnostics have a fix at all (those the provider offers one for).</param>
        public SequentialFixAllProvider(
            Func<SyntaxNode, SyntaxNode, string?, SyntaxNode?> fixOne,
            Func<Document, CancellationToken, Task<Document>>? finish = null,
            Func<Diagnostic, bool>? isFixable = null)
            : this((root, node, key, _) => fixOne(root, node, key), finish, isFixable)
        {
        }

        /// <param name="fixOne">Given the current root, the reported node (tracked), the equivalence key and the diagnostic, the fixed root or null.</param>
        /// <param name="finish">Optional: a last step on the fixed document, run once (adding imports, for example).</param>
        /// <param name="isFixable">Optional: which diagnostics have a fix at all (those the provider offers one for).</param>
        public SequentialFixAllProvider(
            Func<SyntaxNode, SyntaxNode, string?, Diagnostic, SyntaxNode?> fixOne,
            Func<Document, CancellationToken, Task<Document>>? finish = null,
            Func<Diagnostic, bool>? isFixable = null)
        {
            _fixOne = fixOne;
            _finish = finish;
            _isFixable = isFixable;
        }

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
            if (root is null || diagnostics.IsEmpty)
            {
                return document;
            }

            var reported = diagnostics
                .Where(d => _isFixable is null || _isFixable(d))
                .Select(d => (Node: root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true), Diagnostic: d))
                .GroupBy(pair => pair.Node)
                .Select(group => group.First())
                .OrderBy(pair => pair.Node.SpanStart)
                .ToList();
            var current = root.TrackNodes(reported.Select(pair => pair.Node));
            foreach (var (node, diagnostic) in reported)
            {
                fixAllContext.CancellationToken.ThrowIfCancellationRequested();
                if (current.GetCurrentNode(node) is { } tracked && _fixOne(current, tracked, fixAllContext.CodeActionEquivalenceKey, diagnostic) is { } fixedRoot)
                {
                    current = fixedRoot;
                }
            }

            var fixedDocument = document.WithSyntaxRoot(current);
            return _finish is null || current == root
                ? fixedDocument
                : await _finish(fixedDocument, fixAllContext.CancellationToken).ConfigureAwait(false);
        }
    }
}
