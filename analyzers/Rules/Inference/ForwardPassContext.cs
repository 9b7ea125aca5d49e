using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// What the inference rules share: the forward passes of an operation block, from the engine, with the facts
    /// both rules need about the region they run in. Blocks without a forward pass never build a flow.
    /// </summary>
    internal sealed class ForwardPassContext
    {
        private ForwardPassContext(ForwardPass pass, ModeFlowResult flow, string? entryPointName, LocalFunctionEntryPoint? localFunction, bool inOwnForward, bool inheritsCallerMode)
        {
            Pass = pass;
            Flow = flow;
            EntryPointName = entryPointName;
            LocalFunction = localFunction;
            InOwnForward = inOwnForward;
            InheritsCallerMode = inheritsCallerMode;
        }

        public ForwardPass Pass { get; }

        public ModeFlowResult Flow { get; }


        /// <summary>Whether the enclosing method, or local function, is an inference entry point by name and has no training step.</summary>
        public bool IsInferenceEntryPoint => EntryPointName != null;

        /// <summary>The name of the enclosing method or local function when it is an inference entry point; null otherwise.</summary>
        public string? EntryPointName { get; }

        /// <summary>The local function the pass is written in, when that is the inference entry point; null otherwise.</summary>
        public LocalFunctionEntryPoint? LocalFunction { get; }

        /// <summary>
        /// Whether autograd records at the pass: its grad mode, resolved through the member's callers (or, in a local function
        /// that is an entry point, through the local function's calls in the body).
        /// </summary>
        public bool GradIsOn(ModeFlowEngine engine, ISymbol owner)
            => engine.IsGradOn(Pass.Grad, owner) || (LocalFunction != null && LocalFunction.RunsWithGradOn(Pass.Grad, engine, owner));

        /// <summary>
        /// Whether autograd provably records at the pass (<see cref="ModeFlowEngine.IsGradProvablyOn"/>): a caller whose
        /// facts cannot be known proves nothing. Asked of the passes whose module's mode is their caller's (a module's own
        /// inference method), where the answer must not rest on callers nobody can read.
        /// </summary>
        public bool GradIsProvablyOn(ModeFlowEngine engine, ISymbol owner)
            => engine.IsGradProvablyOn(Pass.Grad, owner) || (LocalFunction != null && LocalFunction.RunsWithGradOn(Pass.Grad, engine, owner));

        /// <summary>
        /// Whether the module's mode is its caller's business: a pass inside a module's own <c>forward</c>, or a pass
        /// through a submodule (a field or property of <c>this</c>) in any method of a module class — eval() and train()
        /// on the owner reach its registered submodules (docs/architecture.md, "Analysis semantics").
        /// </summary>
        public bool InheritsCallerMode { get; }

        /// <summary>
        /// Whether the pass is written in a module's own <c>forward</c>: its grad mode, like its mode, is its caller's.
        /// Elsewhere in a module class a pass through a submodule inherits only the mode: the grad mode of an inference
        /// method of the module (nanoGPT's <c>generate</c>) is that method's business (TORCH002).
        /// </summary>
        public bool InOwnForward { get; }

        /// <summary>
        /// Whether switching the module's mode changes what it computes: false only for a module whose composition is
        /// known and holds no mode-dependent layer (docs/architecture.md, "Analysis semantics"); mode rules report only
        /// where it does or may.
        /// </summary>
        public bool ModeMatters(ModeFlowEngine engine)
        {
            var composition = Pass.Creation != null
                ? engine.Composition.OfCreation(Pass.Creation)
                : engine.Composition.Of(Pass.Invocation.Instance?.Type);
            return composition != ModuleComposition.ModeIndependent;
        }

        /// <summary>Which mode-dependent layers the module is known to hold (for the messages).</summary>
        public ModeDependentKinds ModeDependentKinds(ModeFlowEngine engine)
            => Pass.Creation != null
                ? engine.Composition.KindsOfCreation(Pass.Creation)
                : engine.Composition.KindsOf(Pass.Invocation.Instance?.Type);

        /// <summary>The receiver of the forward pass as written (for messages and fixes).</summary>
        public string ModuleText => Pass.Invocation.Syntax switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression.ToString(),
            InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax _, Parent: ConditionalAccessExpressionSyntax conditional } => conditional.Expression.ToString(),
            _ => "this",
        };

        /// <summary>
        /// Whether the block's member is a piece of its module's forward pass: the module's own <c>forward</c>, or a method
        /// that <c>forward</c> calls (<see cref="InferenceEntryPoints"/>). The grad mode of its passes is its caller's.
        /// </summary>
        public static bool IsPieceOfOwnForward(OperationBlockAnalysisContext context, TorchSymbols symbols)
            => context.OwningSymbol is IMethodSymbol method && symbols.IsModule(method.ContainingType)
               && (method.Name == TorchNames.Forward || InferenceEntryPoints.IsCalledByOwnForward(method, context.Compilation));

        /// <summary>
        /// Whether the block's member is an inference entry point by name (the configurable heuristic,
        /// docs/rules/TORCH002.md "Options"), and nothing written in it says otherwise (<see cref="InferenceEntryPoints"/>).
        /// </summary>
        public static bool IsInferenceMethod(OperationBlockAnalysisContext context)
            => InferenceMethodNames.Matches(context.Options, context.OperationBlocks[0].Syntax.SyntaxTree, context.OwningSymbol)
               && InferenceEntryPoints.NothingSaysOtherwise(context);

        /// <summary>
        /// The forward passes of the block whose mode is its own business, when it has one and <paramref name="wanted"/>
        /// accepts the block's facts (the rule's cheap gate).
        /// </summary>
        /// <param name="submodulePassesToo">
        /// Whether a block whose only passes run submodules of <c>this</c> in a module's method (<see cref="BlockFacts.SubmodulePass"/>)
        /// is wanted too: those passes come back with <see cref="InheritsCallerMode"/> set.
        /// </param>
        public static IEnumerable<ForwardPassContext> Of(OperationBlockAnalysisContext context, ModeFlowEngine engine, Func<BlockFacts, bool> wanted, bool submodulePassesToo = false)
        {
            var symbols = engine.Symbols;
            var isOwnForward = context.OwningSymbol is IMethodSymbol { Name: TorchNames.Forward } owner && symbols.IsModule(owner.ContainingType);
            var isModuleMember = context.OwningSymbol is { IsStatic: false } member && symbols.IsModule(member.ContainingType);
            // The body's own flows come before the nested ones: a local function's calls are read in them.
            var bodyFlows = new List<ModeFlowResult>();
            foreach (var (flow, isNested) in OperationBlockFlows.Of(context, engine, facts => (facts.OwnForwardPass || (submodulePassesToo && facts.SubmodulePass)) && wanted(facts)))
            {
                if (!isNested)
                {
                    bodyFlows.Add(flow);
                }

                var memberEntryPoint = !isNested && flow.TrainingSteps.IsEmpty && IsInferenceMethod(context) ? context.OwningSymbol.Name : null;
                foreach (var pass in flow.ForwardPasses)
                {
                    if (pass.Invocation.Instance?.Type is { } receiverType && engine.Composition.IsLoss(receiverType))
                    {
                        continue;
                    }

                    var localFunction = isNested && flow.TrainingSteps.IsEmpty ? LocalFunctionEntryPoint.Of(context, pass.Invocation.Syntax, bodyFlows) : null;
                    yield return new ForwardPassContext(
                        pass,
                        flow,
                        memberEntryPoint ?? localFunction?.Name,
                        localFunction,
                        isOwnForward,
                        isOwnForward || (isModuleMember && ForwardReceivers.IsSubmoduleOfThis(pass.Invocation)));
                }
            }
        }
    }
}
