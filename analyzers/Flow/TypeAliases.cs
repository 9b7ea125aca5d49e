using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.Flow
{
    /// <summary>
    /// The using alias directives of a compilation (<c>using Net = Models.MyNet;</c>, global ones included), read from the
    /// top of each tree without binding: the other names a creation of a type may be written with, which a search of the
    /// text by the type's name would miss.
    /// </summary>
    internal sealed class TypeAliases
    {
        private readonly ImmutableArray<(string Alias, string Target)> _aliases;

        private TypeAliases(ImmutableArray<(string, string)> aliases) => _aliases = aliases;

        /// <summary>Reads the directives of every tree of <paramref name="compilation"/> (its compilation unit and namespaces).</summary>
        public static TypeAliases Of(Compilation compilation)
        {
            var aliases = ImmutableArray.CreateBuilder<(string, string)>();
            void Read(SyntaxList<UsingDirectiveSyntax> usings, SyntaxList<MemberDeclarationSyntax> members)
            {
                foreach (var directive in usings)
                {
                    if (directive.Alias is { } alias && directive.NamespaceOrType is NameSyntax target && InvokedNames.RightmostName(target) is { } targetName)
                    {
                        aliases.Add((alias.Name.Identifier.ValueText, targetName));
                    }
                }

                foreach (var member in members)
                {
                    if (member is BaseNamespaceDeclarationSyntax inner)
                    {
                        Read(inner.Usings, inner.Members);
                    }
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetRoot() is CompilationUnitSyntax unit)
                {
                    Read(unit.Usings, unit.Members);
                }
            }

            return new TypeAliases(aliases.ToImmutable());
        }

        /// <summary>
        /// <paramref name="typeName"/> first, then the aliases whose target's rightmost name is one of the names found so
        /// far (an alias of an alias too): every name a type so named may be written with. Over-approximates (an alias of
        /// another type of that name counts); binding decides.
        /// </summary>
        public ImmutableArray<string> NamesOf(string typeName)
        {
            var names = new List<string> { typeName };
            for (var added = true; added;)
            {
                added = false;
                foreach (var (alias, target) in _aliases)
                {
                    if (names.Contains(target) && !names.Contains(alias))
                    {
                        names.Add(alias);
                        added = true;
                    }
                }
            }

            return names.ToImmutableArray();
        }
    }
}
