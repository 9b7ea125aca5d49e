using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers
{
    /// <summary>
    /// Every descriptor of the product. One helper builds them all, so that the help link is always the
    /// rule's page under <c>docs/rules/</c> and the wording rules (no final period) hold everywhere.
    /// </summary>
    public static class Descriptors
    {
        /// <summary>Where the rule pages are published; the page of rule X is <c>{HelpLinkBase}X.md</c>.</summary>
        public const string HelpLinkBase = "https://github.com/torchsharp-analyzers/torchsharp-analyzers/blob/main/docs/rules/";

        /// <summary>TORCH001: a module is used for inference while it may be in training mode.</summary>
        public static readonly DiagnosticDescriptor MissingEval = Create(
            DiagnosticIds.MissingEval,
            title: "Call eval() before using a module for inference",
            messageFormat: "'{0}' is used for inference while it may be in training mode ({1}): its Dropout stays active and BatchNorm overwrites its running statistics; call {0}.eval() first",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "eval() switches Dropout, BatchNorm and the other mode-dependent layers of a module and all its children to " +
                         "inference behaviour. no_grad does not: a module called for inference in training mode gives random, " +
                         "non-deterministic outputs and silently overwrites BatchNorm's running statistics.");

        /// <summary>TORCH002: an inference forward pass runs with autograd recording.</summary>
        public static readonly DiagnosticDescriptor MissingNoGrad = Create(
            DiagnosticIds.MissingNoGrad,
            title: "Run inference inside a no_grad scope",
            messageFormat: "'{0}' runs inference with autograd recording ({1}): every activation is kept for a backward pass that never comes; wrap it in 'using (torch.no_grad())'",
            category: DiagnosticCategories.Performance,
            severity: DiagnosticSeverity.Warning,
            description: "eval() does not stop autograd. An inference forward pass outside torch.no_grad() or torch.inference_mode() " +
                         "records a graph and keeps every intermediate activation alive: measured, 518 MB instead of 37 MB for one " +
                         "forward pass of a 16-layer network.");

        /// <summary>TORCH006: the scope object of a grad-mode switch is discarded or not disposed on every path.</summary>
        public static readonly DiagnosticDescriptor UndisposedGradModeScope = Create(
            DiagnosticIds.UndisposedGradModeScope,
            title: "Dispose the scope returned by a grad-mode switch",
            messageFormat: "The scope returned by '{0}' is {1}, so {2} for the rest of the thread",
            category: DiagnosticCategories.Reliability,
            severity: DiagnosticSeverity.Warning,
            description: "torch.no_grad(), torch.enable_grad(), torch.set_grad_enabled() and torch.inference_mode() change a " +
                         "thread-wide mode and return an IDisposable that restores the previous mode. If it is never disposed, " +
                         "the mode stays changed for the rest of the thread: a discarded torch.inference_mode() keeps the thread in " +
                         "inference mode even after a full garbage collection. Use a using statement or a using declaration.");

        private static DiagnosticDescriptor Create(
            string id,
            string title,
            string messageFormat,
            string category,
            DiagnosticSeverity severity,
            string description)
            => new DiagnosticDescriptor(
                id,
                title,
                messageFormat,
                category,
                severity,
                isEnabledByDefault: true,
                description: description,
                helpLinkUri: HelpLinkBase + id + ".md");
    }
}
