using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>What the mode flow learned about one function body: the questions rules ask, answered.</summary>
    internal sealed class ModeFlowResult
    {
        public ModeFlowResult(
            ImmutableArray<ForwardPass> forwardPasses,
            ImmutableArray<CallSite> callSites,
            ImmutableArray<TrainingStep> trainingSteps,
            ModeState? exit,
            IReadOnlyDictionary<ISymbol, int> entryValues,
            ImmutableArray<OptimizerCreation> optimizerCreations,
            ImmutableArray<UnfreezeEvent> unfreezes,
            int thisValue,
            ImmutableArray<AwaitPoint> awaits,
            ImmutableDictionary<SyntaxNode, LambdaCreation> lambdaCreations,
            LambdaEntry? lambdaEntry)
        {
            LambdaCreations = lambdaCreations;
            LambdaEntry = lambdaEntry;
            Awaits = awaits;
            ThisValue = thisValue;
            OptimizerCreations = optimizerCreations;
            Unfreezes = unfreezes;
            ForwardPasses = forwardPasses;
            CallSites = callSites;
            TrainingSteps = trainingSteps;
            Exit = exit;
            EntryValues = entryValues;
        }

        /// <summary>Every module invocation (<c>call</c>/<c>forward</c>), with the modes just before it.</summary>
        public ImmutableArray<ForwardPass> ForwardPasses { get; }

        /// <summary>Calls into methods and constructors of this compilation, with the modes at the call.</summary>
        public ImmutableArray<CallSite> CallSites { get; }

        /// <summary>Every <c>backward()</c> and <c>optimizer.step()</c> of the body.</summary>
        public ImmutableArray<TrainingStep> TrainingSteps { get; }

        /// <summary>Every optimizer created in the body, with the freeze state of the module whose parameters it receives.</summary>
        public ImmutableArray<OptimizerCreation> OptimizerCreations { get; }

        /// <summary>Every unfreeze of a tracked module, with the optimizers built over its trainable parameters only that it affects.</summary>
        public ImmutableArray<UnfreezeEvent> Unfreezes { get; }

        /// <summary>The state that reaches the end of the body on a normal path; null when none does.</summary>
        public ModeState? Exit { get; }

        /// <summary>The value id each parameter or field had on entry (for summaries).</summary>
        public IReadOnlyDictionary<ISymbol, int> EntryValues { get; }

        /// <summary>Every <c>await</c> of the body (also the implicit ones of <c>await foreach</c> and <c>await using</c>), with the grad mode and the open grad-mode scopes.</summary>
        public ImmutableArray<AwaitPoint> Awaits { get; }

        /// <summary>Every lambda the body creates, by its syntax, with the state where it is created (<see cref="LambdaEntries"/>).</summary>
        public ImmutableDictionary<SyntaxNode, LambdaCreation> LambdaCreations { get; }

        /// <summary>For a lambda's body: the state it starts in, when the code around it tells; null otherwise.</summary>
        public LambdaEntry? LambdaEntry { get; }

        /// <summary>The value id <c>this</c> had on entry, or <see cref="ModeFlow.NoValue"/> when the body never uses it (for summaries).</summary>
        public int ThisValue { get; }
    }

    /// <summary>A module invocation and the modes in force when it runs.</summary>
    internal sealed class ForwardPass
    {
        public ForwardPass(IInvocationOperation invocation, ModeFact? module, GradFact grad, IOperation? creation)
        {
            Invocation = invocation;
            Module = module;
            Grad = grad;
            Creation = creation;
        }

        /// <summary>The <c>call</c>/<c>forward</c> invocation (an operation of the flow graph; map back by syntax).</summary>
        public IInvocationOperation Invocation { get; }

        /// <summary>The mode of the invoked module; null when the receiver is not tracked (e.g. <c>GetModel().call(x)</c>).</summary>
        public ModeFact? Module { get; }

        public GradFact Grad { get; }

        /// <summary>Where the module was created in this body, when it was; tells its composition.</summary>
        public IOperation? Creation { get; }
    }

    /// <summary>How an optimizer receives a module's parameters.</summary>
    internal enum OptimizerInput
    {
        /// <summary><c>m.parameters()</c> or <c>m.named_parameters()</c> as they are: frozen ones included.</summary>
        Unfiltered,

        /// <summary><c>m.parameters().Where(p => p.requires_grad)</c>: re-enumerated at every <c>step()</c>.</summary>
        FilteredLazy,

        /// <summary><c>m.parameters().Where(p => p.requires_grad).ToList()</c>: fixed at construction.</summary>
        FilteredMaterialized,
    }

    /// <summary>An optimizer creation over one module's parameters.</summary>
    internal sealed class OptimizerCreation
    {
        public OptimizerCreation(SyntaxNode syntax, string optimizerName, SyntaxNode module, int moduleValue, FreezeFact freeze, OptimizerInput input)
        {
            Syntax = syntax;
            OptimizerName = optimizerName;
            Module = module;
            ModuleValue = moduleValue;
            Freeze = freeze;
            Input = input;
        }

        public SyntaxNode Syntax { get; }

        /// <summary>The optimizer's name as TorchSharp calls it (<c>Adam</c>, <c>SGD</c> …).</summary>
        public string OptimizerName { get; }

        /// <summary>The module expression whose parameters are passed.</summary>
        public SyntaxNode Module { get; }

        public int ModuleValue { get; }

        public FreezeFact Freeze { get; }

        public OptimizerInput Input { get; }
    }

    /// <summary>An unfreeze (<c>requires_grad = true</c>) of a tracked module.</summary>
    internal sealed class UnfreezeEvent
    {
        public UnfreezeEvent(SyntaxNode syntax, int moduleValue, ImmutableArray<OptimizerFact> stale)
        {
            Syntax = syntax;
            ModuleValue = moduleValue;
            Stale = stale;
        }

        public SyntaxNode Syntax { get; }

        public int ModuleValue { get; }

        /// <summary>Optimizers over the module's trainable parameters only, built before and not given the new ones.</summary>
        public ImmutableArray<OptimizerFact> Stale { get; }
    }

    /// <summary>A <c>backward()</c> or <c>optimizer.step()</c>, with the grad mode when it runs.</summary>
    internal sealed class TrainingStep
    {
        public TrainingStep(IInvocationOperation invocation, TorchSharp.Analyzers.Symbols.TorchCallKind kind, GradFact grad)
        {
            Invocation = invocation;
            Kind = kind;
            Grad = grad;
        }

        public IInvocationOperation Invocation { get; }

        /// <summary><see cref="TorchSharp.Analyzers.Symbols.TorchCallKind.Backward"/> or <see cref="TorchSharp.Analyzers.Symbols.TorchCallKind.OptimizerStep"/>.</summary>
        public TorchSharp.Analyzers.Symbols.TorchCallKind Kind { get; }

        public GradFact Grad { get; }
    }

    /// <summary>A call into a method or constructor of this compilation, with the modes of what it receives.</summary>
    internal sealed class CallSite
    {
        public CallSite(IMethodSymbol callee, SyntaxNode syntax, GradFact grad, ImmutableDictionary<int, ModeFact> arguments)
        {
            Callee = callee;
            Syntax = syntax;
            Grad = grad;
            Arguments = arguments;
        }

        public IMethodSymbol Callee { get; }

        public SyntaxNode Syntax { get; }

        public GradFact Grad { get; }

        /// <summary>The mode of each module-typed argument, by parameter ordinal; -1 is the receiver.</summary>
        public ImmutableDictionary<int, ModeFact> Arguments { get; }
    }
}
