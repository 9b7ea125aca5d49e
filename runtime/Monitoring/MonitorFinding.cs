namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>One condition a <see cref="TorchMonitor"/> observed at run time, with the id and wording of the analyzer rule.</summary>
    public sealed class MonitorFinding
    {
        /// <summary>Creates a finding.</summary>
        /// <param name="id">The rule id, <c>TORCH001</c> … <c>TORCH009</c> (see <see cref="MonitorRules"/>).</param>
        /// <param name="message">The message, in the format of the analyzer's diagnostic.</param>
        /// <param name="module">The name of the module concerned (as given to <see cref="TorchMonitor.Attach"/>, dotted for submodules), or null.</param>
        public MonitorFinding(string id, string message, string? module)
        {
            Id = id;
            Message = message;
            Module = module;
        }

        /// <summary>The rule id, <c>TORCH001</c> … <c>TORCH009</c>.</summary>
        public string Id { get; }

        /// <summary>The message, in the same format and words as the analyzer's diagnostic of <see cref="Id"/>.</summary>
        public string Message { get; }

        /// <summary>The name of the module concerned, or null when the finding is about no particular module.</summary>
        public string? Module { get; }

        /// <summary><c>"TORCHxxx: message"</c>.</summary>
        /// <returns>The id and the message.</returns>
        public override string ToString() => Id + ": " + Message;
    }
}
