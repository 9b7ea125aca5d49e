namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>What a <see cref="TorchMonitor"/> does with a finding, besides adding it to <see cref="TorchMonitor.Findings"/>.</summary>
    public enum MonitorMode
    {
        /// <summary>Only collect: read <see cref="TorchMonitor.Findings"/>.</summary>
        Collect = 0,

        /// <summary>Collect and pass <c>"TORCHxxx: message"</c> to the log action given to the monitor.</summary>
        Log = 1,

        /// <summary>
        /// Collect and throw a <see cref="MonitorException"/> from the call that revealed the finding (a forward pass,
        /// <see cref="TorchMonitor.Watch"/>, a region's <c>Dispose</c>, …). Findings noticed while an exception is already
        /// being thrown (TORCH007 from a failed <c>backward()</c>) are collected and logged, never thrown.
        /// </summary>
        Throw = 2,
    }
}
