using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TorchSharp.Analyzers.Symbols
{
    /// <summary>
    /// The module classes this compilation declares, nested ones included: the one walk of the declarations that the
    /// closed-world composition (implementations of a base), TORCH008's holders and its derived classes all start from.
    /// </summary>
    internal static class ModuleClasses
    {
        /// <summary>Every class of <paramref name="compilation"/>'s own assembly that derives from <c>torch.nn.Module</c>.</summary>
        public static IEnumerable<INamedTypeSymbol> Of(Compilation compilation, TorchSymbols symbols)
        {
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                var container = pending.Pop();
                if (container is INamespaceSymbol ns)
                {
                    // Pushed last to first, so that types come out in declaration order, as a recursive walk gives them.
                    var members = System.Linq.Enumerable.ToArray(ns.GetMembers());
                    for (var i = members.Length - 1; i >= 0; i--)
                    {
                        pending.Push(members[i]);
                    }

                    continue;
                }

                var type = (INamedTypeSymbol)container;
                if (type.TypeKind == TypeKind.Class && symbols.IsModule(type))
                {
                    yield return type;
                }

                var nested = type.GetTypeMembers();
                for (var i = nested.Length - 1; i >= 0; i--)
                {
                    pending.Push(nested[i]);
                }
            }
        }
    }
}
