using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Flow;
using static TorchSharp.Analyzers.Rules.Registration.PathStateLists;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>The values the interpreter carries: a call frame, where a value comes from, and where the paths of a statement go.</summary>
    internal sealed partial class ConstructionInterpreter
    {
        private sealed class Frame
        {
            public Frame(IOperation root, ImmutableDictionary<IParameterSymbol, Origin> parameters)
            {
                Root = root;
                Parameters = parameters;
            }

            public IOperation Root { get; }

            public ImmutableDictionary<IParameterSymbol, Origin> Parameters { get; }
        }

        private enum OriginKind
        {
            Other,
            Null,
            Field,
            Local,
        }

        /// <summary>Where a value comes from, as far as registration is concerned.</summary>
        private readonly struct Origin
        {
            private Origin(OriginKind kind, IFieldSymbol? field, ILocalSymbol? local)
            {
                Kind = kind;
                Field = field;
                Local = local;
            }

            public static Origin Other => new Origin(OriginKind.Other, null, null);

            public static Origin Null => new Origin(OriginKind.Null, null, null);

            public OriginKind Kind { get; }

            public IFieldSymbol? Field { get; }

            public ILocalSymbol? Local { get; }

            public static Origin OfField(IFieldSymbol field) => new Origin(OriginKind.Field, field, null);

            public static Origin OfLocal(ILocalSymbol local) => new Origin(OriginKind.Local, null, local);
        }

        /// <summary>The outcome of a statement: paths that go on, and paths that left by break, continue or return.</summary>
        private sealed class StatementPaths
        {
            public List<PathState> Normal { get; set; } = new List<PathState>();

            public List<PathState> Break { get; } = new List<PathState>();

            public List<PathState> Continue { get; } = new List<PathState>();

            public List<PathState> Return { get; } = new List<PathState>();

            public static StatementPaths Of(List<PathState> normal) => new StatementPaths { Normal = normal };

            public void Add(StatementPaths other)
            {
                Normal = Union(Normal, other.Normal);
                AddAll(Break, other.Break);
                AddAll(Continue, other.Continue);
                AddAll(Return, other.Return);
            }
        }
    }
}
