using System;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>Thrown by a <see cref="TorchMonitor"/> in <see cref="MonitorMode.Throw"/> mode when it observes a finding.</summary>
    public sealed class MonitorException : InvalidOperationException
    {
        /// <summary>Creates the exception for <paramref name="finding"/>.</summary>
        /// <param name="finding">What the monitor observed.</param>
        public MonitorException(MonitorFinding finding)
            : base((finding ?? throw new ArgumentNullException(nameof(finding))).ToString())
        {
            Finding = finding;
        }

        /// <summary>What the monitor observed.</summary>
        public MonitorFinding Finding { get; }
    }
}
