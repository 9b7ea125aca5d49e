using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What one walk over an operation block (a member body with its lambdas and local functions) finds, shared by every
    /// rule: each rule asks these cheap facts first and requests the block's control-flow graph and mode flow only when
    /// it could report there.
    /// </summary>
    internal sealed class BlockFacts
    {
        /// <summary>A forward pass whose mode is this code's business: not through a submodule of <c>this</c> in a module class, not inside a module's own forward, not a loss.</summary>
        public bool OwnForwardPass { get; private set; }

        /// <summary>
        /// Whether <paramref name="proved"/> holds for every forward pass this code owns (see <see cref="OwnForwardPass"/>):
        /// a rule whose silence is proved at each of them needs no flow.
        /// </summary>
        public bool EveryOwnPass(System.Func<IInvocationOperation, bool> proved)
        {
            foreach (var pass in _ownPasses)
            {
                if (!proved(pass))
                {
                    return false;
                }
            }

            return true;
        }

        private readonly System.Collections.Generic.List<IInvocationOperation> _ownPasses = new System.Collections.Generic.List<IInvocationOperation>();

        /// <summary>
        /// A forward pass through a submodule of <c>this</c> in a module's method other than its own forward: the module's
        /// mode is the caller's there, but the grad mode of an inference method of the module is its own (TORCH002).
        /// </summary>
        public bool SubmodulePass => _submodulePasses.Count != 0;

        /// <summary>Whether <paramref name="proved"/> holds for every pass of <see cref="SubmodulePass"/>.</summary>
        public bool EverySubmodulePass(System.Func<IInvocationOperation, bool> proved)
        {
            foreach (var pass in _submodulePasses)
            {
                if (!proved(pass))
                {
                    return false;
                }
            }

            return true;
        }

        private readonly System.Collections.Generic.List<IInvocationOperation> _submodulePasses = new System.Collections.Generic.List<IInvocationOperation>();

        /// <summary>A <c>backward()</c> call.</summary>
        public bool Backward { get; private set; }

        /// <summary>An optimizer's <c>step()</c>.</summary>
        public bool OptimizerStep { get; private set; }

        /// <summary>An optimizer built over a module's <c>parameters()</c> as they are (TORCH003's concern).</summary>
        public bool UnfilteredOptimizer { get; private set; }

        /// <summary>An optimizer built over the trainable parameters only (<c>.Where(p => p.requires_grad)</c>; TORCH004's concern).</summary>
        public bool FilteredOptimizer { get; private set; }

        /// <summary>A freeze the flow applies: <c>requires_grad</c> written <c>false</c> (<c>p.requires_grad = false</c>, <c>p.requires_grad_(false)</c>).</summary>
        public bool Freezes { get; private set; }

        /// <summary>An unfreeze the flow applies: <c>requires_grad</c> written <c>true</c>.</summary>
        public bool Unfreezes { get; private set; }

        /// <summary>
        /// The methods and constructors of this compilation the block hands a module to (as receiver or argument): the
        /// flow applies their summaries, which may freeze or unfreeze it (<see cref="FreezeReach"/>).
        /// </summary>
        public System.Collections.Generic.IReadOnlyList<IMethodSymbol> ModuleHandOffs => _handOffs;

        private readonly System.Collections.Generic.List<IMethodSymbol> _handOffs = new System.Collections.Generic.List<IMethodSymbol>();

        /// <summary>A lambda or local function, whose flow is analysed apart from the body's.</summary>
        public bool NestedFunctions { get; private set; }

        /// <summary>An <c>await</c>, <c>await foreach</c> or <c>await using</c> (TORCH009's concern).</summary>
        public bool Awaits { get; private set; }

        /// <summary>The member's syntax calls a grad switch (no_grad, inference_mode …) or a helper of this compilation that does.</summary>
        public bool MaySwitchGrad { get; private set; }

        /// <summary>The facts of a block whose text holds none of them (<see cref="ModeFlowEngine.FactsOf"/>): nothing to gate on.</summary>
        public static BlockFacts None { get; } = new BlockFacts();

        public static BlockFacts Of(ISymbol owner, System.Collections.Immutable.ImmutableArray<IOperation> blocks, ModeFlowEngine engine)
        {
            var symbols = engine.Symbols;
            var isOwnForward = owner is IMethodSymbol { Name: TorchNames.Forward } method && symbols.IsModule(method.ContainingType);
            var isModuleMember = !owner.IsStatic && symbols.IsModule(owner.ContainingType);
            var facts = new BlockFacts { MaySwitchGrad = !blocks.IsEmpty && engine.MaySwitchGrad(blocks[0].Syntax) };
            foreach (var block in blocks)
            {
                facts.Walk(block, symbols, engine, isOwnForward, isModuleMember);
            }

            return facts;
        }

        // Recursion over ChildOperations (a struct enumerator): every block of the compilation is walked once, so the
        // walk allocates nothing per operation.
        private void Walk(IOperation operation, TorchSymbols symbols, ModeFlowEngine engine, bool isOwnForward, bool isModuleMember)
        {
            // By kind (one virtual call), not by interface type tests: this runs for every operation of every body.
            switch (operation.Kind)
            {
                case OperationKind.Invocation:
                    Add((IInvocationOperation)operation, symbols, engine, isOwnForward, isModuleMember);
                    break;
                case OperationKind.ObjectCreation:
                    AddCreation((IObjectCreationOperation)operation, symbols);
                    break;
                case OperationKind.SimpleAssignment:
                    AddWrite(operation);
                    break;
                case OperationKind.AnonymousFunction:
                case OperationKind.LocalFunction:
                    NestedFunctions = true;
                    break;
                case OperationKind.Await:
                    Awaits = true;
                    break;
                case OperationKind.Loop:
                    Awaits |= operation is IForEachLoopOperation { IsAsynchronous: true };
                    break;
                case OperationKind.Using:
                    Awaits |= operation is IUsingOperation { IsAsynchronous: true };
                    break;
                case OperationKind.UsingDeclaration:
                    Awaits |= operation is IUsingDeclarationOperation { IsAsynchronous: true };
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                Walk(child, symbols, engine, isOwnForward, isModuleMember);
            }
        }

        private void Add(IInvocationOperation invocation, TorchSymbols symbols, ModeFlowEngine engine, bool isOwnForward, bool isModuleMember)
        {
            var target = invocation.TargetMethod;
            if (target.Name == TorchNames.RequiresGradSetter)
            {
                AddWrite(invocation);
            }

            if (target.IsInSource(symbols.Compilation) && symbols.HandsModuleToOtherCode(invocation))
            {
                _handOffs.Add(target.OriginalDefinition);
            }

            switch (symbols.Classify(invocation.TargetMethod))
            {
                case TorchCallKind.Forward:
                    if (isOwnForward || (invocation.Instance?.Type is { } receiver && engine.Composition.IsLoss(receiver)))
                    {
                        break;
                    }

                    if (isModuleMember && ForwardReceivers.IsSubmoduleOfThis(invocation))
                    {
                        _submodulePasses.Add(invocation);
                    }
                    else
                    {
                        OwnForwardPass = true;
                        _ownPasses.Add(invocation);
                    }

                    break;
                case TorchCallKind.Backward:
                    Backward = true;
                    break;
                case TorchCallKind.OptimizerStep:
                    OptimizerStep = true;
                    break;
                default:
                    if (symbols.IsOptimizerCreation(invocation))
                    {
                        AddOptimizer(invocation.Arguments, symbols);
                    }

                    break;
            }
        }

        private void AddCreation(IObjectCreationOperation creation, TorchSymbols symbols)
        {
            if (symbols.IsOptimizerCreation(creation))
            {
                AddOptimizer(creation.Arguments, symbols);
            }
            else if (creation.Constructor is { } constructor && constructor.IsInSource(symbols.Compilation) && symbols.AnyModuleArgument(creation.Arguments))
            {
                _handOffs.Add(constructor.OriginalDefinition);
            }
        }

        // The flow freezes or unfreezes only where requires_grad is written a constant (FreezeSites).
        private void AddWrite(IOperation operation)
        {
            if (FreezeSites.RequiresGradWrite(operation) is (_, bool value))
            {
                Freezes |= !value;
                Unfreezes |= value;
            }
        }

        private void AddOptimizer(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, TorchSymbols symbols)
        {
            if (arguments.IsEmpty)
            {
                return;
            }

            foreach (var (_, input) in OptimizerInputs.Of(arguments[0].Value, symbols))
            {
                UnfilteredOptimizer |= input == OptimizerInput.Unfiltered;
                FilteredOptimizer |= input != OptimizerInput.Unfiltered;
            }
        }
    }

    /// <summary>Who decides the mode of a forward pass's module.</summary>
    internal static class ForwardReceivers
    {
        /// <summary>
        /// Whether the pass runs a field or property of <c>this</c>: its mode follows the owner's
        /// (docs/architecture.md, "Analysis semantics").
        /// </summary>
        public static bool IsSubmoduleOfThis(IInvocationOperation pass)
            => pass.Instance?.SkipConversions() is IMemberReferenceOperation { Instance: IInstanceReferenceOperation _ };
    }
}
