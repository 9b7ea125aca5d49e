using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode-flow engine of one compilation: runs <see cref="ModeFlow"/> on bodies, summarises callees for their
    /// callers (computed on demand, cached, at most <see cref="MaxDepth"/> calls deep, so recursion ends), finds the
    /// call sites of a method, and says in which mode a parameter or a field enters a method. What the rules ask goes
    /// through here; each answer comes from the part that owns it (<see cref="CalleeBodies"/>,
    /// <see cref="CalleeSummaries"/>, <see cref="CallSites"/>, <see cref="CallerGrad"/>, <see cref="ProvedGrad"/>,
    /// <see cref="ParameterEntries"/>, <see cref="FieldEntries"/>, <see cref="HelperFieldEffects"/>,
    /// <see cref="IteratorMethods"/>, <see cref="FreezeReach"/>). Thread-safe: the driver analyses bodies concurrently.
    /// </summary>
    internal sealed class ModeFlowEngine : ICalleeSummaries
    {
        /// <summary>How many calls deep summaries and call-site questions go before answering Unknown.</summary>
        public const int MaxDepth = 3;

        private static readonly ConditionalWeakTable<Compilation, ModeFlowEngine> Engines = new ConditionalWeakTable<Compilation, ModeFlowEngine>();

        private readonly CallSyntaxIndex _callSyntax;
        private readonly CalleeBodies _calleeBodies;

        private ModeFlowEngine(Compilation compilation, TorchSymbols symbols, bool exhaustive, bool lambdaEntries)
        {
            Exhaustive = exhaustive;
            LambdaEntriesEnabled = lambdaEntries;
            Symbols = symbols;
            Composition = new ModuleCompositionResolver(symbols);
            _callSyntax = new CallSyntaxIndex(compilation);
            _calleeBodies = new CalleeBodies(compilation, symbols, this);
            _iterators = new IteratorMethods(_calleeBodies.ModelOf);
            _callSites = new CallSites(compilation, exhaustive, _callSyntax, _calleeBodies, graph => Analyze(graph, isNestedFunction: true));
            _provedGrad = new ProvedGrad(_callSites, _iterators);
            _callerGrad = new CallerGrad(exhaustive, _callSyntax, _callSites, _iterators, _provedGrad);
            System.Func<ModeFact, int, ModeFact> resolveEntry = ResolveEntry;
            _parameterEntries = new ParameterEntries(_callSites, resolveEntry);
            _fieldEntries = new FieldEntries(exhaustive, symbols, _calleeBodies, resolveEntry);
            _helperFieldEffects = new HelperFieldEffects(exhaustive, _callSyntax, symbols, _calleeBodies);
            _summaries = new CalleeSummaries(exhaustive, _callSyntax, symbols, _calleeBodies);
            _freezeReach = new FreezeReach(_callSyntax, method => _calleeBodies.BodyOperationOf(method) is { } body ? BlockFacts.Of(method, ImmutableArray.Create(body), this) : null);
        }

        private readonly IteratorMethods _iterators;
        private readonly FreezeReach _freezeReach;
        private readonly CallSites _callSites;
        private readonly CallerGrad _callerGrad;
        private readonly ProvedGrad _provedGrad;
        private readonly ParameterEntries _parameterEntries;
        private readonly FieldEntries _fieldEntries;
        private readonly HelperFieldEffects _helperFieldEffects;
        private readonly CalleeSummaries _summaries;

        /// <summary>Whether <paramref name="method"/> is an iterator of this compilation's source (<see cref="IteratorMethods"/>).</summary>
        public bool IsIterator(IMethodSymbol method) => _iterators.IsIterator(method);

        /// <summary>Whether the result of the call <paramref name="call"/> is enumerated where it is called.</summary>
        public bool IsEnumeratedInPlace(SyntaxNode call) => _iterators.IsEnumeratedInPlace(call);

        /// <summary>
        /// Whether the flow of a block with <paramref name="facts"/> could freeze (<paramref name="freeze"/>) or unfreeze
        /// parameters (<see cref="FreezeReach"/>); false proves that no such change reaches the block's flow.
        /// </summary>
        public bool MayChangeFreezing(BlockFacts facts, bool freeze) => Exhaustive || _freezeReach.MayChange(facts, freeze);

        /// <summary>Whether the summary of <paramref name="callee"/>, given a module by a body, could freeze (or unfreeze) it.</summary>
        public bool MayChangeFreezing(IMethodSymbol callee, bool freeze) => Exhaustive || _freezeReach.MayChange(callee, freeze);

        public TorchSymbols Symbols { get; }

        /// <summary>
        /// The body of a method or constructor of this compilation, bound through the driver's model; null for a method of
        /// another project's trees (TORCH002 judges a helper's passes for its calls: ProtectedHelperCalls).
        /// </summary>
        public IOperation? BodyOperationOf(IMethodSymbol method) => _calleeBodies.BodyOperationOf(method);

        public ModuleCompositionResolver Composition { get; }

        /// <summary>
        /// <c>.globalconfig</c> key: when <c>true</c>, every shortcut that answers from syntax or skips a body's flow is off
        /// and every body is analysed in full. The results are the same (tests check it); only slower. For checking.
        /// </summary>
        public const string ExhaustiveOption = "exhaustive_flow";

        /// <summary>
        /// <c>.globalconfig</c> key: when <c>false</c>, every lambda starts with its grad mode and captured modules unknown, as
        /// before issue 14 (docs/rules/TORCH002.md, "Lambdas and method groups"); by default a lambda handed to a consumer
        /// whose schedule is known starts where that consumer runs it.
        /// </summary>
        public const string LambdaEntriesOption = "lambda_entry_heuristic";

        // Looked up first: every callback of every rule asks, and the factory's closure would be allocated each time.
        public static ModeFlowEngine For(Compilation compilation, TorchSymbols symbols, Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options)
            => Engines.TryGetValue(compilation, out var engine)
                ? engine
                : Engines.GetValue(compilation, c => new ModeFlowEngine(
                    c,
                    symbols,
                    Options.EditorConfigOptions.GetGlobalBool(options, ExhaustiveOption, defaultValue: false),
                    Options.EditorConfigOptions.GetGlobalBool(options, LambdaEntriesOption, defaultValue: true)));

        /// <summary>Whether a lambda whose consumer's schedule is known starts where it runs (<see cref="LambdaEntriesOption"/>).</summary>
        public bool LambdaEntriesEnabled { get; }

        /// <summary>Whether the shortcuts are off (<see cref="ExhaustiveOption"/>).</summary>
        public bool Exhaustive { get; }

        /// <summary>
        /// The mode flow of a graph the driver gave (a member body) or one nested in it (a lambda or local function).
        /// Cached per graph: the driver hands every rule the same graph, so rules share one analysis.
        /// </summary>
        public ImmutableArray<ModeFlowResult> Analyze(ControlFlowGraph graph, bool isNestedFunction)
            => _graphs.GetValue(graph, g => new Scenarios(ModeFlow.AnalyzeScenarios(g, Symbols, this, isNestedFunction, isNestedFunction && LambdaEntriesEnabled ? LambdaEntries.Of(g, this) : null))).Results;

        private readonly ConditionalWeakTable<ControlFlowGraph, Scenarios> _graphs = new ConditionalWeakTable<ControlFlowGraph, Scenarios>();

        /// <summary>A box for the table, which holds reference types only.</summary>
        private sealed class Scenarios
        {
            public Scenarios(ImmutableArray<ModeFlowResult> results) => Results = results;

            public ImmutableArray<ModeFlowResult> Results { get; }
        }

        /// <summary>
        /// The facts of an operation block, found in one walk and shared by every rule: the driver hands every rule the
        /// same operations, so the first block is the key.
        /// </summary>
        public BlockFacts FactsOf(Microsoft.CodeAnalysis.Diagnostics.OperationBlockAnalysisContext context)
        {
            var blocks = context.OperationBlocks;
            // The driver calls the rules one after the other for a block: the last answer serves all but the first.
            if (_lastFacts is { } last && last.Block == blocks[0])
            {
                return last.Facts;
            }

            BlockFacts facts;
            if (!Exhaustive && !MayHaveFacts(blocks))
            {
                // Most blocks: the text check is cheaper than a table entry, so a thread that misses the last answer
                // (concurrent analysis) asks the text again.
                facts = BlockFacts.None;
            }
            else if (!_facts.TryGetValue(blocks[0], out facts))
            {
                var owner = context.OwningSymbol;
                facts = _facts.GetValue(blocks[0], _ => BlockFacts.Of(owner, blocks, this));
            }

            _lastFacts = new LastFacts(blocks[0], facts);
            return facts;
        }

        // One block's facts; held by the engine of its compilation until the next block replaces it.
        private sealed class LastFacts
        {
            public LastFacts(IOperation block, BlockFacts facts)
            {
                Block = block;
                Facts = facts;
            }

            public IOperation Block { get; }

            public BlockFacts Facts { get; }
        }

        private volatile LastFacts? _lastFacts;

        /// <summary>
        /// Whether the text of <paramref name="blocks"/> could hold a fact any rule gates on, so that they are worth the
        /// walk: a forward pass is a call named <c>call</c> or <c>forward</c>, a backward pass one named <c>backward</c>,
        /// and a freeze or an unfreeze reaches a flow only through <c>requires_grad</c> written here or a call of a member
        /// that might write it (<see cref="CallSyntaxIndex.RequiresGradWriters"/>), written with its name — or, when a
        /// constructor writes it, with <c>new()</c> or <c>: base(..)</c>, which name none.
        /// </summary>
        private bool MayHaveFacts(System.Collections.Immutable.ImmutableArray<IOperation> blocks)
        {
            var text = SourceWords.Of(blocks[0].Syntax.SyntaxTree);
            foreach (var word in FactWords)
            {
                if (AnyContains(text, blocks, word))
                {
                    return true;
                }
            }

            // TORCH009: an await in a member that switches grad mode.
            if (AnyContains(text, blocks, "await") && _callSyntax.MaySwitchGrad(blocks[0].Syntax))
            {
                return true;
            }

            var (writers, constructors) = _callSyntax.RequiresGradWriters(MaxDepth - 1);
            if (constructors && (AnyContains(text, blocks, "new") || AnyContains(text, blocks, "base") || AnyContains(text, blocks, "this")))
            {
                return true;
            }

            foreach (var writer in writers)
            {
                if (AnyContains(text, blocks, writer))
                {
                    return true;
                }
            }

            return false;
        }

        private static readonly string[] FactWords = { TorchNames.Call, TorchNames.Forward, TorchNames.Backward, TorchNames.RequiresGrad, TorchNames.RequiresGradSetter };

        private static bool AnyContains(SourceWords text, System.Collections.Immutable.ImmutableArray<IOperation> blocks, string word)
        {
            foreach (var block in blocks)
            {
                var span = block.Syntax.Span;
                if (EscapedNames.ContainsWord(text, word, span.Start, span.End))
                {
                    return true;
                }
            }

            return false;
        }

        private readonly ConditionalWeakTable<IOperation, BlockFacts> _facts = new ConditionalWeakTable<IOperation, BlockFacts>();

        /// <summary>Whether the syntax of the member that holds <paramref name="syntax"/> calls a grad switch, or a helper that does.</summary>
        public bool MaySwitchGrad(SyntaxNode syntax) => Exhaustive || _callSyntax.MaySwitchGrad(syntax);

        /// <summary>
        /// Whether some caller might run <paramref name="owner"/> with autograd off, read from the syntax: false proves
        /// that grad at the entry of its body is never off because of a caller.
        /// </summary>
        public bool MayRunWithGradOff(ISymbol owner)
            => owner is IMethodSymbol method && _callSites.MayRunWithGradOff(method.OriginalDefinition, 0);

        /// <summary>
        /// <see cref="MayRunWithGradOff(ISymbol)"/> of the ordinary methods whose calls are written <paramref name="callName"/>,
        /// from the text alone: asked of a declaration before its symbol (completing a method's symbol binds its signature).
        /// </summary>
        public bool CallsMayRunWithGradOff(string callName) => _callSites.MayRunWithGradOff(callName, 0);

        /// <summary>
        /// Whether autograd is off on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// switched off in the body, or off at entry because every caller of this compilation holds a grad-disabled scope.
        /// </summary>
        public bool IsGradOff(GradFact grad, ISymbol owner) => _callerGrad.IsGradOff(grad, owner);

        /// <summary>
        /// Whether autograd records on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// enabled in the body, or enabled at entry and not every caller of this compilation holds a grad-disabled scope
        /// (<see cref="CallerGrad"/>). Unknown grad modes answer false.
        /// </summary>
        public bool IsGradOn(GradFact grad, ISymbol owner) => _callerGrad.IsGradOn(grad, owner);

        /// <summary>Whether autograd provably records at a point of <paramref name="owner"/>'s body with <paramref name="grad"/> (<see cref="ProvedGrad"/>).</summary>
        public bool IsGradProvablyOn(GradFact grad, ISymbol owner) => _provedGrad.IsGradProvablyOn(grad, owner);

        /// <summary>Whether every call site of <paramref name="method"/> in this compilation runs with autograd off (<see cref="CallerGrad"/>).</summary>
        public bool EveryCallerDisablesGrad(IMethodSymbol method, int depth = 0) => _callerGrad.EveryCallerDisablesGrad(method, depth);

        /// <summary>A call site of <paramref name="method"/> that runs with autograd off, or null when there is none (<see cref="CallerGrad"/>).</summary>
        public CallSite? CallSiteWithGradOff(IMethodSymbol method, int depth = 0) => _callerGrad.CallSiteWithGradOff(method, depth);

        /// <summary>The calls of <paramref name="method"/> in this compilation that provably run it with autograd on (<see cref="CallerGrad"/>).</summary>
        public ImmutableArray<SyntaxNode> CallsWithGradOn(IMethodSymbol method) => _callerGrad.CallsWithGradOn(method);

        /// <summary>The invocations and creations written with <paramref name="name"/> in this compilation (<see cref="CallSites"/>).</summary>
        public ImmutableArray<SyntaxNode> CallsWritten(string name) => _callSites.CallsWritten(name);

        /// <summary>Whether autograd is off at <paramref name="pass"/> on every path, proved from the structure of the body (<see cref="SilenceProofs"/>).</summary>
        public bool GradIsProvedOff(IInvocationOperation pass) => !Exhaustive && SilenceProofs.GradIsOff(pass, Symbols, _callSyntax);

        /// <summary>
        /// Whether <paramref name="call"/>, in a body nobody may have bound yet, is proved from its syntax alone to run inside
        /// a grad-disabled scope of its member (<see cref="GradOffScopeSyntax"/>); false with <see cref="Exhaustive"/>.
        /// </summary>
        public bool GradIsProvedOffBySyntax(SyntaxNode call) => !Exhaustive && GradOffScopeSyntax.Encloses(call, _callSyntax.MayReturnGradScope);

        /// <summary>Whether the module of <paramref name="pass"/> is proved to be in training (or eval) mode on every path (<see cref="SilenceProofs"/>).</summary>
        public bool ModeIsProved(IInvocationOperation pass, bool train) => !Exhaustive && SilenceProofs.ModeIsSet(pass, train, Symbols, _callSyntax);

        /// <summary>
        /// Whether the module of <paramref name="pass"/> is proved never to be in training mode or in an unresolved entry
        /// mode there: set to eval mode before it, or entering the body in a mode <see cref="ResolveEntry"/> resolves
        /// without training mode while nothing in the body could take it out of eval mode.
        /// </summary>
        public bool NeverTrainingAt(IInvocationOperation pass)
            => ModeIsProved(pass, train: false)
               || (!Exhaustive && SilenceProofs.NothingChangesMode(pass, train: false, Symbols, _callSyntax, out var entered)
                   && (ResolveEntry(ModeFact.Entry(entered!)).Flags & (ModeFlags.Train | ModeFlags.Entry)) == 0);

        /// <inheritdoc />
        public ModeEffect EffectOn(IMethodSymbol callee, int ordinal, int depth) => _summaries.EffectOn(callee, ordinal, depth);

        /// <inheritdoc />
        public GradFlags? GradScopeReturnedBy(IMethodSymbol method) => _summaries.GradScopeReturnedBy(method);

        /// <inheritdoc />
        public FreezeFact? FreezeEffectOn(IMethodSymbol callee, int ordinal, int depth) => _summaries.FreezeEffectOn(callee, ordinal, depth);

        /// <inheritdoc />
        public ImmutableArray<FieldModeEffect> FieldEffectsOf(IMethodSymbol callee, int depth) => _helperFieldEffects.FieldEffectsOf(callee, depth);

        /// <inheritdoc />
        public ISymbol? ModuleFieldHeldBy(ISymbol holder, ISymbol inner) => _helperFieldEffects.ModuleFieldHeldBy(holder, inner);

        /// <summary>
        /// An <c>eval()</c> or <c>train(false)</c> on <paramref name="member"/> (a module field or property of
        /// <c>this</c>) in a method of its class other than <paramref name="except"/>, or null (<see cref="FieldEntries"/>).
        /// </summary>
        public SyntaxNode? EvalElsewhere(ISymbol member, IMethodSymbol except) => _fieldEntries.EvalElsewhere(member, except);

        /// <summary>
        /// Replaces an <see cref="ModeFlags.Entry"/> mode by what enters: for a parameter, the join of the modes its
        /// callers pass (no callers: stays Entry); for a field, the mode the class's constructors leave it in when no
        /// other method changes it (otherwise Unknown).
        /// </summary>
        public ModeFact ResolveEntry(ModeFact fact, int depth = 0)
        {
            if ((fact.Flags & ModeFlags.Entry) == 0 || fact.EntrySymbol is null)
            {
                return fact;
            }

            var rest = new ModeFact(fact.Flags & ~ModeFlags.Entry, fact.TrainOrigin, null);
            var entered = depth >= MaxDepth ? ModeFact.Unknown : fact.EntrySymbol switch
            {
                IParameterSymbol parameter => _parameterEntries.EntryOf(parameter, depth),
                IFieldSymbol field => _fieldEntries.EntryOf(field, depth),
                IPropertySymbol property => _fieldEntries.EntryOf(property, depth),
                _ => ModeFact.Unknown,
            };
            return rest.Flags == ModeFlags.None ? entered : rest.Join(entered);
        }
    }
}
