namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>Whether switching a module between train and eval changes what it computes.</summary>
    internal enum ModuleComposition
    {
        /// <summary>Nothing inside depends on the mode (Linear, Conv, ReLU, Embedding, LayerNorm …): eval() changes nothing.</summary>
        ModeIndependent,

        /// <summary>Contains Dropout, BatchNorm/InstanceNorm, recurrent or attention layers with dropout: the mode matters.</summary>
        ModeDependent,

        /// <summary>What is inside cannot be known statically (a base type, a module of another assembly, a loaded script).</summary>
        Unknown,
    }
}
