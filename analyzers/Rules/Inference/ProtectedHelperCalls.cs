using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Api;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// TORCH002 at the unprotected call of a helper (issue 14, item 5): a method of this compilation that runs a model for
    /// inference in the grad mode its callers give, which some call runs inside a grad-disabled scope and others provably
    /// with autograd on. The finding belongs to those other calls; it is reported while the rule analyses the block that
    /// holds each of them, so that the IDE shows it in the caller's document and the fix can wrap the call.
    /// <para>
    /// The helper's findings are TORCH002's own per-pass decision (<see cref="MissingNoGradAnalyzer.FindingsOf"/>) asked of
    /// the helper's body, once per helper and compilation. Most blocks call no such helper: the names of the candidates —
    /// methods whose text names <c>call</c> or <c>forward</c> and a call of which may sit in a grad-disabled scope (the
    /// engine's text index) — are read once per compilation, and a block whose text names none of them pays a text search.
    /// </para>
    /// </summary>
    internal sealed class ProtectedHelperCalls
    {
        private static readonly ConditionalWeakTable<Compilation, ProtectedHelperCalls> Cache = new ConditionalWeakTable<Compilation, ProtectedHelperCalls>();

        private readonly Compilation _compilation;
        private readonly AnalyzerOptions _options;
        private readonly ModeFlowEngine _engine;
        private readonly Lazy<ImmutableDictionary<string, ImmutableArray<IMethodSymbol>>> _helpers;
        private readonly ConcurrentDictionary<IMethodSymbol, Lazy<ImmutableArray<InferencePassFinding>>> _findings
            = new ConcurrentDictionary<IMethodSymbol, Lazy<ImmutableArray<InferencePassFinding>>>(SymbolEqualityComparer.Default);

        private ProtectedHelperCalls(Compilation compilation, AnalyzerOptions options, ModeFlowEngine engine)
        {
            _compilation = compilation;
            _options = options;
            _engine = engine;
            _helpers = new Lazy<ImmutableDictionary<string, ImmutableArray<IMethodSymbol>>>(FindHelpers, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        // Looked up first: the gate asks for every block of the compilation.
        public static ProtectedHelperCalls For(OperationBlockAnalysisContext context, ModeFlowEngine engine)
            => Cache.TryGetValue(context.Compilation, out var calls)
                ? calls
                : Cache.GetValue(context.Compilation, c => new ProtectedHelperCalls(c, context.Options, engine));

        /// <summary>Whether the text of the block names a candidate helper (the rule's gate for blocks that run no model).</summary>
        public bool MayBeCalledIn(OperationBlockAnalysisContext context) => NamedIn(context).Any();

        /// <summary>
        /// Reports every call in the block that runs a helper with autograd on while another call of it runs it inside a
        /// grad-disabled scope, naming the helper, its pass and the protected call (both additional locations).
        /// </summary>
        public void Report(OperationBlockAnalysisContext context, Action<Diagnostic> report, Func<SyntaxNode, ImmutableDictionary<string, string?>?> propertiesOf)
        {
            var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
            var helpers = new HashSet<IMethodSymbol>(NamedIn(context).SelectMany(name => _helpers.Value[name]), SymbolEqualityComparer.Default);
            foreach (var helper in helpers)
            {
                // The helper's findings ask about every call of it in the compilation; a block whose every call of that
                // name is proved to run inside a grad-disabled scope (a using block of no_grad around it, read from the
                // syntax) holds none of the calls they could name, and does not ask.
                // A constructor is filed under words as common as `new`: the block must run it (a creation or a
                // constructor initializer bound to it) to hold one of its calls.
                if (helper.MethodKind == MethodKind.Constructor
                        ? !RunsConstructor(context, helper)
                        : EveryCallIsProvedGradOff(context, CallSites.CallName(helper)))
                {
                    continue;
                }

                foreach (var finding in FindingsOf(helper))
                {
                    foreach (var call in finding.UnprotectedCalls)
                    {
                        // Each call is reported by the block that holds it (a call in a lambda belongs to its member's block).
                        if (call.SyntaxTree != tree || !context.OperationBlocks.Any(block => block.Syntax.Span.Contains(call.Span)))
                        {
                            continue;
                        }

                        report(Diagnostic.Create(
                            Descriptors.MissingNoGrad,
                            call.GetLocation(),
                            new[] { finding.Pass.Syntax.GetLocation(), finding.ProtectedCall!.GetLocation() },
                            propertiesOf(call),
                            CallText(helper),
                            "through '" + finding.ModuleText + "' at " + SourceLines.LineText(finding.Pass.Syntax, tree) + ": " + finding.Why
                            + "; the call at " + SourceLines.LineText(finding.ProtectedCall, tree) + " runs it inside a grad-disabled scope, this call does not"));
                    }
                }
            }
        }

        // Whether the block calls the name at least once and every such call is proved to run with autograd off.
        private bool EveryCallIsProvedGradOff(OperationBlockAnalysisContext context, string name)
        {
            var calls = 0;
            foreach (var block in context.OperationBlocks)
            {
                var unproved = block.AnyInTree(operation =>
                {
                    if (!(operation is Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation) || CallSites.CallName(invocation.TargetMethod) != name)
                    {
                        return false;
                    }

                    calls++;
                    return !_engine.GradIsProvedOff(invocation);
                });
                if (unproved)
                {
                    return false;
                }
            }

            return calls > 0;
        }

        // Whether the block creates an object with this constructor or chains to it (`: base(..)`, `: this(..)`).
        private static bool RunsConstructor(OperationBlockAnalysisContext context, IMethodSymbol constructor)
            => context.OperationBlocks.Any(block => block.AnyInTree(operation => operation switch
            {
                Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation => SymbolEqualityComparer.Default.Equals(creation.Constructor?.OriginalDefinition, constructor),
                Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation => SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, constructor),
                _ => false,
            }));

        // How the message names the helper: as its calls are written.
        private static string CallText(IMethodSymbol helper)
            => helper.MethodKind == MethodKind.Constructor ? "new " + helper.ContainingType.Name + "()" : CallSites.CallName(helper) + "()";

        // The candidate names the block's text holds, as a whole word (Unicode escapes too); the calls through virtual
        // dispatch and interfaces are written with the helper's name as well.
        private IEnumerable<string> NamedIn(OperationBlockAnalysisContext context)
        {
            var helpers = _helpers.Value;
            if (helpers.IsEmpty)
            {
                yield break;
            }

            var text = SourceWords.Of(context.OperationBlocks[0].Syntax.SyntaxTree);
            foreach (var name in helpers.Keys)
            {
                if (context.OperationBlocks.Any(block => EscapedNames.ContainsWord(text, name, block.Syntax.Span.Start, block.Syntax.Span.End)))
                {
                    yield return name;
                }
            }
        }

        // A helper's findings that belong to its calls, computed once: the first block to ask pays for the helper's flow.
        private ImmutableArray<InferencePassFinding> FindingsOf(IMethodSymbol helper)
            => _findings.GetOrAdd(helper, h => new Lazy<ImmutableArray<InferencePassFinding>>(() => ComputeFindings(h), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

        private ImmutableArray<InferencePassFinding> ComputeFindings(IMethodSymbol helper)
        {
            // Binding the helper's body ahead of the driver was most of this path's cost; most helpers a caller names run
            // their every pass in a grad-disabled scope of their own (nothing of the callers' grad mode reaches it), which
            // the syntax tells without binding.
            if (EveryPassHasItsOwnGradOffScope(helper))
            {
                return ImmutableArray<InferencePassFinding>.Empty;
            }

            // The engine binds the body only in a tree of this compilation (in an IDE a method of another project has its
            // trees elsewhere): null otherwise.
            if (!(_engine.BodyOperationOf(helper) is { } body))
            {
                return ImmutableArray<InferencePassFinding>.Empty;
            }

            // The rule's decision reads an operation block through its analysis context; the public constructor makes one
            // for the helper's body (its control flow graph is built on request, diagnostics are not reported from here).
#pragma warning disable CS0618 // Obsolete: meant for hosts, which should use CompilationWithAnalyzers; here no analyzer is run.
            var context = new OperationBlockAnalysisContext(ImmutableArray.Create(body), helper, _compilation, _options, _ => { }, _ => true, CancellationToken.None);
#pragma warning restore CS0618
            return MissingNoGradAnalyzer.FindingsOf(context, _engine).Where(finding => finding.IsReportedAtCalls).ToImmutableArray();
        }

        /// <summary>
        /// Whether every call in the helper's body that could be a forward pass — a call written <c>call</c> or
        /// <c>forward</c>, the words that made it a candidate — is proved from the syntax to run inside a grad-disabled
        /// scope of the helper's own (<see cref="ModeFlowEngine.GradIsProvedOffBySyntax"/>): then no pass runs in the grad
        /// mode its callers give, and its calls have no finding. Any other use of the words keeps the helper in question.
        /// </summary>
        private bool EveryPassHasItsOwnGradOffScope(IMethodSymbol helper)
        {
            if (_engine.Exhaustive || helper.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            foreach (var reference in helper.DeclaringSyntaxReferences)
            {
                if (!(reference.GetSyntax() is BaseMethodDeclarationSyntax declaration) || !(BodyOf(declaration) is { } body))
                {
                    return false;
                }

                var text = SourceWords.Of(reference.SyntaxTree);
                foreach (var word in new[] { TorchNames.Call, TorchNames.Forward })
                {
                    foreach (var token in EscapedNames.TokensIn(text, word, body.Span))
                    {
                        if (!(token.Parent is SimpleNameSyntax name && InvocationNamed(name) is { } call && _engine.GradIsProvedOffBySyntax(call)))
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }

        // The invocation that calls the name: `forward(x)`, `m.forward(x)`, `m?.forward(x)`; null for any other use of it.
        private static InvocationExpressionSyntax? InvocationNamed(SimpleNameSyntax name)
        {
            var invoked = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access
                : name.Parent is MemberBindingExpressionSyntax binding && binding.Name == name ? (ExpressionSyntax)binding
                : name;
            return invoked.Parent is InvocationExpressionSyntax invocation && invocation.Expression == invoked ? invocation : null;
        }

        /// <summary>
        /// The candidate helpers by a word that every call of them is written with: methods and constructors declared in
        /// this compilation with a body whose text names <c>call</c> or <c>forward</c> (the rest run no model of their own);
        /// of the methods, those some call of which the engine's text index says may run with autograd off (the rest have
        /// no protected call), under the name their calls are written with. A constructor may run under any creation,
        /// initializer or alias of its type: it is filed under <c>new</c>, <c>base</c>, <c>this</c> and its type's name
        /// (a primary-constructor base). With the shortcuts off (<see cref="ModeFlowEngine.Exhaustive"/>) every declared
        /// method and constructor is a candidate.
        /// </summary>
        private ImmutableDictionary<string, ImmutableArray<IMethodSymbol>> FindHelpers()
        {
            var methods = new List<MethodDeclarationSyntax>();
            var constructorTypes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                var text = SourceWords.Of(tree);
                if (!_engine.Exhaustive && !NamesAPass(text, 0, text.Text.Length))
                {
                    continue;
                }

                foreach (var member in _engine.Exhaustive ? DeclaredMembers(tree) : MembersNamingAPass(text))
                {
                    if (!(BodyOf(member) is { } body) || !(_engine.Exhaustive || NamesAPass(text, body.SpanStart, body.Span.End)))
                    {
                        continue;
                    }

                    switch (member)
                    {
                        case MethodDeclarationSyntax method:
                            methods.Add(method);
                            break;
                        case ConstructorDeclarationSyntax constructor:
                            constructorTypes.Add(constructor.Identifier.ValueText);
                            break;
                    }
                }
            }

            var helpers = new Dictionary<string, ImmutableArray<IMethodSymbol>.Builder>(StringComparer.Ordinal);

            // The methods themselves, from their declarations: asked by name, the compiler would also hand over every
            // other method of that name (a Bonsai operator's hundred `Process` methods), each to be judged for nothing —
            // a method whose body names no pass has no finding to give its calls. The text index is asked first, by the
            // name the calls are written with (an explicit implementation's identifier is the interface method's name):
            // a method's symbol, once asked for, completes its signature ahead of the compiler.
            foreach (var declaration in methods)
            {
                var callName = declaration.Identifier.ValueText;
                if (!_engine.CallsMayRunWithGradOff(callName))
                {
                    continue;
                }

                // A module's forward is a piece of its caller's forward pass, never a helper whose calls are judged.
                if (_compilation.ModelIfInSource(declaration.SyntaxTree)?.GetDeclaredSymbol(declaration) is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method
                    && !(callName == TorchNames.Forward && _engine.Symbols.IsModule(method.ContainingType)))
                {
                    File(helpers, callName, method);
                }
            }

            foreach (var symbol in constructorTypes.Count == 0 ? Enumerable.Empty<ISymbol>() : _compilation.GetSymbolsWithName(name => constructorTypes.Contains(name), SymbolFilter.Type))
            {
                if (!(symbol is INamedTypeSymbol type))
                {
                    continue;
                }

                foreach (var constructor in type.InstanceConstructors)
                {
                    if (!constructor.IsImplicitlyDeclared && constructor.DeclaringSyntaxReferences.Any(reference => _engine.Exhaustive || (reference.GetSyntax() is BaseMethodDeclarationSyntax declaration
                            && BodyOf(declaration) is { } body && NamesAPass(SourceWords.Of(reference.SyntaxTree), body.SpanStart, body.Span.End))))
                    {
                        foreach (var word in new[] { type.Name, "new", "base", "this" })
                        {
                            File(helpers, word, constructor.OriginalDefinition);
                        }
                    }
                }
            }

            return helpers.ToImmutableDictionary(pair => pair.Key, pair => pair.Value.ToImmutable(), StringComparer.Ordinal);
        }

        // Every method, constructor and operator declared in the tree (not the local functions in them).
        private static IEnumerable<BaseMethodDeclarationSyntax> DeclaredMembers(SyntaxTree tree)
            => tree.GetRoot().DescendantNodes(node => !(node is BaseMethodDeclarationSyntax)).OfType<BaseMethodDeclarationSyntax>();

        // The members around the words `call` and `forward` of the tree, each once, from the word index: the same
        // members DeclaredMembers would keep after the text check, without walking the syntax of every file that names
        // a forward pass somewhere.
        private static IEnumerable<BaseMethodDeclarationSyntax> MembersNamingAPass(SourceWords text)
        {
            var members = new HashSet<BaseMethodDeclarationSyntax>();
            var whole = new Microsoft.CodeAnalysis.Text.TextSpan(0, text.Text.Length);
            foreach (var word in new[] { TorchNames.Call, TorchNames.Forward })
            {
                foreach (var token in EscapedNames.TokensIn(text, word, whole))
                {
                    if (token.Parent?.FirstAncestorOrSelf<BaseMethodDeclarationSyntax>() is { } member)
                    {
                        members.Add(member);
                    }
                }
            }

            return members;
        }

        private static void File(Dictionary<string, ImmutableArray<IMethodSymbol>.Builder> helpers, string word, IMethodSymbol helper)
        {
            if (!helpers.TryGetValue(word, out var filed))
            {
                helpers[word] = filed = ImmutableArray.CreateBuilder<IMethodSymbol>();
            }

            filed.Add(helper.OriginalDefinition);
        }

        private static SyntaxNode? BodyOf(BaseMethodDeclarationSyntax member) => (SyntaxNode?)member.Body ?? member.ExpressionBody;

        private static bool NamesAPass(SourceWords text, int start, int end)
            => EscapedNames.ContainsWord(text, TorchNames.Call, start, end) || EscapedNames.ContainsWord(text, TorchNames.Forward, start, end);
    }
}
