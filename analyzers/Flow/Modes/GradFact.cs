using System;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>The grad mode at a program point, with where a disabling scope was opened (for messages).</summary>
    internal readonly struct GradFact : IEquatable<GradFact>
    {
        public GradFact(GradFlags flags, SyntaxNode? openedAt)
        {
            Flags = flags;
            OpenedAt = openedAt;
        }

        public GradFlags Flags { get; }

        /// <summary>The grad-mode switch that set the current mode, if any.</summary>
        public SyntaxNode? OpenedAt { get; }

        public static GradFact Entry => new GradFact(GradFlags.Entry, null);

        public static GradFact Unknown => new GradFact(GradFlags.Unknown, null);

        /// <summary>Whether autograd is off on every path (Disabled or Inference only).</summary>
        public bool IsOff => Flags != GradFlags.None && (Flags & ~(GradFlags.Disabled | GradFlags.Inference)) == 0;

        public GradFact Join(GradFact other)
        {
            var openedAt = OpenedAt is null ? other.OpenedAt
                : other.OpenedAt is null ? OpenedAt
                : other.OpenedAt.SpanStart < OpenedAt.SpanStart ? other.OpenedAt : OpenedAt;
            return new GradFact(Flags | other.Flags, openedAt);
        }

        public bool Equals(GradFact other) => Flags == other.Flags && other.OpenedAt == OpenedAt;

        public override bool Equals(object? obj) => obj is GradFact other && Equals(other);

        public override int GetHashCode() => (int)Flags;
    }
}
