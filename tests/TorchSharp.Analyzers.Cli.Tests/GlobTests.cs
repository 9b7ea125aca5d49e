using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    public sealed class GlobTests
    {
        [Theory]
        [InlineData("*.cs", "A.cs", true)]
        [InlineData("*.cs", "deep/er/A.cs", true)]
        [InlineData("sub/*.cs", "sub/A.cs", true)]
        [InlineData("sub/*.cs", "sub/x/A.cs", false)]
        [InlineData("sub/**", "sub/x/A.cs", true)]
        [InlineData("**/Test*.cs", "TestA.cs", true)]
        [InlineData("**/Test*.cs", "a/b/TestA.cs", true)]
        [InlineData("**/Test*.cs", "a/b/MyTestA.cs", false)]
        [InlineData("A?.cs", "AB.cs", true)]
        [InlineData("A?.cs", "A/.cs", false)]
        [InlineData("Models/", "Models/A.cs", false)]
        public void Matches(string pattern, string path, bool expected)
            => Assert.Equal(expected, new Glob(pattern).IsMatch(path));
    }
}
