using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// One inference forward pass that TORCH002 finds recording a graph (MissingNoGradAnalyzer.FindingsOf): where it is,
    /// the module as written and why it is inference; for a pass in a helper that some call runs inside a grad-disabled
    /// scope, that call and the calls proved to record, where the finding is reported instead (<see cref="ProtectedHelperCalls"/>).
    /// </summary>
    internal sealed class InferencePassFinding
    {
        public InferencePassFinding(IInvocationOperation pass, string moduleText, string why, SyntaxNode? protectedCall, ImmutableArray<SyntaxNode> unprotectedCalls)
        {
            Pass = pass;
            ModuleText = moduleText;
            Why = why;
            ProtectedCall = protectedCall;
            UnprotectedCalls = unprotectedCalls;
        }

        /// <summary>The forward pass (an operation of the flow graph: its syntax is the source's).</summary>
        public IInvocationOperation Pass { get; }

        /// <summary>The receiver of the pass as written.</summary>
        public string ModuleText { get; }

        /// <summary>Why the pass is inference: "it is in eval mode", "'Predict' is an inference method", ….</summary>
        public string Why { get; }

        /// <summary>A call of the pass's method that runs it inside a grad-disabled scope; null when no call does.</summary>
        public SyntaxNode? ProtectedCall { get; }

        /// <summary>With <see cref="ProtectedCall"/>: the calls proved to run the method with autograd on (never empty then).</summary>
        public ImmutableArray<SyntaxNode> UnprotectedCalls { get; }

        /// <summary>
        /// Whether the callers' convention is to protect the method, so that the finding belongs to the calls that break it
        /// (docs/rules/TORCH002.md, "Where it reports").
        /// </summary>
        public bool IsReportedAtCalls => ProtectedCall != null;
    }
}
