using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// Answers "can the value that one creation stored into a local reach the end of the function, or be
    /// overwritten, without being disposed?" along the control flow. The state is one bit: the created value may
    /// still be live and undisposed in the local. It is set by the creating assignment and cleared by
    /// <c>Dispose()</c> on the local (directly, through <c>?.</c> or <c>using (local)</c>), on an edge where the local
    /// is known to be null, and when the value leaves the local's hands (returned, passed to a method, stored elsewhere):
    /// from there on the receiver owns it. Only normal completion counts; paths that throw are not followed.
    /// </summary>
    internal sealed class LocalDisposalFlow : ForwardDataflow<bool>
    {
        private readonly ILocalSymbol _local;
        private readonly SyntaxNode _creation;
        private readonly HashSet<CaptureId> _captures = new HashSet<CaptureId>();

        private LocalDisposalFlow(ControlFlowGraph graph, ILocalSymbol local, SyntaxNode creation)
            : base(graph, EqualityComparer<bool>.Default)
        {
            _local = local;
            _creation = creation;
            CollectCapturesOfLocal();
        }

        /// <summary>Whether some normal path overwrote the local while the created value was still undisposed.</summary>
        public bool Overwritten { get; private set; }

        /// <summary>
        /// Whether the value created at <paramref name="creation"/> and stored into <paramref name="local"/> may stay
        /// undisposed on some normal path of <paramref name="graph"/>.
        /// </summary>
        public static bool MayLeak(ControlFlowGraph graph, ILocalSymbol local, SyntaxNode creation)
        {
            var flow = new LocalDisposalFlow(graph, local, creation);
            var exit = flow.Run(false);
            return (exit.Reached && exit.State) || flow.Overwritten;
        }

        protected override bool Join(bool left, bool right) => left || right;

        protected override bool Transfer(IOperation operation, bool live)
        {
            foreach (var current in operation.DescendantsAndSelf())
            {
                switch (current)
                {
                    case ISimpleAssignmentOperation assignment when RefersToLocal(assignment.Target):
                        Overwritten |= live;
                        live = assignment.Value.SkipConversions().Syntax == _creation;
                        break;

                    case IInvocationOperation invocation when invocation.Instance != null && IsDispose(invocation.TargetMethod) && RefersToLocal(invocation.Instance):
                        live = false;
                        break;

                    case ILocalReferenceOperation _:
                    case IFlowCaptureReferenceOperation _:
                        if (RefersToLocal(current) && HandsOwnershipAway(current))
                        {
                            live = false;
                        }

                        break;
                }
            }

            return live;
        }

        protected override bool TransferBranch(BasicBlock source, ControlFlowBranch branch, bool live)
            => live && NullTests.IsNullOnEdge(source, branch, RefersToLocal) != true;

        private static bool IsDispose(IMethodSymbol method)
            => method.Name == nameof(System.IDisposable.Dispose) && method.Parameters.Length == 0 && method.ReturnsVoid;

        private bool RefersToLocal(IOperation operation)
        {
            switch (operation.SkipConversions())
            {
                case ILocalReferenceOperation reference:
                    return SymbolEqualityComparer.Default.Equals(reference.Local, _local);
                case IFlowCaptureReferenceOperation capture:
                    return _captures.Contains(capture.Id);
                default:
                    return false;
            }
        }

        /// <summary>
        /// Whether a read of the local gives the value away: anything but calling a member on it, comparing it,
        /// testing it, or capturing it for the graph's own bookkeeping. Giving away is a transfer of ownership,
        /// so the analysis stops asking for disposal (precision first).
        /// </summary>
        private static bool HandsOwnershipAway(IOperation reference)
        {
            var consumer = reference.ConsumerOf(out var consumed);
            switch (consumer)
            {
                case null:
                    // A block's branch value: the value is returned (or thrown) out of the function.
                    return true;
                case IInvocationOperation invocation:
                    return invocation.Instance != consumed;
                case IMemberReferenceOperation member:
                    return member.Instance != consumed;
                case ISimpleAssignmentOperation assignment:
                    return assignment.Target != consumed;
                case IFlowCaptureOperation _:
                case IIsNullOperation _:
                case IBinaryOperation _:
                case IUnaryOperation _:
                case IIsPatternOperation _:
                case IIsTypeOperation _:
                case INameOfOperation _:
                    return false;
                default:
                    return true;
            }
        }

        private void CollectCapturesOfLocal()
        {
            // Captures form chains (a capture of a capture of the local); repeat until nothing new is found.
            bool added;
            do
            {
                added = false;
                foreach (var block in Graph.Blocks)
                {
                    foreach (var operation in block.Operations)
                    {
                        foreach (var current in operation.DescendantsAndSelf())
                        {
                            if (current is IFlowCaptureOperation capture && !_captures.Contains(capture.Id) && RefersToLocal(capture.Value))
                            {
                                _captures.Add(capture.Id);
                                added = true;
                            }
                        }
                    }
                }
            }
            while (added);
        }
    }
}
