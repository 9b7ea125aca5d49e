using System;
using System.Threading;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    public sealed partial class TorchMonitor
    {
        /// <summary>
        /// Watches an async method for TORCH009: open it at the start of the method, before any grad-mode scope
        /// (<c>using var region = monitor.AsyncRegion("predict");</c>). Whenever the method is suspended at an
        /// <c>await</c> while the thread's grad mode or inference mode is not the one the region started with — a grad-mode
        /// scope is open across the await — the finding is reported when the method resumes, with the thread and the mode
        /// it resumed with. An await whose task is already complete does not suspend and is not reported.
        /// </summary>
        /// <remarks>
        /// It observes the suspensions through the change notifications of an <see cref="AsyncLocal{T}"/> that the region
        /// sets in the method's execution context: when the method is suspended, its thread goes back to the caller's
        /// context and the notification runs there, on the thread that is left, so its grad mode can be read.
        /// In <see cref="MonitorMode.Throw"/> mode the exception is thrown by the region's Dispose (a notification must not throw).
        /// </remarks>
        /// <param name="name">The name used in messages.</param>
        /// <returns>The region; dispose it at the end of the method.</returns>
        /// <exception cref="ObjectDisposedException">The monitor is disposed.</exception>
        public IDisposable AsyncRegion(string name = "async region")
        {
            ArgumentNullException.ThrowIfNull(name);
            ThrowIfDisposed();
            return new AsyncRegionWatch(this, name);
        }

        private sealed class AsyncRegionWatch : IDisposable
        {
            private readonly TorchMonitor _monitor;
            private readonly string _name;
            private readonly bool _startGrad;
            private readonly bool _startInference;
            private readonly AsyncLocal<AsyncRegionWatch?> _flow;
            private readonly object _gate = new object();
            // The n-th suspension pairs with the n-th resumption. Their notifications run on two threads and may arrive in
            // either order (the pool thread can resume the method before the suspending thread's notification runs): the
            // first half of a pair waits here for the other.
            private readonly System.Collections.Generic.Dictionary<int, (bool Grad, bool Inference, int Thread)> _suspensions
                = new System.Collections.Generic.Dictionary<int, (bool, bool, int)>();
            private readonly System.Collections.Generic.Dictionary<int, (bool Grad, bool Inference, int Thread)> _resumptions
                = new System.Collections.Generic.Dictionary<int, (bool, bool, int)>();
            private int _suspensionCount;
            private int _resumptionCount;
            private MonitorFinding? _finding;
            private bool _disposed;

            public AsyncRegionWatch(TorchMonitor monitor, string name)
            {
                _monitor = monitor;
                _name = name;
                _startGrad = torch.is_grad_enabled();
                _startInference = torch.is_inference_mode_enabled();
                _flow = new AsyncLocal<AsyncRegionWatch?>(OnFlowChanged) { Value = this };
            }

            public void Dispose()
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _flow.Value = null;
                MonitorFinding? finding;
                lock (_gate)
                {
                    finding = _finding;
                }

                if (finding != null && _monitor._mode == MonitorMode.Throw)
                {
                    throw new MonitorException(finding);
                }
            }

            private void OnFlowChanged(AsyncLocalValueChangedArgs<AsyncRegionWatch?> change)
            {
                // Not stopped by the region's own disposal: the suspending thread's notification may come after the method
                // resumed elsewhere, ended and disposed the region, and it still completes a pair.
                if (!change.ThreadContextChanged || _monitor._disposed)
                {
                    return;
                }

                try
                {
                    var grad = torch.is_grad_enabled();
                    var inference = torch.is_inference_mode_enabled();
                    var here = (grad, inference, Environment.CurrentManagedThreadId);
                    (bool Grad, bool Inference, int Thread)? left = null;
                    (bool Grad, bool Inference, int Thread)? resumed = null;
                    if (change.PreviousValue == this && change.CurrentValue != this)
                    {
                        // The method is suspended: this thread goes back to its caller's context.
                        lock (_gate)
                        {
                            var index = _suspensionCount++;
                            if (_resumptions.TryGetValue(index, out var early))
                            {
                                _resumptions.Remove(index);
                                (left, resumed) = (here, early);
                            }
                            else
                            {
                                _suspensions[index] = here;
                            }
                        }
                    }
                    else if (change.CurrentValue == this && change.PreviousValue != this)
                    {
                        // The method resumes on this thread.
                        lock (_gate)
                        {
                            var index = _resumptionCount++;
                            if (_suspensions.TryGetValue(index, out var suspension))
                            {
                                _suspensions.Remove(index);
                                (left, resumed) = (suspension, here);
                            }
                            else
                            {
                                _resumptions[index] = here;
                            }
                        }
                    }

                    // A scope open across the await: the suspended thread's mode is not the one the region started with.
                    if (left is { } suspendedIn && resumed is { } resumedIn && (suspendedIn.Grad != _startGrad || suspendedIn.Inference != _startInference))
                    {
                        Report(suspendedIn, resumedIn);
                    }
                }
                catch (Exception)
                {
                    // A change notification must never throw: the runtime would end the process.
                }
            }

            private void Report((bool Grad, bool Inference, int Thread) left, (bool Grad, bool Inference, int Thread) resumed)
            {
                var (grad, inference) = (resumed.Grad, resumed.Inference);
                var scope = left.Inference ? "an inference_mode scope" : left.Grad ? "a grad-enabled scope" : "a grad-disabled scope";
                var where = scope + " (async region '" + _name + "')";
                var resumedMode = inference ? "in inference mode" : grad ? "with autograd recording" : "with autograd off";
                var leftMode = left.Inference ? "stayed in inference mode" : left.Grad ? "kept autograd on" : "kept autograd off";
                var consequence = left.Thread == resumed.Thread
                    ? "the code after it resumed on the same thread this time, which nothing promises; on another thread it runs in that thread's mode and the thread that opened the scope " + leftMode
                    : "the code after it resumed on another thread " + resumedMode + ", and the thread that opened the scope " + leftMode;
                var message = MonitorRules.Format(MonitorRules.AwaitInsideGradScope, "await", where, consequence);
                _monitor.Report(MonitorRules.AwaitInsideGradScope, null, message, mayThrow: false);
                lock (_gate)
                {
                    _finding ??= new MonitorFinding(MonitorRules.AwaitInsideGradScope, message, null);
                }
            }
        }
    }
}
