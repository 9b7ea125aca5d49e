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
