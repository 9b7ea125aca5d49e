using System.Linq;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Flow;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>The effects on registration: RegisterComponents(), register_module, field assignments.</summary>
    internal sealed partial class ConstructionInterpreter
    {
        private PathState RegisterComponents(PathState state, SyntaxNode call)
        {
            if (state.RegisterComponentsCall != null)
            {
                // Later calls do nothing (docs/architecture.md, "Measured facts").
                return state;
            }

            var fields = state.Fields;
            foreach (var pair in state.Fields)
            {
                if (pair.Value.NonNull && !pair.Key.IsStatic && _kinds[pair.Key] == SubmoduleFieldKind.Module)
                {
                    fields = fields.SetItem(pair.Key, pair.Value.WithRegistered());
                }
            }

            return state.WithFields(fields, call);
        }

        private static PathState Register(PathState state, Origin origin)
        {
            switch (origin.Kind)
            {
                case OriginKind.Field when origin.Field != null && state.Fields.TryGetValue(origin.Field, out var field):
                    return field.NonNull ? state.WithField(origin.Field, field.WithRegistered()) : state;
                case OriginKind.Local when origin.Local != null:
                    return state.WithLocal(origin.Local, registered: true).WithIndirectRegistration();
                case OriginKind.Null:
                    return state;
                default:
                    return state.WithIndirectRegistration();
            }
        }

        private static PathState Assign(PathState state, IFieldSymbol field, Origin origin)
        {
            var old = state.Fields[field];
            bool nonNull;
            switch (origin.Kind)
            {
                case OriginKind.Null:
                    nonNull = false;
                    break;
                case OriginKind.Field when origin.Field != null && state.Fields.TryGetValue(origin.Field, out var source):
                    nonNull = source.NonNull;
                    break;
                default:
                    nonNull = true;
                    break;
            }

            var registered = nonNull && IsRegistered(state, origin);
            return state.WithField(field, new FieldState(
                nonNull,
                registered,
                old.RegisteredEver,
                old.Unknown,
                nonNull && !registered ? state.RegisterComponentsCall : null));
        }

        private static bool IsRegistered(PathState state, Origin origin)
            => origin.Kind switch
            {
                OriginKind.Field => origin.Field != null && state.Fields.TryGetValue(origin.Field, out var field) && field.Registered,
                OriginKind.Local => origin.Local != null && state.RegisteredLocals.Contains(origin.Local),
                _ => false,
            };
    }
}
