using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// An <c>await</c> of a body (an operation of the flow graph; the implicit awaits of <c>await foreach</c> and
    /// <c>await using</c> included), with the grad mode and the grad-mode scopes of this body that are open when the
    /// method may suspend there.
    /// </summary>
    internal sealed class AwaitPoint
    {
        public AwaitPoint(IAwaitOperation operation, GradFact grad, ImmutableDictionary<Storage, GradFact> openScopes)
        {
            Operation = operation;
            Grad = grad;
            OpenScopes = openScopes;
        }

        /// <summary>The await (an operation of the flow graph; map back by syntax).</summary>
        public IAwaitOperation Operation { get; }

        /// <summary>The grad mode in force when the method may suspend.</summary>
        public GradFact Grad { get; }

        /// <summary>The grad-mode scope objects of this body not yet disposed, each with the mode its Dispose restores.</summary>
        public ImmutableDictionary<Storage, GradFact> OpenScopes { get; }
    }
}
