using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What a <see cref="ModeFlow"/> records for the rules while it replays every block from the fixpoint's states: the
    /// lists <see cref="ModeFlowResult"/> is made of. Absent while the fixpoint runs, so that nothing is recorded from a
    /// state that is not final.
    /// </summary>
    internal sealed class ModeFlowRecords
    {
        public List<ForwardPass> ForwardPasses { get; } = new List<ForwardPass>();

        public List<CallSite> CallSites { get; } = new List<CallSite>();

        public List<TrainingStep> TrainingSteps { get; } = new List<TrainingStep>();

        public List<OptimizerCreation> OptimizerCreations { get; } = new List<OptimizerCreation>();

        public List<UnfreezeEvent> Unfreezes { get; } = new List<UnfreezeEvent>();

        public List<AwaitPoint> Awaits { get; } = new List<AwaitPoint>();

        public Dictionary<SyntaxNode, LambdaCreation> LambdaCreations { get; } = new Dictionary<SyntaxNode, LambdaCreation>();
    }
}
