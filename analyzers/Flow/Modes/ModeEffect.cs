namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>What a method of this compilation does to the mode of a module it receives, on every normal path.</summary>
    internal enum ModeEffect
    {
        /// <summary>Leaves the mode as it was.</summary>
        Unchanged,

        /// <summary>Leaves the module in eval mode.</summary>
        Eval,

        /// <summary>Leaves the module in training mode.</summary>
        Train,

        /// <summary>Depends on the path, or cannot be known (recursion, depth limit, code without a body).</summary>
        Unknown,
    }

    /// <summary>Answers questions about callees, for the flow of their callers.</summary>
    internal interface ICalleeSummaries
    {
        /// <summary>The effect of <paramref name="callee"/> on the module it receives as parameter <paramref name="ordinal"/> (-1: <c>this</c>).</summary>
        ModeEffect EffectOn(Microsoft.CodeAnalysis.IMethodSymbol callee, int ordinal, int depth);

        /// <summary>The freeze state <paramref name="callee"/> leaves the module parameter in, or null when it leaves it as it was.</summary>
        FreezeFact? FreezeEffectOn(Microsoft.CodeAnalysis.IMethodSymbol callee, int ordinal, int depth);

        /// <summary>The grad mode of the scope <paramref name="method"/> returns on every path, when it returns a grad-mode switch's scope.</summary>
        GradFlags? GradScopeReturnedBy(Microsoft.CodeAnalysis.IMethodSymbol method);

        /// <summary>The module fields and properties (of its <c>this</c>, or static) that <paramref name="callee"/> may leave in Eval or Train mode.</summary>
        System.Collections.Immutable.ImmutableArray<FieldModeEffect> FieldEffectsOf(Microsoft.CodeAnalysis.IMethodSymbol callee, int depth);

        /// <summary>
        /// The module field or property of <paramref name="holder"/>'s class that the field <paramref name="inner"/> of the
        /// object held in <paramref name="holder"/> is proved to hold, or null.
        /// </summary>
        Microsoft.CodeAnalysis.ISymbol? ModuleFieldHeldBy(Microsoft.CodeAnalysis.ISymbol holder, Microsoft.CodeAnalysis.ISymbol inner);
    }
}
