using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Proves, from the constructors, that a module field of a helper object (a sampler, an evaluator) is always the same
    /// module as a field of the trainer that holds the helper: <c>_sampler = new Sampler(model)</c> next to
    /// <c>_model = model</c>, or <c>_sampler = new Sampler(_model)</c>, with <c>Sampler</c>'s only constructor storing its
    /// parameter in the field. Then <c>eval()</c> in <c>_sampler.Sample()</c> switches the trainer's <c>_model</c>.
    /// Nothing is proved (null) unless every write of the three fields is in sight: each is readonly, a get-only
    /// auto-property, or private and written by no member but its class's only constructor, which writes it once, as one of
    /// its own statements.
    /// </summary>
    internal static class HelperObjectAliasProof
    {
        /// <summary>
        /// The module field or property of <paramref name="holder"/>'s class that the field <paramref name="inner"/> of the
        /// object in <paramref name="holder"/> always holds, or null when that is not proved.
        /// </summary>
        public static ISymbol? ModuleFieldHeldBy(ISymbol holder, ISymbol inner, Func<SyntaxTree, SemanticModel?> modelOf, TorchSymbols symbols)
        {
            if (holder.IsStatic || inner.IsStatic || !(holder.ContainingType is { } owner) || !(inner.ContainingType is { } helper)
                || !WrittenOnlyInConstructors(holder) || !WrittenOnlyInConstructors(inner)
                || !(Constructor.Only(helper, modelOf) is { } helperConstructor) || !(Constructor.Only(owner, modelOf) is { } ownerConstructor)
                || !(helperConstructor.SingleAssignment(inner) is { } innerAssignment)
                || !(innerAssignment.Value.SkipConversions() is IParameterReferenceOperation { Parameter: var stored })
                || helperConstructor.Writes(stored.Name)
                || !(ownerConstructor.SingleAssignment(holder) is { } holderAssignment)
                || !(holderAssignment.Value.SkipConversions() is IObjectCreationOperation creation)
                || !SymbolEqualityComparer.Default.Equals(creation.Constructor?.OriginalDefinition, helperConstructor.Symbol)
                || !(creation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, stored.OriginalDefinition)) is { } argument))
            {
                return null;
            }

            switch (argument.Value.SkipConversions())
            {
                // new Sampler(_model): the trainer's field, never written after the helper got it.
                case IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: var member } when IsModuleMember(member, symbols)
                    && WrittenOnlyInConstructors(member) && !ownerConstructor.WritesAfter(member.Name, holderAssignment):
                    return member;

                // new Sampler(model) next to _model = model: both hold the constructor's parameter.
                case IParameterReferenceOperation { Parameter: var given } when !ownerConstructor.Writes(given.Name):
                    foreach (var assignment in ownerConstructor.TopLevelAssignments)
                    {
                        if (assignment.Value.SkipConversions() is IParameterReferenceOperation { Parameter: var same } && SymbolEqualityComparer.Default.Equals(same, given)
                            && assignment.Target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: var field } && IsModuleMember(field, symbols)
                            && WrittenOnlyInConstructors(field) && ownerConstructor.SingleAssignment(field) is { } single && single.Index == assignment.Index)
                        {
                            return field;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static bool IsModuleMember(ISymbol member, TorchSymbols symbols)
            => !member.IsStatic && symbols.IsModule(member switch { IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null });

        /// <summary>
        /// Whether only constructors of its class can write <paramref name="member"/>: a readonly field, a get-only
        /// auto-property, or a private field no other member writes (read from the syntax, by name: a write of any
        /// <c>x._model</c> counts).
        /// </summary>
        private static bool WrittenOnlyInConstructors(ISymbol member)
        {
            switch (member)
            {
                case IFieldSymbol { IsReadOnly: true }:
                    return true;
                case IPropertySymbol { SetMethod: null } property:
                    return property.DeclaringSyntaxReferences.Length == 1
                           && property.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { AccessorList: { } accessors }
                           && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
                case IFieldSymbol { DeclaredAccessibility: Accessibility.Private } field:
                    foreach (var declaration in field.ContainingType.DeclaringSyntaxReferences)
                    {
                        foreach (var node in declaration.GetSyntax().DescendantNodes())
                        {
                            if (IsWriteOf(node, field.Name) && !(node.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is { } constructor && !constructor.Modifiers.Any(SyntaxKind.StaticKeyword)))
                            {
                                return false;
                            }
                        }
                    }

                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Whether <paramref name="node"/> writes something named <paramref name="name"/>: an assignment to it, or a ref or out argument.</summary>
        private static bool IsWriteOf(SyntaxNode node, string name)
            => node switch
            {
                AssignmentExpressionSyntax assignment => Names(assignment.Left, name),
                ArgumentSyntax { RefKindKeyword.RawKind: not 0 } argument => !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword) && Names(argument.Expression, name),
                _ => false,
            };

        private static bool Names(ExpressionSyntax expression, string name)
            => expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == name,
                TupleExpressionSyntax tuple => tuple.Arguments.Any(a => Names(a.Expression, name)),
                ParenthesizedExpressionSyntax parenthesized => Names(parenthesized.Expression, name),
                _ => false,
            };

        /// <summary>An assignment that is one of a constructor's own statements, with its position among them.</summary>
        private sealed class TopLevelAssignment
        {
            public TopLevelAssignment(int index, ISimpleAssignmentOperation assignment)
            {
                Index = index;
                End = assignment.Syntax.Span.End;
                Target = assignment.Target;
                Value = assignment.Value;
            }

            public int Index { get; }

            public int End { get; }

            public IOperation Target { get; }

            public IOperation Value { get; }
        }

        /// <summary>The only explicit instance constructor of a class, which chains to no other of its own, with its statements.</summary>
        private sealed class Constructor
        {
            private readonly ConstructorDeclarationSyntax _syntax;

            private Constructor(IMethodSymbol symbol, ConstructorDeclarationSyntax syntax, List<TopLevelAssignment> assignments)
            {
                Symbol = symbol;
                _syntax = syntax;
                TopLevelAssignments = assignments;
            }

            public IMethodSymbol Symbol { get; }

            public List<TopLevelAssignment> TopLevelAssignments { get; }

            public static Constructor? Only(INamedTypeSymbol type, Func<SyntaxTree, SemanticModel?> modelOf)
            {
                var constructors = type.InstanceConstructors.Where(c => !c.IsImplicitlyDeclared).ToList();
                if (constructors.Count != 1 || constructors[0].DeclaringSyntaxReferences.Length != 1
                    || !(constructors[0].DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax syntax)
                    || syntax.Initializer is { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword }
                    || !(modelOf(syntax.SyntaxTree)?.GetOperation(syntax) is IConstructorBodyOperation body))
                {
                    return null;
                }

                var statements = body.BlockBody?.Operations ?? body.ExpressionBody?.Operations ?? default;
                var assignments = new List<TopLevelAssignment>();
                for (var i = 0; !statements.IsDefault && i < statements.Length; i++)
                {
                    if (statements[i] is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment })
                    {
                        assignments.Add(new TopLevelAssignment(i, assignment));
                    }
                }

                return new Constructor(constructors[0].OriginalDefinition, syntax, assignments);
            }

            public IEnumerable<TopLevelAssignment> AssignmentsOf(ISymbol member)
                => TopLevelAssignments.Where(a => a.Target is IMemberReferenceOperation { Instance: IInstanceReferenceOperation, Member: var written }
                                                  && SymbolEqualityComparer.Default.Equals(written, member));

            /// <summary>The one write of <paramref name="member"/> in this constructor, when it is one of its statements; null otherwise.</summary>
            public TopLevelAssignment? SingleAssignment(ISymbol member)
            {
                var writes = _syntax.DescendantNodes().Count(n => IsWriteOf(n, member.Name));
                var statements = AssignmentsOf(member).ToList();
                return writes == 1 && statements.Count == 1 ? statements[0] : null;
            }

            /// <summary>Whether this constructor writes something named <paramref name="name"/> after <paramref name="statement"/>.</summary>
            public bool WritesAfter(string name, TopLevelAssignment statement)
                => _syntax.DescendantNodes().Any(n => n.SpanStart >= statement.End && IsWriteOf(n, name));

            /// <summary>Whether this constructor writes something named <paramref name="name"/> anywhere.</summary>
            public bool Writes(string name) => _syntax.DescendantNodes().Any(n => IsWriteOf(n, name));
        }
    }
}
