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
            messageFormat: "'{0}' is used for inference while it may be in training mode ({1}): {2}; call {0}.eval() first",
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

        /// <summary>TORCH003: an optimizer is built over frozen parameters.</summary>
        public static readonly DiagnosticDescriptor OptimizerOverFrozenParameters = Create(
            DiagnosticIds.OptimizerOverFrozenParameters,
            title: "Build optimizers over trainable parameters only",
            messageFormat: "'{0}' is built over the parameters of '{1}', {2}",
            category: DiagnosticCategories.Performance,
            severity: DiagnosticSeverity.Warning,
            description: "TorchSharp optimizers allocate their state eagerly for every parameter they are given, frozen or not. " +
                         "Measured: Adam over a model with two frozen 4096x4096 layers took +264 MB at construction, +8 MB over " +
                         "the trainable parameters only. Over parameters that are all frozen, the optimizer trains nothing.");

        /// <summary>TORCH004: parameters unfrozen after the optimizer was built over the trainable ones only.</summary>
        public static readonly DiagnosticDescriptor UnfrozenAfterOptimizer = Create(
            DiagnosticIds.UnfrozenAfterOptimizer,
            title: "Give the optimizer the parameters you unfreeze",
            messageFormat: "Parameters of '{0}' are unfrozen after optimizer '{1}' (line {2}) was built over its trainable parameters only: {3}; add them with {1}.add_param_group(..) or build a new optimizer",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "TorchSharp optimizers re-enumerate the parameter sequence they were given at every step() and look up " +
                         "state created at construction. Over a lazy Where(p => p.requires_grad), a parameter unfrozen later " +
                         "makes the next step() throw KeyNotFoundException; over a materialized list, it is silently never updated.");

        /// <summary>TORCH005: a training step may run while the module is in eval mode.</summary>
        public static readonly DiagnosticDescriptor MissingTrain = Create(
            DiagnosticIds.MissingTrain,
            title: "Call train() before a training step",
            messageFormat: "'{0}' computes a loss for a training step while it may be in eval mode ({1}): {2} while training; call {0}.train() at the start of the training region",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "eval() stays in force until train() is called. A validation pass between epochs leaves the model in eval " +
                         "mode, and the next epoch trains with Dropout switched off and BatchNorm normalising with running " +
                         "statistics instead of batch statistics.");

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

        /// <summary>TORCH007: backward() runs where autograd is off.</summary>
        public static readonly DiagnosticDescriptor BackwardWithoutGrad = Create(
            DiagnosticIds.BackwardWithoutGrad,
            title: "Do not call backward() where autograd is off",
            messageFormat: "backward() runs {0}: nothing was recorded, so it throws 'element 0 of tensors does not require grad and does not have a grad_fn'",
            category: DiagnosticCategories.Reliability,
            severity: DiagnosticSeverity.Warning,
            description: "Inside torch.no_grad(), torch.inference_mode() or set_grad_enabled(false) no graph is recorded, so a " +
                         "backward() there always fails at run time. Move the backward() out of the scope, or open " +
                         "torch.enable_grad() around the code that needs gradients.");

        /// <summary>TORCH008: a module field of a custom module is not registered as a submodule.</summary>
        public static readonly DiagnosticDescriptor UnregisteredSubmodule = Create(
            DiagnosticIds.UnregisteredSubmodule,
            title: "Register the submodules of a custom module",
            messageFormat: "'{0}' is not registered as a submodule of '{1}' ({2}): eval(), train() and parameters() do not reach it",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "RegisterComponents() registers the module fields that are non-null at its first call on the object; later " +
                         "calls do nothing, and List<>, array, dictionary and static fields are never registered. An unregistered " +
                         "submodule stays in training mode after eval() and its parameters are missing from parameters(), so an " +
                         "optimizer never trains them. Call RegisterComponents() at the end of the constructor, register late fields " +
                         "with register_module(), and hold lists of modules in a ModuleList.");

        /// <summary>TORCH009: an await inside a grad-mode scope.</summary>
        public static readonly DiagnosticDescriptor AwaitInsideGradScope = Create(
            DiagnosticIds.AwaitInsideGradScope,
            title: "Do not await inside a grad-mode scope",
            messageFormat: "'{0}' inside {1}: grad mode is per thread, so {2}; end the scope before the await and reopen it after",
            category: DiagnosticCategories.Reliability,
            severity: DiagnosticSeverity.Warning,
            description: "no_grad(), inference_mode() and set_grad_enabled() switch the mode of the current thread, and the scope's " +
                         "Dispose restores it on whichever thread disposes it. Without a single-threaded synchronization context, the " +
                         "code after an await resumes on a thread-pool thread: measured, it ran with autograd recording, and the thread " +
                         "that opened the scope was left with autograd off; a thread pool serving such calls had 2-3 of 16-17 threads with " +
                         "autograd off and 6-8 of 400 later backward() calls failed.");

        /// <summary>TORCH010: a module's forward(..) is called directly, bypassing its forward hooks and pre-hooks.</summary>
        public static readonly DiagnosticDescriptor DirectForward = Create(
            DiagnosticIds.DirectForward,
            title: "Call call(..), not forward(..), to run a module",
            messageFormat: "'{0}' runs forward(..) directly: {1}; call {0}.call(..) instead",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "TorchSharp runs a module's forward pre-hooks and hooks in call(..) only; forward(..) is the bare logic. " +
                         "Measured on 0.107.0: a Linear with four hooks ran none of them through forward(..) and all four through " +
                         "call(..), and a hook that replaced the output changed the result only through call(..). Without hooks, " +
                         "call(..) costs about 0.1 microseconds more. Reported as a warning when the compilation registers hooks, " +
                         "silent otherwise.");

        /// <summary>TORCH011: gradients never cleared between steps, or cleared between backward() and step().</summary>
        public static readonly DiagnosticDescriptor GradientsNotCleared = Create(
            DiagnosticIds.GradientsNotCleared,
            title: "Clear gradients once per training step, before backward()",
            messageFormat: "'{0}.step()' {1}; {2}",
            category: DiagnosticCategories.Correctness,
            severity: DiagnosticSeverity.Warning,
            description: "backward() adds to each parameter's .grad and step() does not clear it. Without zero_grad() on every " +
                         "iteration, step N uses the sum of the gradients of steps 1..N (measured: N times the true gradient; SGD's " +
                         "weights moved 8x as far in 20 steps). A zero_grad() between backward() and step() throws the new " +
                         "gradients away: measured, the weights never changed.");

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
