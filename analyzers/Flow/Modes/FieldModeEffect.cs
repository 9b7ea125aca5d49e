using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// What a method of this compilation leaves a module field or property in (of its <c>this</c>, or static): the modes
    /// of its exit, at least one of them Eval or Train; <see cref="ModeFlags.Entry"/> among them means "as it was" on some
    /// path.
    /// </summary>
    internal readonly struct FieldModeEffect
    {
        public FieldModeEffect(ISymbol field, ModeFlags flags)
        {
            Field = field;
            Flags = flags;
        }

        public ISymbol Field { get; }

        public ModeFlags Flags { get; }

        /// <summary>
        /// The mode after the call at <paramref name="call"/> of a value that was in <paramref name="before"/>: the helper's
        /// eval() and train() are named by the call, so the message can say which helper left the mode.
        /// </summary>
        public ModeFact After(ModeFact before, SyntaxNode call, bool gradOff)
        {
            var after = ModeFact.Absent;
            if ((Flags & ModeFlags.Entry) != 0)
            {
                after = after.Join(before);
            }

            if ((Flags & ModeFlags.Unknown) != 0)
            {
                after = after.Join(ModeFact.Unknown);
            }

            if ((Flags & ModeFlags.Eval) != 0)
            {
                after = after.Join(ModeFact.Eval(call));
            }

            if ((Flags & ModeFlags.Train) != 0)
            {
                after = after.Join(ModeFact.Train(new TrainOrigin(call, TrainOriginKind.Helper, gradOff)));
            }

            return after;
        }
    }
}
