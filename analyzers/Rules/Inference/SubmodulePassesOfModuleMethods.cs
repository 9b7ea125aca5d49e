using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow.Modes;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// Whether the submodule passes of one operation block (<see cref="BlockFacts.SubmodulePass"/>) are pieces of its
    /// module's forward pass — the block is <c>forward</c>, or a method <c>forward</c> calls — and so run in their caller's
    /// grad mode. Asked at most once per block, and only of blocks that hold such a pass: the answer reads the syntax of
    /// the module's forward.
    /// </summary>
    internal sealed class SubmodulePassesOfModuleMethods
    {
        private readonly OperationBlockAnalysisContext _context;
        private readonly ModeFlowEngine _engine;
        private bool? _arePiecesOfOwnForward;

        public SubmodulePassesOfModuleMethods(OperationBlockAnalysisContext context, ModeFlowEngine engine)
        {
            _context = context;
            _engine = engine;
        }

        public bool ArePiecesOfOwnForward
            => _arePiecesOfOwnForward ??= ForwardPassContext.IsPieceOfOwnForward(_context, _engine.Symbols);
    }
}
