using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingEvalAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>
    /// A private <c>ModuleList</c> field that only its class fills (<c>layers.Add(new Block(..))</c>, the decoder stacks of
    /// public LLaMA ports) is known by what is added: blocks without a mode-dependent layer make eval() change nothing
    /// (silent); a block with a Dropout is reported; a list other code can reach, or one handed away, stays unknown.
    /// </summary>
    public class ContainerFieldContentsTests
    {
        private static string Code(string blockLayers, string layersDeclaration, string extra = "") => @"
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Block : nn.Module<Tensor, Tensor>
{
" + blockLayers + @"
    public Block() : base(nameof(Block)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _fc.call(x);
}

class Stack : nn.Module<Tensor, Tensor>
{
    " + layersDeclaration + @"
    public Stack(int depth) : base(nameof(Stack))
    {
        for (var i = 0; i < depth; i++)
        {
            this.layers.Add(new Block());
        }
" + extra + @"
        RegisterComponents();
    }
    public override Tensor forward(Tensor x)
    {
        foreach (var layer in layers)
        {
            x = layer.call(x);
        }
        return x;
    }
}

class Generator
{
    public Tensor Generate(Tensor x)
    {
        var model = new Stack(4);
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }
}
";

        private const string Plain = "    private readonly Linear _fc = nn.Linear(4, 4);";

        private const string WithDropout = "    private readonly Linear _fc = nn.Linear(4, 4);\n    private readonly Dropout _drop = nn.Dropout(0.1);";

        private const string PrivateList = "private readonly ModuleList<nn.Module<Tensor, Tensor>> layers = nn.ModuleList<nn.Module<Tensor, Tensor>>();";

        /// <summary>The finding at the generator's forward pass; the line of its creation is read from the code.</summary>
        private static DiagnosticResult Expect(string code, string consequence)
        {
            var line = code.Substring(0, code.IndexOf("var model = new Stack(4);", System.StringComparison.Ordinal)).Split('\n').Length;
            return Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(0).WithArguments("model", "created at line " + line, consequence);
        }

        private static Task Reports(string code, string consequence) => Verify.VerifyAnalyzerAsync(code, Expect(code, consequence));

        [Fact]
        public Task PrivateListOfPlainBlocks_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(Plain, PrivateList));

        [Fact]
        public Task PrivateListWithADropoutBlock_Reports()
            => Reports(Code(WithDropout, PrivateList), "its Dropout stays active");

        [Fact]
        public Task PublicList_StaysUnknown_Reports()
            => Reports(Code(Plain, PrivateList.Replace("private readonly", "public readonly")), MissingEvalDiagnosticsTests.UnknownInTraining);

        [Fact]
        public Task ListHandedToAMethod_StaysUnknown_Reports()
            => Reports(
                Code(Plain, PrivateList, "        Fill(layers);\n").Replace("    public override Tensor forward(Tensor x)\n    {", "    private static void Fill(ModuleList<nn.Module<Tensor, Tensor>> list) => list.append(nn.Dropout(0.5));\n    public override Tensor forward(Tensor x)\n    {"),
                MissingEvalDiagnosticsTests.UnknownInTraining);
    }
}
