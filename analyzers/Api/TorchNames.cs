using System.Collections.Immutable;

namespace TorchSharp.Analyzers.Api
{
    /// <summary>
    /// The names of TorchSharp's members that the product recognises, in one place: the text tier looks for them in a
    /// file's words, the engine and the rules match them on bound symbols (always together with the symbol's type,
    /// <see cref="Symbols.TorchSymbols"/>), and the code fixes write them. Constants, so that patterns can use them.
    /// (docs/architecture.md, "The tiers".)
    /// </summary>
    internal static class TorchNames
    {
        // A forward pass: Module.call runs the hooks and forward; forward is what a module class overrides.
        public const string Call = "call";
        public const string Forward = "forward";

        // A module's mode: eval() and train(bool = true), applied to the module and every registered submodule.
        public const string Eval = "eval";
        public const string Train = "train";

        // Grad-mode switches: each returns a scope that restores the previous mode when disposed.
        public const string NoGrad = "no_grad";
        public const string EnableGrad = "enable_grad";
        public const string SetGradEnabled = "set_grad_enabled";
        public const string InferenceMode = "inference_mode";

        /// <summary>Every grad-mode switch, for the questions asked of the syntax before any binding.</summary>
        public static readonly ImmutableArray<string> GradSwitches = ImmutableArray.Create(NoGrad, EnableGrad, SetGradEnabled, InferenceMode);

        // A training step.
        public const string Backward = "backward";
        public const string Step = "step";
        public const string ZeroGrad = "zero_grad";

        // Freezing and unfreezing: the property and its fluent setter.
        public const string RequiresGrad = "requires_grad";
        public const string RequiresGradSetter = "requires_grad_";

        // Registration of submodules, parameters and buffers.
        public const string RegisterComponents = "RegisterComponents";
        public const string RegisterModule = "register_module";
        public const string AddModule = "add_module";
        public const string RegisterParameter = "register_parameter";
        public const string RegisterBuffer = "register_buffer";

        // Forward hooks (on HookableModule<,>): a hook runs inside forward, where a direct forward() call skips it.
        public const string RegisterForwardHook = "register_forward_hook";
        public const string RegisterForwardPreHook = "register_forward_pre_hook";

        /// <summary>Every forward-hook registration.</summary>
        public static readonly ImmutableArray<string> ForwardHookRegistrations = ImmutableArray.Create(RegisterForwardHook, RegisterForwardPreHook);

        // A module's parameters, as optimizers take them and as zero_grad() reaches them.
        public const string Parameters = "parameters";
        public const string NamedParameters = "named_parameters";

        // Disposal scopes: a scope declared with them is not a grad scope.
        public const string NewDisposeScope = "NewDisposeScope";
    }
}
