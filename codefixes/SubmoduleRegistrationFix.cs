using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;
using TorchSharp.Analyzers.Rules;
using TorchSharp.Analyzers.CodeFixes.Common;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// The edits behind the TORCH008 fixes. One entry point for a single diagnostic and for Fix All, so that several
    /// fields of one class add one <c>RegisterComponents();</c> per constructor, and a second run changes nothing.
    /// </summary>
    internal static class SubmoduleRegistrationFix
    {
        /// <summary>The fixed document, or null when the fix does not apply (or, for ModuleList, would not compile).</summary>
        public static async Task<Document?> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return null;
            }

            switch (key)
            {
                case UnregisteredSubmoduleCodeFixProvider.RegisterComponentsKey:
                case UnregisteredSubmoduleCodeFixProvider.RegisterModuleKey:
                    var fixedRoot = AppendToConstructors(root, model, diagnostics, key == UnregisteredSubmoduleCodeFixProvider.RegisterModuleKey, cancellationToken);
                    return fixedRoot is null ? null : document.WithSyntaxRoot(fixedRoot);
                case UnregisteredSubmoduleCodeFixProvider.ModuleListKey:
                    return await ToModuleListAsync(document, diagnostics, cancellationToken).ConfigureAwait(false);
                default:
                    return null;
            }
        }

        // ---------------------------------------------------------------- RegisterComponents / register_module

        private static SyntaxNode? AppendToConstructors(SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, bool registerModule, CancellationToken cancellationToken)
        {
            var additions = new Dictionary<ConstructorDeclarationSyntax, List<(string Text, string Identity)>>();
            foreach (var diagnostic in diagnostics)
            {
                if (!(ConcreteClassOf(diagnostic, model) is { } type))
                {
                    continue;
                }

                var constructors = registerModule
                    ? RegisterModuleConstructors(diagnostic, type, root.SyntaxTree, model, cancellationToken)
                    : TargetConstructors(type, root.SyntaxTree, cancellationToken);
                if (constructors is null)
                {
                    continue;
                }

                if (registerModule)
                {
                    if (!diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.ModuleNameProperty, out var name) || name is null
                        || !diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.MemberProperty, out var member) || member is null
                        || !(MemberSymbolAt(root, model, diagnostic, cancellationToken) is { } symbol)
                        || !model.Compilation.IsSymbolAccessibleWithin(symbol, type))
                    {
                        continue;
                    }

                    var identity = "register_module:" + name;
                    foreach (var constructor in constructors)
                    {
                        var reference = NameIsShadowed(constructor, member) ? "this." + member : member;
                        Add(additions, constructor, ("register_module(" + SymbolDisplay.FormatLiteral(name, quote: true) + ", " + reference + ");", identity));
                    }

                    continue;
                }

                foreach (var constructor in constructors)
                {
                    Add(additions, constructor, ("RegisterComponents();", TorchNames.RegisterComponents));
                }
            }

            var edits = additions
                .Select(pair => (Constructor: pair.Key, Statements: pair.Value.Where(s => !AlreadyEndsWith(pair.Key, s.Identity)).Select(s => s.Text).ToList()))
                .Where(e => e.Statements.Count > 0)
                .ToDictionary(e => e.Constructor, e => e.Statements);
            if (edits.Count == 0)
            {
                return null;
            }

            var endOfLine = StatementTrivia.EndOfLine(root);
            return root.ReplaceNodes(edits.Keys, (original, current) => Append(current, edits[original], endOfLine));
        }

        private static void Add(Dictionary<ConstructorDeclarationSyntax, List<(string Text, string Identity)>> additions, ConstructorDeclarationSyntax constructor, (string Text, string Identity) statement)
        {
            if (!additions.TryGetValue(constructor, out var list))
            {
                additions[constructor] = list = new List<(string, string)>();
            }

            if (!list.Any(s => s.Identity == statement.Identity))
            {
                list.Add(statement);
            }
        }

        private static INamedTypeSymbol? ConcreteClassOf(Diagnostic diagnostic, SemanticModel model)
            => diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.ClassProperty, out var id) && id != null
                ? DocumentationCommentId.GetFirstSymbolForDeclarationId(id, model.Compilation) as INamedTypeSymbol
                : null;

        /// <summary>The field or auto-property declared where <paramref name="diagnostic"/> points.</summary>
        private static ISymbol? MemberSymbolAt(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var declaration = node.FirstAncestorOrSelf<SyntaxNode>(n => n is VariableDeclaratorSyntax || n is PropertyDeclarationSyntax);
            return declaration is null ? null : model.GetDeclaredSymbol(declaration, cancellationToken);
        }

        /// <summary>
        /// The constructors of <paramref name="type"/> that do not chain to another constructor of the class, when all of
        /// them are declared in <paramref name="tree"/>, none is a primary constructor and none leaves early with
        /// <c>return</c> (a statement at the end would not run on that path). Null when the fix cannot be made here.
        /// </summary>
        private static IReadOnlyList<ConstructorDeclarationSyntax>? TargetConstructors(INamedTypeSymbol type, SyntaxTree tree, CancellationToken cancellationToken)
        {
            var constructors = new List<ConstructorDeclarationSyntax>();
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (!(reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration))
                {
                    return null;
                }

                if (declaration.ParameterList != null)
                {
                    return null;
                }

                var declared = declaration.Members.OfType<ConstructorDeclarationSyntax>()
                    .Where(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword))
                    .ToList();
                if (declared.Count > 0 && declaration.SyntaxTree != tree)
                {
                    return null;
                }

                constructors.AddRange(declared);
            }

            var targets = constructors
                .Where(c => c.Initializer is null || !c.Initializer.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword))
                .ToList();
            if (targets.Count == 0 || targets.Any(c => c.Body is null && c.ExpressionBody is null) || targets.Any(LeavesEarly))
            {
                return null;
            }

            return targets;
        }

        /// <summary>
        /// For register_module: the constructors that leave the field unregistered (their end is the last thing that runs
        /// on those paths), without those that reach another of them through this(...) — registering a name twice throws.
        /// Null when one of them cannot be edited here.
        /// </summary>
        private static IReadOnlyList<ConstructorDeclarationSyntax>? RegisterModuleConstructors(
            Diagnostic diagnostic, INamedTypeSymbol type, SyntaxTree tree, SemanticModel model, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.ConstructorsProperty, out var ids) || string.IsNullOrEmpty(ids))
            {
                return null;
            }

            var symbols = new List<IMethodSymbol>();
            foreach (var id in ids!.Split(';'))
            {
                if (!(DocumentationCommentId.GetFirstSymbolForDeclarationId(id, model.Compilation) is IMethodSymbol constructor)
                    || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType, type))
                {
                    return null;
                }

                symbols.Add(constructor);
            }

            var declarations = new Dictionary<IMethodSymbol, ConstructorDeclarationSyntax>(SymbolEqualityComparer.Default);
            foreach (var constructor in symbols)
            {
                if (!(constructor.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax declaration)
                    || declaration.SyntaxTree != tree
                    || (declaration.Body is null && declaration.ExpressionBody is null)
                    || LeavesEarly(declaration))
                {
                    return null;
                }

                declarations[constructor] = declaration;
            }

            return declarations
                .Where(pair => !ChainsTo(pair.Key, declarations, model, cancellationToken))
                .Select(pair => pair.Value)
                .ToList();
        }

        /// <summary>Whether <paramref name="constructor"/> reaches another of <paramref name="targets"/> through this(...) initializers.</summary>
        private static bool ChainsTo(IMethodSymbol constructor, Dictionary<IMethodSymbol, ConstructorDeclarationSyntax> targets, SemanticModel model, CancellationToken cancellationToken)
        {
            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { constructor };
            var current = constructor;
            while (current.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax { Initializer: { } initializer } declaration
                   && initializer.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword)
                   && declaration.SyntaxTree == model.SyntaxTree
                   && model.GetSymbolInfo(initializer, cancellationToken).Symbol is IMethodSymbol next
                   && seen.Add(next))
            {
                if (targets.ContainsKey(next))
                {
                    return true;
                }

                current = next;
            }

            return false;
        }

        private static bool LeavesEarly(ConstructorDeclarationSyntax constructor)
            => constructor.Body != null
               && constructor.Body.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax))
                   .Any(n => n is ReturnStatementSyntax);

        /// <summary>Whether the last statement of the constructor already is this registration (a previous fix ran).</summary>
        private static bool AlreadyEndsWith(ConstructorDeclarationSyntax constructor, string identity)
        {
            if (constructor.Body is null)
            {
                return false;
            }

            foreach (var statement in constructor.Body.Statements.Reverse())
            {
                if (!(statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation }))
                {
                    return false;
                }

                var name = invocation.Expression switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax } member => member.Name.Identifier.ValueText,
                    _ => null,
                };
                if (identity == TorchNames.RegisterComponents && name == TorchNames.RegisterComponents)
                {
                    return true;
                }

                if (identity.StartsWith("register_module:", System.StringComparison.Ordinal)
                    && (name == TorchNames.RegisterModule || name == TorchNames.AddModule)
                    && invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
                    && "register_module:" + literal.Token.ValueText == identity)
                {
                    return true;
                }

                // Registrations added by earlier fixes sit together at the end: keep looking through them.
                if (name != TorchNames.RegisterComponents && name != TorchNames.RegisterModule && name != TorchNames.AddModule)
                {
                    return false;
                }
            }

            return false;
        }

        private static bool NameIsShadowed(ConstructorDeclarationSyntax constructor, string name)
            => constructor.ParameterList.Parameters.Any(p => p.Identifier.ValueText == name)
               || constructor.DescendantNodes().Any(n =>
                   (n is VariableDeclaratorSyntax v && v.Identifier.ValueText == name)
                   || (n is SingleVariableDesignationSyntax d && d.Identifier.ValueText == name));

        private static ConstructorDeclarationSyntax Append(ConstructorDeclarationSyntax constructor, List<string> statements, SyntaxTrivia endOfLine)
        {
            var parsed = statements.Select(s => ParseStatement(s)).ToList();
            if (constructor.Body is { } body && body.Statements.Count > 0)
            {
                var last = body.Statements.Last();
                var indentation = StatementTrivia.Indentation(last);
                var laidOut = parsed.Select(s => s.WithLeadingTrivia(indentation).WithTrailingTrivia(endOfLine));
                return constructor.WithBody(body.WithStatements(body.Statements.AddRange(laidOut)));
            }

            // An empty body, or an expression body: laid out as a block of its own, one statement per line.
            var statementsOfBlock = new List<StatementSyntax>();
            if (constructor.ExpressionBody is { } arrow)
            {
                statementsOfBlock.Add(ExpressionStatement(arrow.Expression.WithoutTrivia()));
            }

            statementsOfBlock.AddRange(parsed);
            var outer = MemberIndentation(constructor);
            var inner = outer.AddRange(IndentationUnit(constructor, outer));
            var closeTrailing = constructor.Body?.CloseBraceToken.TrailingTrivia ?? constructor.SemicolonToken.TrailingTrivia;
            var newBlock = Block(
                Token(outer, SyntaxKind.OpenBraceToken, TriviaList(endOfLine)),
                List(statementsOfBlock.Select(st => st.WithLeadingTrivia(inner).WithTrailingTrivia(endOfLine))),
                Token(outer, SyntaxKind.CloseBraceToken, closeTrailing));
            var header = constructor.WithBody(null).WithExpressionBody(null).WithSemicolonToken(default);
            var lastToken = header.GetLastToken();
            header = header.ReplaceToken(lastToken, lastToken.WithTrailingTrivia(endOfLine));
            return header.WithBody(newBlock);
        }

        /// <summary>The whitespace that starts the line of <paramref name="member"/>'s first token.</summary>
        private static SyntaxTriviaList MemberIndentation(MemberDeclarationSyntax member)
        {
            var leading = member.GetLeadingTrivia();
            var start = 0;
            for (var i = 0; i < leading.Count; i++)
            {
                if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia) || leading[i].HasStructure)
                {
                    start = i + 1;
                }
            }

            return TriviaList(leading.Skip(start).Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
        }

        /// <summary>One level of indentation as the file uses it: the member's indentation beyond its type's, else four spaces.</summary>
        private static SyntaxTriviaList IndentationUnit(ConstructorDeclarationSyntax constructor, SyntaxTriviaList memberIndentation)
        {
            var member = memberIndentation.ToFullString();
            var type = constructor.Parent is TypeDeclarationSyntax declaration ? MemberIndentation(declaration).ToFullString() : string.Empty;
            var unit = member.Length > type.Length && member.StartsWith(type, System.StringComparison.Ordinal) ? member.Substring(type.Length) : "    ";
            return TriviaList(Whitespace(unit));
        }

        // ---------------------------------------------------------------- List<T> -> ModuleList<T>

        private static async Task<Document?> ToModuleListAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            // One field at a time, each checked to compile: a field whose uses need List<T> is left as it is. The
            // reported identifiers are annotated first, so that each is found again after the edits before it.
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return null;
            }

            var annotations = new List<SyntaxAnnotation>();
            var tokens = new Dictionary<SyntaxToken, SyntaxAnnotation>();
            foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
            {
                var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (!tokens.ContainsKey(token))
                {
                    var annotation = new SyntaxAnnotation();
                    tokens[token] = annotation;
                    annotations.Add(annotation);
                }
            }

            var current = document.WithSyntaxRoot(root.ReplaceTokens(tokens.Keys, (original, _) => original.WithAdditionalAnnotations(tokens[original])));
            var changed = false;
            foreach (var annotation in annotations)
            {
                var currentRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var token = currentRoot?.GetAnnotatedTokens(annotation).FirstOrDefault() ?? default;
                if (token.RawKind != 0 && await ToModuleListAsync(current, token.Span, cancellationToken).ConfigureAwait(false) is { } next)
                {
                    current = next;
                    changed = true;
                }
            }

            return changed ? current : null;
        }

        private static async Task<Document?> ToModuleListAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return null;
            }

            var node = root.FindNode(span, getInnermostNodeForTie: true);
            TypeSyntax? declaredType;
            ISymbol? member;
            ExpressionSyntax? initializer;
            switch (node.FirstAncestorOrSelf<SyntaxNode>(n => n is VariableDeclaratorSyntax || n is PropertyDeclarationSyntax))
            {
                case VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } variable:
                    declaredType = declaration.Type;
                    member = model.GetDeclaredSymbol(variable, cancellationToken);
                    initializer = variable.Initializer?.Value;
                    break;
                case PropertyDeclarationSyntax property:
                    declaredType = property.Type;
                    member = model.GetDeclaredSymbol(property, cancellationToken);
                    initializer = property.Initializer?.Value;
                    break;
                default:
                    return null;
            }

            var listType = member switch
            {
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            } as INamedTypeSymbol;
            if (member is null || listType is null || !(ElementTypeSyntax(declaredType) is { } elementSyntax))
            {
                return null;
            }

            // The creations of the list that end up in this member: its initializer, and assignments to it in this file.
            var creations = new List<ObjectCreationExpressionSyntax>();
            if (initializer is ObjectCreationExpressionSyntax initialCreation)
            {
                creations.Add(initialCreation);
            }

            foreach (var assignment in root.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    && assignment.Right is ObjectCreationExpressionSyntax creation
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol?.OriginalDefinition, member.OriginalDefinition))
                {
                    creations.Add(creation);
                }
            }

            var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
            replacements[declaredType!] = ModuleListType(elementSyntax).WithTriviaFrom(declaredType!);
            foreach (var creation in creations)
            {
                if (!SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(creation, cancellationToken).Type, listType)
                    || !(ElementTypeSyntax(creation.Type) is { } creationElement))
                {
                    continue;
                }

                var arguments = creation.ArgumentList;
                if (arguments != null && arguments.Arguments.Count > 0)
                {
                    // new List<T>(capacity) keeps nothing worth keeping; new List<T>(items) has no ModuleList equivalent here.
                    var onlyCapacity = arguments.Arguments.Count == 1
                                       && model.GetTypeInfo(arguments.Arguments[0].Expression, cancellationToken).ConvertedType?.SpecialType == SpecialType.System_Int32;
                    if (!onlyCapacity)
                    {
                        return null;
                    }

                    arguments = arguments.WithArguments(default);
                }

                var newType = ModuleListType(creationElement).WithTriviaFrom(creation.Type);
                if (creation.Initializer != null && arguments != null && arguments.Arguments.Count == 0)
                {
                    // new List<T>(capacity) { … } → new ModuleList<T> { … }
                    newType = newType.WithTrailingTrivia(arguments.GetTrailingTrivia());
                    arguments = null;
                }

                replacements[creation] = creation
                    .WithType(newType)
                    .WithArgumentList(arguments ?? (creation.Initializer is null ? ArgumentList() : null));
            }

            // Documents that use the member: after the change they must not have more errors than before.
            var checkedDocuments = new HashSet<DocumentId> { document.Id };
            var references = await SymbolFinder.FindReferencesAsync(member, document.Project.Solution, cancellationToken).ConfigureAwait(false);
            foreach (var location in references.SelectMany(r => r.Locations))
            {
                checkedDocuments.Add(location.Document.Id);
            }

            var errorsBefore = await CountErrorsAsync(document.Project.Solution, checkedDocuments, cancellationToken).ConfigureAwait(false);
            var newRoot = root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
            var newDocument = document.WithSyntaxRoot(newRoot);
            newDocument = await ImportAdder.AddImportsAsync(newDocument, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            newDocument = await Simplifier.ReduceAsync(newDocument, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            var errorsAfter = await CountErrorsAsync(newDocument.Project.Solution, checkedDocuments, cancellationToken).ConfigureAwait(false);
            return errorsAfter > errorsBefore ? null : newDocument;
        }

        /// <summary>The <c>T</c> of a type written as <c>List&lt;T&gt;</c> or <c>System.Collections.Generic.List&lt;T&gt;</c>.</summary>
        private static TypeSyntax? ElementTypeSyntax(TypeSyntax? type)
        {
            var generic = type switch
            {
                GenericNameSyntax g => g,
                QualifiedNameSyntax { Right: GenericNameSyntax g } => g,
                AliasQualifiedNameSyntax { Name: GenericNameSyntax g } => g,
                _ => null,
            };
            return generic is { Identifier.ValueText: "List", TypeArgumentList.Arguments.Count: 1 }
                ? generic.TypeArgumentList.Arguments[0]
                : null;
        }

        private static TypeSyntax ModuleListType(TypeSyntax element)
            => QualifiedName(
                    QualifiedName(IdentifierName("TorchSharp"), IdentifierName("Modules")),
                    GenericName(Identifier("ModuleList"), TypeArgumentList(SingletonSeparatedList(element.WithoutTrivia()))))
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

        private static async Task<int> CountErrorsAsync(Solution solution, IEnumerable<DocumentId> documents, CancellationToken cancellationToken)
        {
            var count = 0;
            foreach (var id in documents)
            {
                if (solution.GetDocument(id) is { } document
                    && await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is { } model)
                {
                    count += model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
                }
            }

            return count;
        }
    }
}
