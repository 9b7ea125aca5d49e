namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// The words of TORCH011's message, argument by argument; the runtime monitor (<c>MonitorRules</c>) says the same.
    /// </summary>
    internal static class GradientWording
    {
        public const string NeverClearedWhat =
            "uses gradients that still hold those of its previous step: nothing calls zero_grad() between the two steps, and backward() adds to .grad";

        public const string ClearedBeforeStepWhat =
            "runs on gradients that zero_grad() cleared after the backward() that computed them: that backward() is thrown away";

        public const string ClearedBeforeStepFix = "call zero_grad() before backward() or after step(), not between them";

        public static string NeverClearedFix(string optimizer) => "call " + optimizer + ".zero_grad() at the start of each iteration";
    }
}
