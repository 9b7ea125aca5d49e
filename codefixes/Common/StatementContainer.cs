using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.CodeFixes.Common
{
    /// <summary>
    /// The list of statements that holds a statement — a block, a switch section or the top-level statements of
    /// a file — so that fixes can reason about "the statements that follow up to the end of the block".
    /// </summary>
    internal sealed class StatementContainer
    {
        private StatementContainer(SyntaxNode node, IReadOnlyList<StatementSyntax> statements, int index)
        {
            Node = node;
            Statements = statements;
            Index = index;
        }

        /// <summary>The block, switch section or compilation unit.</summary>
        public SyntaxNode Node { get; }

        /// <summary>Its statements, in order: the nodes of the tree (for top-level statements, those inside the global statements).</summary>
        public IReadOnlyList<StatementSyntax> Statements { get; }

        /// <summary>Where the statement the container was asked about stands.</summary>
        public int Index { get; }


        /// <summary>True when a using declaration may stand here (not directly in a switch section: CS8647).</summary>
        public bool AllowsUsingDeclaration => !(Node is SwitchSectionSyntax);

        /// <summary>The container of <paramref name="statement"/>, or null for an embedded statement (<c>if (c) x();</c>).</summary>
        public static StatementContainer? Of(StatementSyntax statement)
        {
            switch (statement.Parent)
            {
                case BlockSyntax block:
                    return new StatementContainer(block, block.Statements, block.Statements.IndexOf(statement));
                case SwitchSectionSyntax section:
                    return new StatementContainer(section, section.Statements, section.Statements.IndexOf(statement));
                case GlobalStatementSyntax global when global.Parent is CompilationUnitSyntax unit:
                    var statements = new List<StatementSyntax>();
                    var index = -1;
                    foreach (var member in unit.Members)
                    {
                        if (member is GlobalStatementSyntax g)
                        {
                            if (g == global)
                            {
                                index = statements.Count;
                            }

                            statements.Add(g.Statement);
                        }
                    }

                    return new StatementContainer(unit, statements, index);
                default:
                    return null;
            }
        }

        /// <summary>
        /// Replaces <paramref name="count"/> statements from <paramref name="start"/> with <paramref name="replacement"/>;
        /// null for top-level statements, whose list is not one node.
        /// </summary>
        public SyntaxNode? ReplaceRange(int start, int count, StatementSyntax replacement)
        {
            SyntaxList<StatementSyntax> list;
            switch (Node)
            {
                case BlockSyntax b:
                    list = b.Statements;
                    break;
                case SwitchSectionSyntax s:
                    list = s.Statements;
                    break;
                default:
                    return null;
            }

            for (var i = 0; i < count; i++)
            {
                list = list.RemoveAt(start);
            }

            list = list.Insert(start, replacement);
            switch (Node)
            {
                case BlockSyntax block:
                    return block.WithStatements(list);
                case SwitchSectionSyntax section:
                    return section.WithStatements(list);
                default:
                    return null;
            }
        }

        /// <summary>
        /// <paramref name="root"/> (which holds <see cref="Node"/>) with <paramref name="count"/> statements from
        /// <paramref name="start"/> replaced by <paramref name="replacement"/>; top-level statements included.
        /// </summary>
        public SyntaxNode ReplaceRangeIn(SyntaxNode root, int start, int count, StatementSyntax replacement)
        {
            if (ReplaceRange(start, count, replacement) is { } newContainer)
            {
                return root.ReplaceNode(Node, newContainer);
            }

            // Top-level statements: each one is a member of the compilation unit.
            var unit = (CompilationUnitSyntax)Node;
            var indexes = new List<int>();
            for (var i = 0; i < unit.Members.Count; i++)
            {
                if (unit.Members[i] is GlobalStatementSyntax)
                {
                    indexes.Add(i);
                }
            }

            var members = unit.Members;
            for (var i = start + count - 1; i > start; i--)
            {
                members = members.RemoveAt(indexes[i]);
            }

            members = members.RemoveAt(indexes[start]).Insert(indexes[start], SyntaxFactory.GlobalStatement(replacement));
            return root.ReplaceNode(Node, unit.WithMembers(members));
        }

        /// <summary>
        /// <paramref name="root"/> with <paramref name="statement"/> inserted right before <paramref name="anchor"/>, a
        /// statement of a block, switch section or the top level; laid out by <see cref="StatementTrivia.LayOutBefore"/>.
        /// </summary>
        public static SyntaxNode InsertBefore(SyntaxNode root, StatementSyntax anchor, StatementSyntax statement)
        {
            var (laidOut, newAnchor) = StatementTrivia.LayOutBefore(statement, anchor);
            return anchor.Parent is GlobalStatementSyntax global
                ? root.ReplaceNode(global, new SyntaxNode[] { SyntaxFactory.GlobalStatement(laidOut), global.WithStatement(newAnchor) })
                : root.ReplaceNode(anchor, new SyntaxNode[] { laidOut, newAnchor });
        }
    }
}
