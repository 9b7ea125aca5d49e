using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>One C# source of the corpus and where it came from.</summary>
    internal sealed record CorpusSource(string Origin, string Code);

    /// <summary>
    /// The C# sources the rule tests feed the analyzers, recovered from <c>tests/TorchSharp.Analyzers.Tests/Rules/**/*.cs</c>
    /// with Roslyn: every argument, assignment and initializer element that evaluates to a string is evaluated with a
    /// small constant folder (literals, interpolations, <c>+</c>, const and static readonly string fields, and calls of
    /// the test class's own string helpers such as <c>Method(body)</c>/<c>Code(members)</c> with their arguments
    /// substituted). Test markup (<c>{|#0:…|}</c>, <c>[|…|]</c>) is removed. What looks like a whole file (it mentions
    /// TorchSharp and declares a type) is kept as it is; a body fragment is wrapped by <see cref="FragmentHarness"/>.
    /// </summary>
    internal static class TestSources
    {
        private static readonly Regex OpenMarkup = new(@"\{\|[^:|{}\s]*:");

        /// <summary>All sources, deduplicated, in a stable order.</summary>
        public static ImmutableArray<CorpusSource> All { get; } = Load();

        /// <summary>Removes test markup.</summary>
        public static string StripMarkup(string code)
            => OpenMarkup.Replace(code, string.Empty).Replace("|}", string.Empty).Replace("[|", string.Empty).Replace("|]", string.Empty);

        private static ImmutableArray<CorpusSource> Load()
        {
            var directory = Repository.PathOf("tests/TorchSharp.Analyzers.Tests/Rules");
            var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();
            var evaluator = new Evaluator(trees);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = ImmutableArray.CreateBuilder<CorpusSource>();
            foreach (var tree in trees)
            {
                var root = tree.GetRoot();
                var candidates = root.DescendantNodes().Where(n =>
                    n is ArgumentSyntax
                    || (n is AssignmentExpressionSyntax a && a.Parent is InitializerExpressionSyntax)
                    || (n is ExpressionSyntax && n.Parent is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.CollectionInitializerExpression }));
                foreach (var candidate in candidates)
                {
                    var expression = candidate switch
                    {
                        ArgumentSyntax argument => argument.Expression,
                        AssignmentExpressionSyntax assignment => assignment.Right,
                        _ => (ExpressionSyntax)candidate,
                    };
                    if (evaluator.Evaluate(expression, ImmutableDictionary<string, string>.Empty) is not { } text)
                    {
                        continue;
                    }

                    var code = StripMarkup(text);
                    if (!code.Contains("torch", StringComparison.Ordinal) || code.Length < 40)
                    {
                        continue;
                    }

                    var whole = code.Contains("using ", StringComparison.Ordinal) && (code.Contains("class ", StringComparison.Ordinal) || code.Contains("struct ", StringComparison.Ordinal));
                    var file = whole ? code : FragmentHarness.Wrap(code);
                    if (seen.Add(file))
                    {
                        var line = candidate.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        result.Add(new CorpusSource($"{Repository.Relative(tree.FilePath)}:{line}", file));
                    }
                }
            }

            return result.ToImmutable();
        }

        /// <summary>A constant folder over the string expressions of the test files.</summary>
        private sealed class Evaluator
        {
            private readonly Dictionary<string, List<(ClassDeclarationSyntax Owner, VariableDeclaratorSyntax Field)>> _fields = new(StringComparer.Ordinal);
            private readonly Dictionary<string, List<(ClassDeclarationSyntax Owner, MethodDeclarationSyntax Method)>> _methods = new(StringComparer.Ordinal);
            private int _depth;

            public Evaluator(IEnumerable<SyntaxTree> trees)
            {
                foreach (var type in trees.SelectMany(t => t.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()))
                {
                    foreach (var field in type.Members.OfType<FieldDeclarationSyntax>())
                    {
                        foreach (var variable in field.Declaration.Variables.Where(v => v.Initializer is not null))
                        {
                            Add(_fields, variable.Identifier.ValueText, (type, variable));
                        }
                    }

                    foreach (var method in type.Members.OfType<MethodDeclarationSyntax>().Where(m => m.ReturnType.ToString() == "string"))
                    {
                        Add(_methods, method.Identifier.ValueText, (type, method));
                    }
                }
            }

            public string? Evaluate(ExpressionSyntax expression, ImmutableDictionary<string, string> parameters)
            {
                if (_depth > 20)
                {
                    return null;
                }

                _depth++;
                try
                {
                    return EvaluateCore(expression, parameters);
                }
                finally
                {
                    _depth--;
                }
            }

            private string? EvaluateCore(ExpressionSyntax expression, ImmutableDictionary<string, string> parameters)
            {
                var owner = expression.FirstAncestorOrSelf<ClassDeclarationSyntax>();
                switch (expression)
                {
                    case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                        return literal.Token.ValueText;
                    case ParenthesizedExpressionSyntax parenthesized:
                        return Evaluate(parenthesized.Expression, parameters);
                    case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                        return Evaluate(binary.Left, parameters) is { } left && Evaluate(binary.Right, parameters) is { } right ? left + right : null;
                    case InterpolatedStringExpressionSyntax interpolated:
                        var builder = new StringBuilder();
                        foreach (var content in interpolated.Contents)
                        {
                            if (content is InterpolatedStringTextSyntax text)
                            {
                                builder.Append(text.TextToken.ValueText);
                            }
                            else if (content is InterpolationSyntax hole && Evaluate(hole.Expression, parameters) is { } value)
                            {
                                builder.Append(value);
                            }
                            else
                            {
                                return null;
                            }
                        }

                        return builder.ToString();
                    case IdentifierNameSyntax identifier:
                        return parameters.TryGetValue(identifier.Identifier.ValueText, out var bound) ? bound : Field(identifier.Identifier.ValueText, owner, null);
                    case MemberAccessExpressionSyntax member when member.Expression is IdentifierNameSyntax type:
                        return Field(member.Name.Identifier.ValueText, owner, type.Identifier.ValueText);
                    case InvocationExpressionSyntax invocation:
                        var (name, qualifier) = invocation.Expression switch
                        {
                            IdentifierNameSyntax id => (id.Identifier.ValueText, (string?)null),
                            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax q } m => (m.Name.Identifier.ValueText, q.Identifier.ValueText),
                            _ => (null, null),
                        };
                        if (name is null || Pick(_methods, name, owner, qualifier) is not { } method)
                        {
                            return null;
                        }

                        var arguments = invocation.ArgumentList.Arguments;
                        var methodParameters = method.ParameterList.Parameters;
                        var bindings = ImmutableDictionary<string, string>.Empty;
                        for (var i = 0; i < methodParameters.Count; i++)
                        {
                            ExpressionSyntax? argument = i < arguments.Count ? arguments[i].Expression : methodParameters[i].Default?.Value;
                            if (argument is null || Evaluate(argument, i < arguments.Count ? parameters : ImmutableDictionary<string, string>.Empty) is not { } value)
                            {
                                return null;
                            }

                            bindings = bindings.SetItem(methodParameters[i].Identifier.ValueText, value);
                        }

                        var body = method.ExpressionBody?.Expression
                            ?? (method.Body?.Statements.Count == 1 && method.Body.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
                        return body is null ? null : Evaluate(body, bindings);
                    default:
                        return null;
                }
            }

            private string? Field(string name, ClassDeclarationSyntax? owner, string? qualifier)
                => Pick(_fields, name, owner, qualifier) is { Initializer: { } initializer }
                    ? Evaluate(initializer.Value, ImmutableDictionary<string, string>.Empty)
                    : null;

            private static T? Pick<T>(Dictionary<string, List<(ClassDeclarationSyntax Owner, T Member)>> members, string name, ClassDeclarationSyntax? owner, string? qualifier)
                where T : class
            {
                if (!members.TryGetValue(name, out var list))
                {
                    return null;
                }

                if (qualifier is not null)
                {
                    return list.FirstOrDefault(m => m.Owner.Identifier.ValueText == qualifier).Member;
                }

                return list.FirstOrDefault(m => m.Owner == owner).Member ?? (list.Count == 1 ? list[0].Member : null);
            }

            private static void Add<T>(Dictionary<string, List<(ClassDeclarationSyntax, T)>> map, string name, (ClassDeclarationSyntax, T) item)
            {
                if (!map.TryGetValue(name, out var list))
                {
                    map[name] = list = new List<(ClassDeclarationSyntax, T)>();
                }

                list.Add(item);
            }
        }
    }
}
