using Xunit;

namespace TorchSharp.Analyzers.Cli.Tests
{
    public sealed class UnifiedDiffTests
    {
        [Fact]
        public void EqualTexts_NoDiff()
            => Assert.Equal(string.Empty, UnifiedDiff.Create("a.cs", "x\ny\n", "x\ny\n"));

        [Fact]
        public void ReplacedLine_RemovalBeforeAddition_WithContextAndHeader()
        {
            var diff = UnifiedDiff.Create("a.cs", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n");

            Assert.Equal("--- a/a.cs\n+++ b/a.cs\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", diff);
        }

        [Fact]
        public void InsertedLine_CountsOneAddition()
            => Assert.Equal((1, 0), UnifiedDiff.Count("a\nb\n", "a\nnew\nb\n"));
    }
}
