using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Rules.Hooks;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH010: <c>module.forward(..)</c> called directly where <c>module.call(..)</c> is meant. TorchSharp runs a module's
    /// forward hooks and pre-hooks in <c>call</c> only. Reported for a <c>forward</c> that overrides the abstract
    /// <c>forward</c> of <c>Module&lt;T…,TResult&gt;</c> (so a <c>call</c> with the same arguments exists), except
    /// <c>base.forward(..)</c>, <c>forward</c> on <c>this</c> inside a method named <c>call</c> (a <c>call</c> that replaces
    /// TorchSharp's would recurse) and calls inside a hook's own body. A warning when this compilation registers a forward
    /// hook or pre-hook (or hands a module to a configured method that does); otherwise the severity of
    /// <see cref="SeverityWithoutHooksOption"/> (silent by default: the IDE offers the fix, builds and the CLI list nothing —
    /// on public model ports this shape is everywhere and changes nothing at run time while no hook exists), and the message
    /// says the hooks would be skipped.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DirectForwardAnalyzer : TorchSharpAnalyzer
    {
        /// <summary>
        /// <c>.editorconfig</c> key: the severity when this compilation registers no hook — <c>silent</c> (default),
        /// <c>suggestion</c>, <c>warning</c>, <c>error</c> or <c>none</c> (not reported).
        /// </summary>
        public const string SeverityWithoutHooksOption = "TORCH010.severity_without_hooks";

        /// <summary>
        /// <c>.editorconfig</c> key: <c>true</c> says that the modules of this code get hooks registered elsewhere (a library
        /// whose users hook its modules): every finding is then a warning.
        /// </summary>
        public const string HooksRegisteredOption = "TORCH010.hooks_registered";

        /// <summary>
        /// <c>.editorconfig</c> key (read from the global options): methods that register hooks on a module they are given,
        /// comma-separated, <c>Namespace.Type.Method</c> or a bare method name. Default: <see cref="DefaultHookRegisteringMethods"/>.
        /// </summary>
        public const string HookRegisteringMethodsOption = "TORCH010.hook_registering_methods";

        /// <summary>The runtime monitor hooks every module it attaches.</summary>
        public const string DefaultHookRegisteringMethods = "TorchSharp.Analyzers.Runtime.TorchMonitor.Attach";

        /// <summary>Diagnostic property: <c>true</c> when this compilation registers hooks.</summary>
        public const string HooksProperty = "Hooks";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.DirectForward);

        // Every finding is the forward call or method reference of an operation the driver handed over, which it does not
        // do in generated code; the per-file generated-code walk on reporting would only repeat that. TORCH010 reports at
        // every direct forward call (silently without hooks), which in ported model code is in most files.
        private protected override GeneratedCodeAnalysisFlags GeneratedCodeAnalysis => GeneratedCodeAnalysisFlags.ReportDiagnostics;

        private protected override void Register(CompilationStartAnalysisContext context)
        {
            // exhaustive_flow switches the text gate off: every member's invocations are judged.
            var exhaustive = EditorConfigOptions.GetGlobalBool(context.Options, Flow.Modes.ModeFlowEngine.ExhaustiveOption, defaultValue: false);
            context.RegisterOperationBlockStartAction(start =>
            {
                // A member whose text never says "forward" calls no forward: its invocations cost no callback.
                if (start.OperationBlocks.IsEmpty || !(TorchSymbols.For(start.Compilation) is { } symbols))
                {
                    return;
                }

                var syntax = start.OperationBlocks[0].Syntax;
                if (!exhaustive && !EscapedNames.ContainsWord(SourceWords.Of(syntax.SyntaxTree), TorchNames.Forward, syntax.SpanStart, syntax.Span.End) && !AnyBlockMentionsForward(start.OperationBlocks))
                {
                    return;
                }

                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
                start.RegisterOperationAction(c => AnalyzeMethodReference(c, symbols), OperationKind.MethodReference);
            });
        }

        private static bool AnyBlockMentionsForward(ImmutableArray<IOperation> blocks)
        {
            for (var i = 1; i < blocks.Length; i++)
            {
                var syntax = blocks[i].Syntax;
                if (EscapedNames.ContainsWord(SourceWords.Of(syntax.SyntaxTree), TorchNames.Forward, syntax.SpanStart, syntax.Span.End))
                {
                    return true;
                }
            }

            return false;
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, TorchSymbols symbols)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.Syntax is InvocationExpressionSyntax syntax && IsDirectForward(invocation.TargetMethod, invocation.Instance, invocation, context.ContainingSymbol, symbols))
            {
                Report(context, symbols, invocation.Instance!, NameLocation(syntax.Expression) ?? syntax.GetLocation());
            }
        }

        private static void AnalyzeMethodReference(OperationAnalysisContext context, TorchSymbols symbols)
        {
            var reference = (IMethodReferenceOperation)context.Operation;
            // A method group handed on (Select(layer.forward), a Func field): the delegate bypasses the hooks too.
            if (!(reference.Parent is IInvocationOperation) && IsDirectForward(reference.Method, reference.Instance, reference, context.ContainingSymbol, symbols))
            {
                Report(context, symbols, reference.Instance!, NameLocation(reference.Syntax) ?? reference.Syntax.GetLocation());
            }
        }

        /// <summary>
        /// Whether <paramref name="method"/>, called on <paramref name="instance"/>, is a module's <c>forward</c> with a
        /// <c>call</c> counterpart, called where <c>call</c> would be right.
        /// </summary>
        private static bool IsDirectForward(IMethodSymbol method, IOperation? instance, IOperation at, ISymbol container, TorchSymbols symbols)
        {
            if (method.Name != TorchNames.Forward || method.IsStatic || instance is null || !OverridesModuleForward(method, symbols))
            {
                return false;
            }

            // base.forward(..) in an override is the override's own logic, not a forward pass of another module.
            if (instance.Syntax is BaseExpressionSyntax)
            {
                return false;
            }

            // this.forward(..) inside a method named call: a call(..) that replaces TorchSharp's would call itself.
            if (instance is IInstanceReferenceOperation && container is IMethodSymbol { Name: TorchNames.Call })
            {
                return false;
            }

            return !InsideHookBody(at, symbols);
        }

        /// <summary>Whether <paramref name="method"/> is, or overrides, the abstract <c>forward</c> of one of TorchSharp's <c>Module&lt;…&gt;</c>.</summary>
        private static bool OverridesModuleForward(IMethodSymbol method, TorchSymbols symbols)
        {
            var current = method;
            for (var depth = 0; current.OverriddenMethod is { } overridden && depth < 64; depth++)
            {
                current = overridden;
            }

            if (current.Name != TorchNames.Forward || !current.IsAbstract || !(current.ContainingType?.OriginalDefinition is { } type))
            {
                return false;
            }

            foreach (var generic in symbols.GenericModules)
            {
                if (SymbolEqualityComparer.Default.Equals(type, generic))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="operation"/> is inside a lambda handed to <c>register_forward_hook</c>/<c>register_forward_pre_hook</c>.</summary>
        private static bool InsideHookBody(IOperation operation, TorchSymbols symbols)
        {
            for (var current = operation.Parent; current != null; current = current.Parent)
            {
                if (current is IInvocationOperation call && symbols.IsTorchSharp(call.TargetMethod)
                    && HookRegistrations.TorchSharpMethods.Contains(call.TargetMethod.Name))
                {
                    return true;
                }
            }

            return false;
        }

        private static Location? NameLocation(SyntaxNode expression)
            => expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                SimpleNameSyntax name => name.GetLocation(),
                _ => null,
            };

        private static void Report(OperationAnalysisContext context, TorchSymbols symbols, IOperation instance, Location location)
        {
            var tree = context.Operation.Syntax.SyntaxTree;
            var receiver = instance is IInstanceReferenceOperation { IsImplicit: true } ? "this" : instance.Syntax.ToString();
            string consequence;
            var severity = DiagnosticSeverity.Warning;
            var hooks = true;
            if (EditorConfigOptions.GetBool(context.Options, tree, HooksRegisteredOption, defaultValue: false))
            {
                consequence = "the forward hooks and pre-hooks registered on it are skipped, and its hooks are registered elsewhere (" + EditorConfigOptions.Prefix + HooksRegisteredOption + ")";
            }
            else if (HookRegistrations.For(symbols, HookRegisteringMethods(context.Options), EditorConfigOptions.GetGlobalBool(context.Options, Flow.Modes.ModeFlowEngine.ExhaustiveOption, defaultValue: false)) is { First: { } first } registrations)
            {
                consequence = "the forward hooks and pre-hooks registered on it are skipped, and this compilation registers hooks (" + registrations.What + " at " + SourceLines.LineText(first, tree) + ")";
            }
            else
            {
                if (!(SeverityWithoutHooks(context.Options, tree) is { } lower))
                {
                    return;
                }

                severity = lower;
                hooks = false;
                consequence = "a forward hook or pre-hook registered on it would be skipped (this compilation registers none)";
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(HooksProperty, hooks ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.DirectForward, location, severity, additionalLocations: null, properties, receiver, consequence));
        }

        private static string HookRegisteringMethods(AnalyzerOptions options)
            => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(EditorConfigOptions.Prefix + HookRegisteringMethodsOption, out var text)
                ? text
                : DefaultHookRegisteringMethods;

        /// <summary>The severity of a finding in a compilation without hooks, or null for <c>none</c>.</summary>
        private static DiagnosticSeverity? SeverityWithoutHooks(AnalyzerOptions options, SyntaxTree tree)
        {
            var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            if (!config.TryGetValue(EditorConfigOptions.Prefix + SeverityWithoutHooksOption, out var text))
            {
                return DiagnosticSeverity.Hidden;
            }

            switch (text.Trim().ToLowerInvariant())
            {
                case "none":
                    return null;
                case "suggestion":
                case "info":
                    return DiagnosticSeverity.Info;
                case "warning":
                    return DiagnosticSeverity.Warning;
                case "error":
                    return DiagnosticSeverity.Error;
                default:
                    return DiagnosticSeverity.Hidden;
            }
        }
    }
}
