using Xunit;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// The tests that pack: the analyzer package and the tool both build the analyzers and code fixes in Release, so
    /// their packs must not run at the same time (two builds writing the same bin/obj).
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class PackingCollection
    {
        public const string Name = "packing";
    }
}
