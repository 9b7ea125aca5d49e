using System.Collections.Generic;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Api
{
    /// <summary>
    /// What the product knows of TorchSharp's layers (the classes of <c>TorchSharp.Modules</c>, matched by name on types
    /// declared in TorchSharp): which behave differently in train and eval mode, which have no parameters, and which
    /// are containers of other modules and how those are filled.
    /// </summary>
    internal static class TorchLayers
    {
        // Layers that behave differently in train and eval mode (docs/architecture.md, "Analysis semantics"). Recurrent
        // layers and attention count because their dropout argument is usually non-zero; TORCH001's page lists the
        // heuristic.
        public static readonly IReadOnlyDictionary<string, ModeDependentKinds> ModeDependent = new Dictionary<string, ModeDependentKinds>
        {
            ["Dropout"] = ModeDependentKinds.Dropout, ["Dropout1d"] = ModeDependentKinds.Dropout, ["Dropout2d"] = ModeDependentKinds.Dropout,
            ["Dropout3d"] = ModeDependentKinds.Dropout, ["AlphaDropout"] = ModeDependentKinds.Dropout, ["FeatureAlphaDropout"] = ModeDependentKinds.Dropout,
            ["BatchNorm"] = ModeDependentKinds.BatchNorm, ["BatchNorm1d"] = ModeDependentKinds.BatchNorm, ["BatchNorm2d"] = ModeDependentKinds.BatchNorm,
            ["BatchNorm3d"] = ModeDependentKinds.BatchNorm, ["NormBase"] = ModeDependentKinds.BatchNorm,
            ["InstanceNorm"] = ModeDependentKinds.InstanceNorm, ["InstanceNorm1d"] = ModeDependentKinds.InstanceNorm, ["InstanceNorm2d"] = ModeDependentKinds.InstanceNorm,
            ["InstanceNorm3d"] = ModeDependentKinds.InstanceNorm,
            ["RNN"] = ModeDependentKinds.DropoutArgument, ["LSTM"] = ModeDependentKinds.DropoutArgument, ["GRU"] = ModeDependentKinds.DropoutArgument,
            ["MultiheadAttention"] = ModeDependentKinds.DropoutArgument, ["Transformer"] = ModeDependentKinds.DropoutArgument,
            ["TransformerEncoder"] = ModeDependentKinds.DropoutArgument, ["TransformerDecoder"] = ModeDependentKinds.DropoutArgument,
            ["TransformerEncoderLayer"] = ModeDependentKinds.DropoutArgument, ["TransformerDecoderLayer"] = ModeDependentKinds.DropoutArgument,
        };

        // TorchSharp 0.107.0's layers without parameters (listed from its TorchSharp.Modules namespace): a forward pass
        // through them records no graph unless the input requires grad. Any other TorchSharp layer counts as having
        // parameters (InstanceNorm and LocalResponseNorm included only where they never have any).
        public static readonly ISet<string> ParameterFree = new HashSet<string>
        {
            "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d",
            "AvgPool1d", "AvgPool2d", "AvgPool3d", "MaxPool1d", "MaxPool2d", "MaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
            "LPPool1d", "LPPool2d", "FractionalMaxPool2d", "FractionalMaxPool3d",
            "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
            "CELU", "ELU", "GELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "LogSigmoid", "LogSoftmax",
            "Mish", "ReLU", "ReLU6", "RReLU", "SELU", "Sigmoid", "SiLU", "Softmax", "Softmax2d", "Softmin", "Softplus", "Softshrink",
            "Softsign", "Tanh", "Tanhshrink", "Threshold",
            "ChannelShuffle", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
            "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "ZeroPad2d",
            "CosineSimilarity", "PairwiseDistance", "Flatten", "Unflatten", "Fold", "Unfold", "Identity", "PixelShuffle", "PixelUnshuffle",
            "Upsample", "LocalResponseNorm",
        };

        /// <summary>Module containers: what they hold is registered with them.</summary>
        public static readonly ISet<string> Containers = new HashSet<string> { "Sequential", "ModuleList", "ModuleDict" };

        /// <summary>The methods that add one module to a container (<c>list.Add(m)</c>, <c>list.append(m)</c>).</summary>
        public static readonly ISet<string> ContainerAddsOne = new HashSet<string>(System.StringComparer.Ordinal) { "Add", "append", "insert" };

        /// <summary>The methods that fill a container from a collection of modules (<c>list.AddRange(ms)</c>, <c>extend</c>).</summary>
        public static readonly ISet<string> ContainerFillers = new HashSet<string> { "AddRange", "extend", "Extend", "append", "Append" };
    }
}
