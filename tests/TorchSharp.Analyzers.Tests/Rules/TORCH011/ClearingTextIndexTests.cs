using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Rules.Training;
using Xunit;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH011
{
    /// <summary>
    /// The clearing pattern matched once per file answers, for every method, what matching the method's own text answered:
    /// a match counts only inside the method's span, a write of <c>grad</c> needs a character after the <c>=</c>, and
    /// <c>==</c> is a comparison.
    /// </summary>
    public class ClearingTextIndexTests
    {
        private const string Source = @"
class C
{
    void ZeroGrad(object optimizer) { /* optimizer.zero_grad() */ }
    void ZeroInPlace(dynamic p) { p.grad.zero_ (); }
    void WritesGrad(dynamic p) { p.grad = null; }
    bool ComparesGrad(dynamic p) => p.grad == null;
    void Other(dynamic p) { p.step(); }
    void Tail(dynamic p) => p.mygrad = 1;
}";

        [Theory]
        [InlineData("ZeroGrad", true)]
        [InlineData("ZeroInPlace", true)]
        [InlineData("WritesGrad", true)]
        [InlineData("ComparesGrad", false)]
        [InlineData("Other", false)]
        [InlineData("Tail", false)]
        public void AnswersAsTheMethodsOwnText(string method, bool clears)
        {
            var tree = CSharpSyntaxTree.ParseText(Source);
            var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == method);

            Assert.Equal(clears, ClearingTextIndex.Clears(declaration));
        }

        [Fact]
        public void AMatchInTheNextMemberDoesNotCount()
        {
            var tree = CSharpSyntaxTree.ParseText("class C { void A() { } void B(dynamic o) { o.zero_grad(); } }");
            var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();

            Assert.False(ClearingTextIndex.Clears(methods[0]));
            Assert.True(ClearingTextIndex.Clears(methods[1]));
            Assert.True(ClearingTextIndex.Clears(tree.GetRoot()));
        }
    }
}
