using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes.Domains
{
    /// <summary>
    /// The transfer of the grad-mode domain within one operation: a grad switch (or a helper returning one) puts its mode
    /// in force and saves the one before; the scope object stored into a capture or a local remembers it; its
    /// <c>Dispose()</c> restores it. A struct held by <see cref="ModeStep"/>: the switch and the store of its scope object
    /// are parts of one operation, and a transfer must not allocate per operation.
    /// </summary>
    internal struct GradTransfer
    {
        private GradFact? _pendingScope;
        private IInvocationOperation? _pendingScopeCall;

        /// <summary>A grad switch (or a helper that returns one) called at <paramref name="invocation"/> puts <paramref name="flags"/> in force.</summary>
        public void OpenScope(ModeStep step, IInvocationOperation invocation, GradFlags flags)
        {
            // The scope object goes into a capture (using statement) or a local (using declaration, or by hand);
            // its Dispose restores the mode saved here.
            _pendingScope = step.State.Grad.Current;
            _pendingScopeCall = invocation;
            step.State = step.State.With(grad: step.State.Grad.Switched(new GradFact(flags, invocation.Syntax)));
        }

        /// <summary>A value that is no module stored into <paramref name="storage"/>: when it is the scope object just opened, the storage now holds it.</summary>
        public void OnStore(ModeStep step, Storage storage, IOperation value)
        {
            // A grad-mode scope object stored here restores the mode it saved when disposed.
            if (_pendingScope is GradFact saved && value.SkipConversions() is IInvocationOperation scopeCall && scopeCall == _pendingScopeCall)
            {
                step.State = step.State.With(grad: step.State.Grad.Holding(storage, saved));
                _pendingScope = null;
            }
        }

        /// <summary>Whether <paramref name="invocation"/> disposes a scope the flow holds; if so, the mode it saved is back.</summary>
        public static bool TryDispose(ModeStep step, IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (invocation.Instance != null && method.Name == nameof(System.IDisposable.Dispose) && method.Parameters.IsEmpty
                && Storage.Referenced(invocation.Instance.SkipConversions()) is Storage disposed && step.State.Grad.Scopes.TryGetValue(disposed, out var restored))
            {
                step.State = step.State.With(grad: step.State.Grad.Disposed(disposed, restored));
                return true;
            }

            return false;
        }

        /// <summary>
        /// A grad-mode switch never returns null, so the edge where the graph's <c>using</c> lowering finds the scope
        /// object null is taken as if the object had been disposed: both edges then agree after the finally region.
        /// Null when the edge tests no scope the flow holds.
        /// </summary>
        public static ModeState? OnNullEdge(BasicBlock source, ControlFlowBranch branch, ModeState state)
        {
            if (state.Grad.Scopes.IsEmpty)
            {
                return null;
            }

            foreach (var scope in state.Grad.Scopes)
            {
                if (NullTests.IsNullOnEdge(source, branch, operand => Storage.Referenced(operand.SkipConversions()) is Storage tested && tested.Equals(scope.Key)) == true)
                {
                    return state.With(grad: state.Grad.Disposed(scope.Key, scope.Value));
                }
            }

            return null;
        }
    }
}
