using Xunit;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// Tests that run TorchSharp run one at a time: they seed the process-wide random generator and assert on
    /// exact numbers, which tests running alongside would disturb.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class TorchCollection
    {
        public const string Name = "TorchSharp";
    }
}
