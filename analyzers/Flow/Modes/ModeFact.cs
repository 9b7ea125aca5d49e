using System;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Flow;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode of one module value, with where a training mode came from (for messages: "created at line N",
    /// "train() at line N") and, for <see cref="ModeFlags.Entry"/>, which parameter or field it entered through.
    /// Immutable; joins keep the origin that comes first in the source so results do not depend on visit order.
    /// </summary>
    internal readonly struct ModeFact : IEquatable<ModeFact>
    {
        public ModeFact(ModeFlags flags, TrainOrigin? trainOrigin, ISymbol? entrySymbol, SyntaxNode? evalOrigin = null)
        {
            Flags = flags;
            TrainOrigin = trainOrigin;
            EntrySymbol = entrySymbol;
            EvalOrigin = evalOrigin;
        }

        public ModeFlags Flags { get; }

        /// <summary>Where the Train state was set, when <see cref="Flags"/> has <see cref="ModeFlags.Train"/>.</summary>
        public TrainOrigin? TrainOrigin { get; }

        /// <summary>The <c>eval()</c> (or <c>train(false)</c>, or the helper call) that set Eval, when <see cref="Flags"/> has <see cref="ModeFlags.Eval"/>.</summary>
        public SyntaxNode? EvalOrigin { get; }

        /// <summary>The parameter, field or property the value entered through, when <see cref="Flags"/> has <see cref="ModeFlags.Entry"/>.</summary>
        public ISymbol? EntrySymbol { get; }

        public static ModeFact Train(TrainOrigin origin) => new ModeFact(ModeFlags.Train, origin, null);

        public static ModeFact Eval(SyntaxNode origin) => new ModeFact(ModeFlags.Eval, null, null, origin);

        public static ModeFact Unknown => new ModeFact(ModeFlags.Unknown, null, null);

        /// <summary>No mode at all: the reference is null on this path. The identity of <see cref="Join"/>.</summary>
        public static ModeFact Absent => new ModeFact(ModeFlags.None, null, null);

        public static ModeFact Entry(ISymbol symbol) => new ModeFact(ModeFlags.Entry, null, symbol);

        public ModeFact Join(ModeFact other)
            => new ModeFact(
                Flags | other.Flags,
                Modes.TrainOrigin.First(TrainOrigin, other.TrainOrigin),
                EntrySymbol ?? other.EntrySymbol,
                EvalOrigin is null ? other.EvalOrigin
                : other.EvalOrigin is null ? EvalOrigin
                : other.EvalOrigin.SpanStart < EvalOrigin.SpanStart && other.EvalOrigin.SyntaxTree == EvalOrigin.SyntaxTree ? other.EvalOrigin : EvalOrigin);

        public bool Equals(ModeFact other)
            => Flags == other.Flags
               && Equals(TrainOrigin, other.TrainOrigin)
               && EvalOrigin == other.EvalOrigin
               && SymbolEqualityComparer.Default.Equals(EntrySymbol, other.EntrySymbol);

        public override bool Equals(object? obj) => obj is ModeFact other && Equals(other);

        public override int GetHashCode() => ((int)Flags * 31) ^ (TrainOrigin?.GetHashCode() ?? 0);
    }

    /// <summary>Where a module was put into training mode.</summary>
    internal sealed class TrainOrigin : IEquatable<TrainOrigin>
    {
        public TrainOrigin(SyntaxNode node, TrainOriginKind kind, bool underDisabledGrad, bool followedByWork = false)
        {
            Node = node;
            Kind = kind;
            UnderDisabledGrad = underDisabledGrad;
            FollowedByWork = followedByWork;
        }

        /// <summary>
        /// For a <c>train()</c> call: whether training work followed it on some path (a backward, a step, a call that
        /// received the module). Without it, a grad-disabled region right after <c>train()</c> is deliberate.
        /// </summary>
        public bool FollowedByWork { get; }

        /// <summary>The creation or the call that set Train.</summary>
        public SyntaxNode Node { get; }

        public TrainOriginKind Kind { get; }

        /// <summary>
        /// Whether <c>train()</c> was called while autograd was off: Monte-Carlo dropout, a deliberate training-mode inference.
        /// </summary>
        public bool UnderDisabledGrad { get; }

        /// <summary>The line (1-based) of the origin, for messages.</summary>
        public int Line => Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

        /// <summary>"line N", or "line N of File.cs" when the origin is in another file than <paramref name="reportedIn"/>.</summary>
        public string LineText(SyntaxTree reportedIn) => SourceLines.LineText(Node, reportedIn);

        public static TrainOrigin? First(TrainOrigin? left, TrainOrigin? right)
        {
            if (left is null)
            {
                return right;
            }

            if (right is null)
            {
                return left;
            }

            var first = right.Node.SpanStart < left.Node.SpanStart ? right : left;

            // Work after train() on either path counts: the join keeps the finding possible.
            return left.Node == right.Node && left.FollowedByWork != right.FollowedByWork
                ? new TrainOrigin(first.Node, first.Kind, first.UnderDisabledGrad, followedByWork: true)
                : first;
        }

        public bool Equals(TrainOrigin? other)
            => other != null && other.Node == Node && other.Kind == Kind && other.UnderDisabledGrad == UnderDisabledGrad && other.FollowedByWork == FollowedByWork;

        public override bool Equals(object? obj) => Equals(obj as TrainOrigin);

        public override int GetHashCode() => Node.SpanStart;
    }

    internal enum TrainOriginKind
    {
        /// <summary>Created in the flow: TorchSharp modules start in training mode.</summary>
        Created,

        /// <summary><c>train()</c> or <c>train(true)</c>.</summary>
        TrainCall,

        /// <summary>A method of this compilation that leaves the module in training mode on every path.</summary>
        Helper,
    }
}
