using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Rules.Async;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH009: an <c>await</c> (also <c>await foreach</c>, <c>await using</c>) while a grad-mode scope opened in the same
    /// body is open. Grad mode is per thread and the scope restores it on whichever thread disposes it: when the method
    /// resumes on another thread, the code after the await runs in that thread's mode and the thread that opened the
    /// scope keeps the scope's mode.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AwaitInsideGradScopeAnalyzer : ModeFlowAnalyzer
    {
        /// <summary>
        /// <c>.editorconfig</c> key: when <c>true</c>, the code is taken to run under a single-threaded synchronization
        /// context (a UI thread), where a continuation comes back to the thread that opened the scope; only awaits with
        /// <c>ConfigureAwait(false)</c> are reported then. Off by default: nothing in the code proves the context.
        /// </summary>
        public const string AssumeSingleThreadedContextOption = "TORCH009.assume_single_threaded_context";

        /// <summary>Diagnostic property: the line of the scope's opening call (for the code fix to find the scope).</summary>
        public const string ScopeStartProperty = "ScopeStart";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.AwaitInsideGradScope);

        // An await in a member that switches grad mode.
        private protected override bool MayReport(BlockFacts facts) => facts.Awaits && facts.MaySwitchGrad;

        private protected override void Analyze(OperationBlockAnalysisContext context, ModeFlowEngine engine, Action<Diagnostic> report)
        {
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            var singleThreaded = EditorConfigOptions.GetBool(context.Options, tree, AssumeSingleThreadedContextOption, defaultValue: false);
            CompletedTasks? completed = null;
            foreach (var (flow, _) in OperationBlockFlows.Of(context, engine, facts => facts.Awaits && facts.MaySwitchGrad))
            {
                foreach (var point in flow.Awaits)
                {
                    if (point.OpenScopes.IsEmpty || !(AwaitSites.KeywordOf(point.Operation.Syntax) is { } keyword)
                        || !(Consequence(point) is { } consequence))
                    {
                        continue;
                    }

                    completed ??= new CompletedTasks(context.Compilation);
                    var awaited = point.Operation.Operation;
                    if (completed.IsCompleted(awaited) || (singleThreaded && !CompletedTasks.ConfiguresAwaitFalse(awaited)))
                    {
                        continue;
                    }

                    var openedAt = point.Grad.OpenedAt;
                    var where = openedAt is null
                        ? "a grad-mode scope"
                        : "the '" + ScopeText(openedAt) + "' scope opened at " + SourceLines.LineText(openedAt, tree);
                    var properties = openedAt is null || openedAt.SyntaxTree != tree
                        ? ImmutableDictionary<string, string?>.Empty
                        : ImmutableDictionary<string, string?>.Empty.Add(ScopeStartProperty, openedAt.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    report(Diagnostic.Create(
                        Descriptors.AwaitInsideGradScope,
                        keyword.GetLocation(),
                        properties,
                        AwaitSites.KindText(keyword),
                        where,
                        consequence));
                }
            }
        }

        /// <summary>
        /// What goes wrong when the method resumes on another thread (measured, see the rule page); null when the scope
        /// changes nothing there: a grad-on scope opened where autograd was on, or a mode the flow does not know.
        /// </summary>
        private static string? Consequence(AwaitPoint point)
        {
            if (point.Grad.IsOff)
            {
                return point.Grad.Flags == GradFlags.Inference
                    ? "the code after it may resume on another thread outside inference mode, with autograd recording, and the thread that opened the scope stays in inference mode"
                    : "the code after it may resume on another thread with autograd recording, and the thread that opened the scope keeps autograd off";
            }

            // A grad-on scope harms the thread it resumes on only when the last Dispose there restores "off": every open
            // scope of this body saved "off" (a grad-on scope inside a no_grad of the same body ends with the no_grad's
            // restore of "on", measured harmless on a healthy thread pool).
            if (point.Grad.Flags == GradFlags.Enabled)
            {
                foreach (var saved in point.OpenScopes.Values)
                {
                    if (!saved.IsOff)
                    {
                        return null;
                    }
                }

                return "the code after it may resume on another thread, and the scope's Dispose there switches autograd off on that thread";
            }

            return null;
        }

        private static string ScopeText(SyntaxNode call)
        {
            var text = call.ToString();
            return text.Length <= 60 && text.IndexOf('\n') < 0 ? text : "torch.…(…)";
        }
    }
}
