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

    /// <summary>Whether a module holds parameters, i.e. whether a forward pass through it records a graph on any input.</summary>
    internal enum ParameterComposition
    {
        /// <summary>No layer inside has parameters (ReLU, GELU, Softmax, Dropout, Flatten, pooling, Identity …).</summary>
        None,

        /// <summary>Some layer inside has parameters (Linear, Conv, BatchNorm, Embedding, PReLU …).</summary>
        Some,

        /// <summary>What is inside cannot be known statically.</summary>
        Unknown,
    }

    /// <summary>Which mode-dependent layers a module holds, for the messages of the mode rules.</summary>
    [System.Flags]
    internal enum ModeDependentKinds
    {
        /// <summary>None is known to be there.</summary>
        None = 0,

        /// <summary>A Dropout variant.</summary>
        Dropout = 1,

        /// <summary>A BatchNorm (running statistics).</summary>
        BatchNorm = 2,

        /// <summary>An InstanceNorm (running statistics when it tracks them).</summary>
        InstanceNorm = 4,

        /// <summary>A recurrent or attention layer (its dropout argument).</summary>
        DropoutArgument = 8,
    }
}
