namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>The TorchSharp calls the mode flow reacts to.</summary>
    internal enum TorchCallKind
    {
        /// <summary>Nothing the flow cares about.</summary>
        None,

        /// <summary><c>module.eval()</c></summary>
        Eval,

        /// <summary><c>module.train(bool on = true)</c></summary>
        Train,

        /// <summary><c>module.call(..)</c> or <c>module.forward(..)</c> of <c>Module&lt;…&gt;</c>: a forward pass.</summary>
        Forward,

        /// <summary><c>tensor.backward(..)</c> or <c>torch.autograd.backward(..)</c>.</summary>
        Backward,

        /// <summary><c>optimizer.step()</c>.</summary>
        OptimizerStep,

        /// <summary>A TorchSharp factory that creates a module (<c>nn.Linear(..)</c>, <c>nn.Sequential(..)</c> …).</summary>
        ModuleFactory,

        /// <summary>A TorchSharp instance method of a module that returns the module itself (<c>load</c>, <c>to</c>, <c>cpu</c> …).</summary>
        FluentModuleMethod,
    }
}
