using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH006: the scope returned by <c>torch.no_grad()</c>, <c>torch.enable_grad(..)</c>,
    /// <c>torch.set_grad_enabled(..)</c> or <c>torch.inference_mode(..)</c> is discarded, or held in a local that is
    /// not disposed on every normal path. The mode it switched then stays switched for the rest of the thread.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UndisposedGradModeScopeAnalyzer : TorchSharpAnalyzer
    {
        /// <summary>
        /// <c>.editorconfig</c> key: when <c>true</c>, a discarded <c>torch.set_grad_enabled(..)</c> is reported too.
        /// Off by default because the bare statement is the documented thread-wide switch.
        /// </summary>
        public const string ReportBareSetGradEnabledOption = "TORCH006.report_bare_set_grad_enabled";

        /// <summary>Diagnostic property: how the scope was lost (<see cref="DiscardedKind"/> or <see cref="UndisposedLocalKind"/>).</summary>
        public const string KindProperty = "Kind";

        /// <summary>The scope object is dropped on the floor: a bare call statement or <c>_ = …</c>.</summary>
        public const string DiscardedKind = "Discarded";

        /// <summary>The scope object is held in a local that some normal path does not dispose.</summary>
        public const string UndisposedLocalKind = "UndisposedLocal";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(Descriptors.UndisposedGradModeScope);

        private protected override void Register(CompilationStartAnalysisContext context)
            => context.RegisterOperationBlockStartAction(start =>
            {
                // Only members whose text calls a grad switch can hold one: the others register nothing, so their
                // invocations cost no callback at all.
                if (start.OperationBlocks.IsEmpty || !(TorchSymbols.For(start.Compilation) is { } symbols)
                    || !ModeFlowEngine.For(start.Compilation, symbols, start.Options).MaySwitchGrad(start.OperationBlocks[0].Syntax))
                {
                    return;
                }

                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
            });

        private static void AnalyzeInvocation(OperationAnalysisContext context, TorchSymbols symbols)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!(symbols.AsGradScopeFactory(invocation.TargetMethod) is { } factory))
            {
                return;
            }

            var consumer = invocation.ConsumerOf(out var consumed);
            switch (consumer)
            {
                case ISimpleAssignmentOperation { Target: IDiscardOperation _ } discard when IsUsingResource(discard):
                    // using (_ = torch.no_grad()) { … }: the value of the assignment is the scope, and the using statement
                    // disposes it at the end of its block (tests/TorchSharp.Analyzers.Runtime.Tests/DiscardUsingScopeTests.cs).
                    return;

                case IExpressionStatementOperation _:
                case ISimpleAssignmentOperation { Target: IDiscardOperation _ }:
                    if (factory != GradScopeFactory.SetGradEnabled || ReportsBareSetGradEnabled(context))
                    {
                        Report(context, invocation, factory, "discarded", DiscardedKind);
                    }

                    return;

                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsUsingResource(declarator):
                    AnalyzeLocal(context, invocation, factory, declarator.Symbol);
                    return;

                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == consumed:
                    AnalyzeLocal(context, invocation, factory, target.Local);
                    return;

                default:
                    // using statements and declarations, returns, arguments, fields and properties: someone owns it.
                    return;
            }
        }

        private static void AnalyzeLocal(OperationAnalysisContext context, IInvocationOperation invocation, GradScopeFactory factory, ILocalSymbol local)
        {
            // A local captured by a lambda or local function can be disposed from code this graph does not
            // contain: stay silent rather than guess.
            if (local.IsRef || IsCapturedByNestedFunction(invocation, local))
            {
                return;
            }

            var graph = ControlFlowGraphs.GraphContaining(context.GetControlFlowGraph(), invocation);
            if (graph != null && LocalDisposalFlow.MayLeak(graph, local, invocation.Syntax))
            {
                Report(context, invocation, factory, "not disposed on every path", UndisposedLocalKind);
            }
        }

        /// <summary>
        /// A discard assignment that is the resource of a using statement, <c>using (_ = …)</c>, or the initializer of
        /// a using variable, <c>using (var s = (_ = …))</c>. (A using declaration cannot declare a discard.)
        /// </summary>
        private static bool IsUsingResource(ISimpleAssignmentOperation discard)
        {
            switch (discard.ConsumerOf(out var value))
            {
                case IUsingOperation statement:
                    return statement.Resources == value;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return IsUsingResource(declarator);
                default:
                    return false;
            }
        }

        private static bool IsUsingResource(IVariableDeclaratorOperation declarator)
            => declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation group }
               && (group.Parent is IUsingDeclarationOperation || group.Parent is IUsingOperation);

        private static bool IsCapturedByNestedFunction(IOperation creation, ILocalSymbol local)
        {
            var declaringFunction = creation.EnclosingFunction();
            foreach (var operation in creation.Root().Descendants())
            {
                if (operation is ILocalReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && reference.EnclosingFunction() != declaringFunction)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ReportsBareSetGradEnabled(OperationAnalysisContext context)
            => EditorConfigOptions.GetBool(context.Options, context.Operation.Syntax.SyntaxTree, ReportBareSetGradEnabledOption, defaultValue: false);

        private static void Report(OperationAnalysisContext context, IInvocationOperation invocation, GradScopeFactory factory, string how, string kind)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.UndisposedGradModeScope,
                invocation.Syntax.GetLocation(),
                properties,
                GradScopeWording.CallText(invocation),
                how,
                GradScopeWording.WhatStaysSwitched(invocation, factory)));
        }
    }
}
