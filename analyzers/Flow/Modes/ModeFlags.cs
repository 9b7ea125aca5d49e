using System;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What a module's train/eval mode may be at a program point: a set, so that a merge of two paths keeps
    /// "may be Train" and "may be Eval" apart from "is Train".
    /// </summary>
    [Flags]
    internal enum ModeFlags
    {
        None = 0,

        /// <summary>In training mode: created in the flow (modules start in Train), or <c>train()</c> was called.</summary>
        Train = 1,

        /// <summary>In eval mode: <c>eval()</c> or <c>train(false)</c> was called.</summary>
        Eval = 2,

        /// <summary>
        /// As it entered the function (a parameter or a field) and nothing on this path set it: who puts it into eval mode
        /// is a question for the callers or the class, which the engine answers separately.
        /// </summary>
        Entry = 4,

        /// <summary>Handed to code the engine cannot see, or set from a value it cannot read: anything is possible.</summary>
        Unknown = 8,
    }

    /// <summary>What autograd does at a program point; a set for the same reason as <see cref="ModeFlags"/>.</summary>
    [Flags]
    internal enum GradFlags
    {
        None = 0,

        /// <summary>Recording: the default, or inside <c>enable_grad()</c>.</summary>
        Enabled = 1,

        /// <summary>Inside <c>no_grad()</c>, <c>set_grad_enabled(false)</c> or <c>enable_grad(false)</c>.</summary>
        Disabled = 2,

        /// <summary>Inside <c>inference_mode()</c>.</summary>
        Inference = 4,

        /// <summary>As the function was entered: the callers decide (by default recording).</summary>
        Entry = 8,

        /// <summary>Cannot be known (a switch with a non-constant argument, or the body of a lambda).</summary>
        Unknown = 16,
    }
}
