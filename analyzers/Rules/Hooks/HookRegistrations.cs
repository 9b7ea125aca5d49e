using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Hooks
{
    /// <summary>
    /// TORCH010's compilation-wide fact: where this compilation registers a forward hook or pre-hook — a call of TorchSharp's
    /// <c>register_forward_hook</c>/<c>register_forward_pre_hook</c>, or a module handed to a configured method known to
    /// register hooks (the runtime monitor's <c>TorchMonitor.Attach</c> by default). Computed once per compilation (and
    /// per configured list), on the first <c>forward(..)</c> the rule judges: a text search finds the few calls written
    /// with those names, and only they are bound.
    /// </summary>
    internal sealed class HookRegistrations
    {
        /// <summary>TorchSharp's hook registrations (on <c>HookableModule&lt;,&gt;</c>).</summary>
        public static ImmutableArray<string> TorchSharpMethods => Api.TorchNames.ForwardHookRegistrations;

        private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<string, Lazy<HookRegistrations>>> Cache =
            new ConditionalWeakTable<Compilation, ConcurrentDictionary<string, Lazy<HookRegistrations>>>();

        private HookRegistrations(SyntaxNode? first, string? what)
        {
            First = first;
            What = what;
        }

        /// <summary>The first registration in the compilation's tree order, or null when there is none.</summary>
        public SyntaxNode? First { get; }

        /// <summary>How the first registration is called, for messages (<c>register_forward_hook</c>, <c>TorchMonitor.Attach</c>).</summary>
        public string? What { get; }

        /// <summary>
        /// The registrations of <paramref name="symbols"/>' compilation, where <paramref name="registeringMethods"/> (a
        /// comma-separated list of <c>Namespace.Type.Method</c> or bare method names) also count when given a module. With
        /// <paramref name="exhaustive"/> (<c>exhaustive_flow</c>, the same for every question of a compilation) the calls
        /// are found in every tree's syntax instead of the text index.
        /// </summary>
        public static HookRegistrations For(TorchSymbols symbols, string registeringMethods, bool exhaustive = false)
            => Cache.GetOrCreateValue(symbols.Compilation)
                .GetOrAdd(registeringMethods, list => new Lazy<HookRegistrations>(() => Find(symbols, list, exhaustive), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication))
                .Value;

        private static HookRegistrations Find(TorchSymbols symbols, string registeringMethods, bool exhaustive)
        {
            var configured = Parse(registeringMethods);
            var compilation = symbols.Compilation;
            foreach (var tree in compilation.SyntaxTrees)
            {
                var words = SourceWords.Of(tree);
                Func<string, ImmutableArray<SyntaxNode>> callsWritten = exhaustive ? name => InvocationsWritten(tree, name) : name => EscapedNames.CallsWritten(words, name);
                SemanticModel? model = null;
                foreach (var name in TorchSharpMethods)
                {
                    foreach (var node in callsWritten(name))
                    {
                        model ??= compilation.GetSemanticModel(tree);
                        if (node is InvocationExpressionSyntax invocation && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method
                            && !method.IsStatic && method.Name == name && symbols.IsTorchSharp(method))
                        {
                            return new HookRegistrations(invocation, name);
                        }
                    }
                }

                foreach (var (typeName, methodName) in configured)
                {
                    foreach (var node in callsWritten(methodName))
                    {
                        model ??= compilation.GetSemanticModel(tree);
                        if (node is InvocationExpressionSyntax invocation && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method
                            && method.Name == methodName
                            && (typeName is null || method.ContainingType?.ToDisplayString() == typeName)
                            && GivesAModule(invocation, model, symbols))
                        {
                            return new HookRegistrations(invocation, (method.ContainingType?.Name is { } type ? type + "." : string.Empty) + methodName);
                        }
                    }
                }
            }

            return new HookRegistrations(null, null);
        }

        /// <summary>
        /// The invocations of <paramref name="tree"/> written with <paramref name="name"/>, from its syntax: what
        /// <see cref="SourceWords.CallsWritten"/> finds from the text, in the same order (of the name's position).
        /// </summary>
        private static ImmutableArray<SyntaxNode> InvocationsWritten(SyntaxTree tree, string name)
        {
            var calls = new System.Collections.Generic.List<InvocationExpressionSyntax>();
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is InvocationExpressionSyntax invocation && InvokedNames.Of(invocation) == name)
                {
                    calls.Add(invocation);
                }
            }

            calls.Sort((x, y) => Flow.Modes.BoundCallSites.NamePosition(x).CompareTo(Flow.Modes.BoundCallSites.NamePosition(y)));
            return calls.ToImmutableArray<SyntaxNode>();
        }

        private static bool GivesAModule(InvocationExpressionSyntax invocation, SemanticModel model, TorchSymbols symbols)
        {
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                if (symbols.IsModule(model.GetTypeInfo(argument.Expression).Type))
                {
                    return true;
                }
            }

            return invocation.Expression is MemberAccessExpressionSyntax access && symbols.IsModule(model.GetTypeInfo(access.Expression).Type);
        }

        private static ImmutableArray<(string? Type, string Method)> Parse(string list)
        {
            var entries = ImmutableArray.CreateBuilder<(string?, string)>();
            foreach (var raw in list.Split(','))
            {
                var entry = raw.Trim();
                if (entry.Length == 0)
                {
                    continue;
                }

                var dot = entry.LastIndexOf('.');
                entries.Add(dot < 0 ? (null, entry) : (entry.Substring(0, dot), entry.Substring(dot + 1)));
            }

            return entries.ToImmutable();
        }
    }
}
