using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The mode-flow engine of one compilation: runs <see cref="ModeFlow"/> on bodies, summarises callees for their
    /// callers (computed on demand, cached, at most <see cref="MaxDepth"/> calls deep, so recursion ends), finds the
    /// call sites of a method, and says in which mode a parameter or a field enters a method. Thread-safe: the
    /// driver analyses bodies concurrently.
    /// </summary>
    internal sealed class ModeFlowEngine : ICalleeSummaries
    {
        /// <summary>How many calls deep summaries and call-site questions go before answering Unknown.</summary>
        public const int MaxDepth = 3;

        private static readonly ConditionalWeakTable<Compilation, ModeFlowEngine> Engines = new ConditionalWeakTable<Compilation, ModeFlowEngine>();

        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<(IMethodSymbol, int), ModeFlowResult?> _bodies = new ConcurrentDictionary<(IMethodSymbol, int), ModeFlowResult?>(new MethodDepthComparer());
        private readonly ConcurrentDictionary<IFieldOrPropertyKey, ModeFact> _fieldEntries = new ConcurrentDictionary<IFieldOrPropertyKey, ModeFact>();
        private readonly CallSyntaxIndex _callSyntax;

        private ModeFlowEngine(Compilation compilation, TorchSymbols symbols, bool exhaustive)
        {
            Exhaustive = exhaustive;
            _compilation = compilation;
            Symbols = symbols;
            Composition = new ModuleCompositionResolver(symbols);
            _callSyntax = new CallSyntaxIndex(compilation);
        }

        public TorchSymbols Symbols { get; }

        public ModuleCompositionResolver Composition { get; }

        /// <summary>
        /// <c>.globalconfig</c> key: when <c>true</c>, every shortcut that answers from syntax or skips a body's flow is off
        /// and every body is analysed in full. The results are the same (tests check it); only slower. For checking.
        /// </summary>
        public const string ExhaustiveOption = "exhaustive_flow";

        public static ModeFlowEngine For(Compilation compilation, TorchSymbols symbols, Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options)
            => Engines.GetValue(compilation, c => new ModeFlowEngine(c, symbols, Options.EditorConfigOptions.GetGlobalBool(options, ExhaustiveOption, defaultValue: false)));

        /// <summary>Whether the shortcuts are off (<see cref="ExhaustiveOption"/>).</summary>
        public bool Exhaustive { get; }

        /// <summary>
        /// The mode flow of a graph the driver gave (a member body) or one nested in it (a lambda or local function).
        /// Cached per graph: the driver hands every rule the same graph, so rules share one analysis.
        /// </summary>
        public ModeFlowResult Analyze(ControlFlowGraph graph, bool isNestedFunction)
            => _graphs.GetValue(graph, g => ModeFlow.Analyze(g, Symbols, this, depth: 0, isNestedFunction));

        private readonly ConditionalWeakTable<ControlFlowGraph, ModeFlowResult> _graphs = new ConditionalWeakTable<ControlFlowGraph, ModeFlowResult>();

        /// <summary>
        /// The facts of an operation block, found in one walk and shared by every rule: the driver hands every rule the
        /// same operations, so the first block is the key.
        /// </summary>
        public BlockFacts FactsOf(Microsoft.CodeAnalysis.Diagnostics.OperationBlockAnalysisContext context)
        {
            var owner = context.OwningSymbol;
            var blocks = context.OperationBlocks;
            return _facts.GetValue(blocks[0], _ => BlockFacts.Of(owner, blocks, this));
        }

        private readonly ConditionalWeakTable<IOperation, BlockFacts> _facts = new ConditionalWeakTable<IOperation, BlockFacts>();

        /// <summary>Whether the syntax of the member that holds <paramref name="syntax"/> calls a grad switch, or a helper that does.</summary>
        public bool MaySwitchGrad(SyntaxNode syntax) => Exhaustive || _callSyntax.MaySwitchGrad(syntax);

        /// <summary>
        /// Whether some caller might run <paramref name="owner"/> with autograd off, read from the syntax: false proves
        /// that grad at the entry of its body is never off because of a caller.
        /// </summary>
        public bool MayRunWithGradOff(ISymbol owner)
            => owner is IMethodSymbol method && MayRunWithGradOff(method.OriginalDefinition, 0);

        /// <summary>Whether autograd is off at <paramref name="pass"/> on every path, proved from the structure of the body (<see cref="SilenceProofs"/>).</summary>
        public bool GradIsProvedOff(IInvocationOperation pass) => !Exhaustive && SilenceProofs.GradIsOff(pass, Symbols, _callSyntax);

        /// <summary>Whether the module of <paramref name="pass"/> is proved to be in training (or eval) mode on every path (<see cref="SilenceProofs"/>).</summary>
        public bool ModeIsProved(IInvocationOperation pass, bool train) => !Exhaustive && SilenceProofs.ModeIsSet(pass, train, Symbols);

        /// <summary>
        /// Whether the module of <paramref name="pass"/> is proved never to be in training mode or in an unresolved entry
        /// mode there: set to eval mode before it, or entering the body in a mode <see cref="ResolveEntry"/> resolves
        /// without training mode while nothing in the body could take it out of eval mode.
        /// </summary>
        public bool NeverTrainingAt(IInvocationOperation pass)
            => ModeIsProved(pass, train: false)
               || (!Exhaustive && SilenceProofs.NothingChangesMode(pass, train: false, Symbols, out var entered)
                   && (ResolveEntry(ModeFact.Entry(entered!)).Flags & (ModeFlags.Train | ModeFlags.Entry)) == 0);

        /// <inheritdoc />
        public ModeEffect EffectOn(IMethodSymbol callee, int ordinal, int depth)
        {
            if (depth > MaxDepth || ordinal < 0 || ordinal >= callee.Parameters.Length || !(BodyOf(callee, depth) is { Exit: { } exit } result))
            {
                return ModeEffect.Unknown;
            }

            if (!result.EntryValues.TryGetValue(callee.Parameters[ordinal], out var id) || !exit.Modes.TryGetValue(id, out var mode))
            {
                return ModeEffect.Unchanged;
            }

            return mode.Flags switch
            {
                ModeFlags.Entry => ModeEffect.Unchanged,
                ModeFlags.Eval => ModeEffect.Eval,
                ModeFlags.Train => ModeEffect.Train,
                _ => ModeEffect.Unknown,
            };
        }

        /// <inheritdoc />
        public GradFlags? GradScopeReturnedBy(IMethodSymbol method)
            => _returnedScopes.GetOrAdd(method, ComputeReturnedScope);

        private readonly ConcurrentDictionary<IMethodSymbol, GradFlags?> _returnedScopes = new ConcurrentDictionary<IMethodSymbol, GradFlags?>(SymbolEqualityComparer.Default);

        private GradFlags? ComputeReturnedScope(IMethodSymbol method)
        {
            if (method.ReturnsVoid || method.DeclaringSyntaxReferences.Length != 1
                || !(method.DeclaringSyntaxReferences[0].GetSyntax() is BaseMethodDeclarationSyntax declaration)
                || !(Exhaustive || _callSyntax.MayReturnGradScope(declaration))
                || !(ModelOf(declaration.SyntaxTree).GetOperation(declaration) is IMethodBodyOperation body))
            {
                return null;
            }

            GradFlags? flags = null;
            foreach (var returned in body.Descendants().OfType<IReturnOperation>())
            {
                if (returned.EnclosingFunction() != null)
                {
                    continue;
                }

                if (!(returned.ReturnedValue?.SkipConversions() is IInvocationOperation call) || !(Symbols.AsGradScopeFactory(call.TargetMethod) is GradScopeFactory factory))
                {
                    return null;
                }

                var these = GradSwitches.FlagsOf(call, factory);
                if (flags != null && flags != these)
                {
                    return null;
                }

                flags = these;
            }

            return flags;
        }

        /// <inheritdoc />
        public FreezeFact? FreezeEffectOn(IMethodSymbol callee, int ordinal, int depth)
        {
            if (depth > MaxDepth || ordinal < 0 || ordinal >= callee.Parameters.Length || !(BodyOf(callee, depth) is { Exit: { } exit } result))
            {
                return FreezeFact.Unknown;
            }

            if (!result.EntryValues.TryGetValue(callee.Parameters[ordinal], out var id) || !exit.Freezes.TryGetValue(id, out var fact) || fact.Flags == FreezeFlags.Unknown)
            {
                return null;
            }

            return fact;
        }

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
                IParameterSymbol parameter => ParameterEntry(parameter, depth),
                IFieldSymbol field => FieldEntry(field, depth),
                IPropertySymbol property => FieldEntry(property, depth),
                _ => ModeFact.Unknown,
            };
            return rest.Flags == ModeFlags.None ? entered : rest.Join(entered);
        }

        /// <summary>
        /// Whether autograd is off on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// switched off in the body, or off at entry because every caller of this compilation holds a grad-disabled scope.
        /// </summary>
        public bool IsGradOff(GradFact grad, ISymbol owner)
            => grad.IsOff
               || (grad.Flags == GradFlags.Entry && owner is IMethodSymbol method && EveryCallerDisablesGrad(method.OriginalDefinition));

        /// <summary>
        /// Whether autograd records on every path at a point of <paramref name="owner"/>'s body with <paramref name="grad"/>:
        /// enabled in the body, or enabled at entry and not every caller of this compilation holds a grad-disabled scope.
        /// Unknown grad modes answer false.
        /// </summary>
        public bool IsGradOn(GradFact grad, ISymbol owner)
        {
            var flags = grad.Flags;
            if (flags == GradFlags.None || (flags & ~(GradFlags.Enabled | GradFlags.Entry)) != 0)
            {
                return false;
            }

            return (flags & GradFlags.Entry) == 0
                   || !(owner is IMethodSymbol method)
                   || !EveryCallerDisablesGrad(method.OriginalDefinition);
        }

        /// <summary>
        /// Whether every call site of <paramref name="method"/> in this compilation runs with autograd off; false when it
        /// has none, or any of them might record.
        /// </summary>
        public bool EveryCallerDisablesGrad(IMethodSymbol method, int depth = 0)
            => depth < MaxDepth && _everyCallerDisablesGrad.GetOrAdd((method, depth), key => ComputeEveryCallerDisablesGrad(key.Item1, key.Item2));

        private bool ComputeEveryCallerDisablesGrad(IMethodSymbol method, int depth)
        {
            if (depth >= MaxDepth || !MayRunWithGradOff(method, depth))
            {
                return false;
            }

            // A call from a member whose syntax cannot switch grad off settles the answer: look for one first, binding
            // the candidates of the method's own file before the others (callers are usually beside their callee).
            var candidates = CandidatesOf(method);
            var tree = method.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree;
            foreach (var sameTree in new[] { true, false })
            {
                foreach (var syntax in candidates)
                {
                    if ((syntax.SyntaxTree == tree) == sameTree && !CallerMayRunWithGradOff(syntax, depth) && Calls(syntax, method))
                    {
                        return false;
                    }
                }
            }

            var any = false;
            foreach (var syntax in candidates)
            {
                if (!CallerMayRunWithGradOff(syntax, depth) || !Calls(syntax, method))
                {
                    continue;
                }

                any = true;
                if (!(SiteAt(syntax, depth) is { } site))
                {
                    return false;
                }

                var grad = site.Site.Grad;
                if (!grad.IsOff && !(grad.Flags == GradFlags.Entry && EveryCallerDisablesGrad(site.Caller, depth + 1)))
                {
                    return false;
                }
            }

            return any;
        }

        /// <summary>
        /// A call site of <paramref name="method"/> that runs with autograd off — directly, or through callers that all
        /// run it so — or null when there is none.
        /// </summary>
        public CallSite? CallSiteWithGradOff(IMethodSymbol method, int depth = 0)
        {
            if (depth >= MaxDepth || !MayRunWithGradOff(method, depth))
            {
                return null;
            }

            foreach (var syntax in CandidatesOf(method))
            {
                if (!CallerMayRunWithGradOff(syntax, depth) || !Calls(syntax, method) || !(SiteAt(syntax, depth) is { } site))
                {
                    continue;
                }

                if (site.Site.Grad.IsOff
                    || (site.Site.Grad.Flags == GradFlags.Entry && EveryCallerDisablesGrad(site.Caller, depth + 1)))
                {
                    return site.Site;
                }
            }

            return null;
        }

        // The syntax says which methods no caller could run with grad off; only the others bind their call sites.
        private bool MayRunWithGradOff(IMethodSymbol method, int depth)
            => Exhaustive || method.MethodKind == MethodKind.Constructor || _callSyntax.MayRunWithGradOff(method.Name, depth, MaxDepth);

        private bool CallerMayRunWithGradOff(SyntaxNode call, int depth)
            => Exhaustive || _callSyntax.CallerMayRunWithGradOff(call, depth, MaxDepth);

        /// <summary>
        /// An <c>eval()</c> or <c>train(false)</c> on <paramref name="member"/> (a module field or property of
        /// <c>this</c>) in a method of its class other than <paramref name="except"/>, or null.
        /// </summary>
        public SyntaxNode? EvalElsewhere(ISymbol member, IMethodSymbol except)
        {
            if (member.ContainingType is null)
            {
                return null;
            }

            foreach (var method in member.ContainingType.GetMembers().OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(method, except) || method.MethodKind == MethodKind.Constructor)
                {
                    continue;
                }

                foreach (var reference in method.DeclaringSyntaxReferences)
                {
                    var syntax = reference.GetSyntax();
                    var model = ModelOf(syntax.SyntaxTree);
                    foreach (var invocation in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
                    {
                        if (!(invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access) || (name != "eval" && name != "train")
                            || !(model.GetOperation(invocation) is IInvocationOperation operation) || operation.Instance is null
                            || !(operation.Instance.SkipConversions() is IMemberReferenceOperation target) || !SymbolEqualityComparer.Default.Equals(target.Member, member))
                        {
                            continue;
                        }

                        var kind = Symbols.Classify(operation.TargetMethod);
                        var isEval = kind == TorchCallKind.Eval
                                     || (kind == TorchCallKind.Train && operation.ConstantBoolArgument() == false);
                        if (isEval)
                        {
                            return invocation;
                        }
                    }
                }
            }

            return null;
        }

        private ModeFact ParameterEntry(IParameterSymbol parameter, int depth)
        {
            if (!(parameter.ContainingSymbol is IMethodSymbol method) || method.MethodKind == MethodKind.AnonymousFunction || method.MethodKind == MethodKind.LocalFunction)
            {
                return ModeFact.Unknown;
            }

            var sites = CallSitesOf(method.OriginalDefinition, depth);
            if (sites.IsEmpty)
            {
                return ModeFact.Entry(parameter);
            }

            ModeFact? joined = null;
            foreach (var site in sites)
            {
                if (site is null || !site.Value.Site.Arguments.TryGetValue(parameter.Ordinal, out var passed))
                {
                    return ModeFact.Unknown;
                }

                var resolved = ResolveEntry(passed, depth + 1);
                joined = joined is null ? resolved : joined.Value.Join(resolved);
            }

            return joined ?? ModeFact.Unknown;
        }

        // Cached per depth, as bodies are: the answer must not depend on which question reached it first, and a field
        // whose constructor argument leads back to the same field ends at MaxDepth instead of recursing forever.
        private ModeFact FieldEntry(ISymbol member, int depth)
            => depth >= MaxDepth
                ? ModeFact.Unknown
                : _fieldEntries.GetOrAdd(new IFieldOrPropertyKey(member, depth), key => ComputeFieldEntry(member, key.Depth));

        private ModeFact ComputeFieldEntry(ISymbol member, int depth)
        {
            var type = member.ContainingType;
            if (type is null || member.IsStatic)
            {
                return ModeFact.Unknown;
            }

            // Any method other than a constructor that sets the mode, hands the module away or replaces it: Unknown. The
            // syntax answers first — a method that calls eval()/train() on the name, or never mentions it — and only the
            // methods that mention it otherwise are bound.
            var constructors = new List<IMethodSymbol>();
            var mentioning = new List<IMethodSymbol>();
            foreach (var candidate in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (candidate.MethodKind == MethodKind.Constructor)
                {
                    constructors.Add(candidate);
                    continue;
                }

                if (Exhaustive)
                {
                    mentioning.Add(candidate);
                }
                else if (MemberMention.Of(candidate, member.Name, _callSyntax.TextOf) is { } mention)
                {
                    if (mention.SetsMode)
                    {
                        return ModeFact.Unknown;
                    }

                    if (mention.Other || !OnlyTorchSharpMethods(member, mention.CalledMethods))
                    {
                        mentioning.Add(candidate);
                    }
                }
            }

            foreach (var candidate in mentioning)
            {
                if (ChangesMember(candidate, member))
                {
                    return ModeFact.Unknown;
                }
            }

            ModeFact? joined = InitializerMode(member);
            foreach (var constructor in constructors)
            {
                if (constructor.IsImplicitlyDeclared)
                {
                    continue;
                }

                if (!(BodyOf(constructor, depth + 1) is { } result))
                {
                    return ModeFact.Unknown;
                }

                if (result.Exit is null)
                {
                    continue;
                }

                var storage = Storage.Of(member);
                ModeFact atExit;
                if (result.Exit.Values.TryGetValue(storage, out var id) && result.Exit.Modes.TryGetValue(id, out var mode))
                {
                    atExit = mode.EntrySymbol != null && SymbolEqualityComparer.Default.Equals(mode.EntrySymbol, member)
                        ? (joined ?? ModeFact.Unknown)
                        : ResolveEntry(mode, depth + 1);
                }
                else
                {
                    // This constructor does not assign it (a chained constructor or the initializer does).
                    if (joined is null && !HasChainedConstructor(constructor))
                    {
                        return ModeFact.Unknown;
                    }

                    continue;
                }

                joined = joined is null ? atExit : joined.Value.Join(atExit);
            }

            return joined ?? ModeFact.Unknown;
        }

        private static bool HasChainedConstructor(IMethodSymbol constructor)
            => constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax { Initializer: { ThisOrBaseKeyword.ValueText: "this" } });

        /// <summary>The mode a field initializer gives: Train when it creates the module, Unknown otherwise, null without one.</summary>
        private ModeFact? InitializerMode(ISymbol member)
        {
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var initializer = reference.GetSyntax() switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                    PropertyDeclarationSyntax property => property.Initializer?.Value,
                    _ => null,
                };
                if (initializer is null)
                {
                    continue;
                }

                var operation = ModelOf(initializer.SyntaxTree).GetOperation(initializer)?.SkipConversions();
                var creates = operation is IObjectCreationOperation
                              || (operation is IInvocationOperation invocation && Symbols.Classify(invocation.TargetMethod) == TorchCallKind.ModuleFactory);
                return creates ? ModeFact.Train(new TrainOrigin(initializer, TrainOriginKind.Created, underDisabledGrad: false)) : ModeFact.Unknown;
            }

            return null;
        }


        /// <summary>
        /// Whether every method named in <paramref name="called"/> is, on the member's type, a forward pass or a method
        /// TorchSharp declares: calling them leaves the mode alone, so the caller need not be bound to know it.
        /// </summary>
        private bool OnlyTorchSharpMethods(ISymbol member, HashSet<string> called)
        {
            var type = member switch { IFieldSymbol field => field.Type, IPropertySymbol property => property.Type, _ => null };
            if (type is null)
            {
                return false;
            }

            foreach (var name in called)
            {
                var found = false;
                for (var current = type; current != null; current = current.BaseType)
                {
                    foreach (var candidate in current.GetMembers(name))
                    {
                        if (!(candidate is IMethodSymbol method) || method.IsStatic
                            || (!Symbols.IsTorchSharp(method) && Symbols.Classify(method) != TorchCallKind.Forward))
                        {
                            return false;
                        }

                        found = true;
                    }
                }

                // No instance method of that name: an extension method of this compilation could be called.
                if (!found)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Whether <paramref name="method"/> calls eval()/train() on the member, passes it on, or assigns it.</summary>
        private bool ChangesMember(IMethodSymbol method, ISymbol member)
            => _changedMembers.GetOrAdd(method, ComputeChangedMembers).Contains(member);

        // One walk per method, whatever field is asked about.
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableHashSet<ISymbol>> _changedMembers
            = new ConcurrentDictionary<IMethodSymbol, ImmutableHashSet<ISymbol>>(SymbolEqualityComparer.Default);

        private ImmutableHashSet<ISymbol> ComputeChangedMembers(IMethodSymbol method)
        {
            var changed = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax();
                if (!(ModelOf(syntax.SyntaxTree).GetOperation(syntax) is { } body))
                {
                    continue;
                }

                foreach (var memberReference in body.Descendants().OfType<IMemberReferenceOperation>())
                {
                    if (!(memberReference.Instance is null || memberReference.Instance is IInstanceReferenceOperation) || !Symbols.IsModule(memberReference.Type))
                    {
                        continue;
                    }

                    var consumer = memberReference.ConsumerOf(out var consumed);
                    switch (consumer)
                    {
                        case IInvocationOperation invocation when invocation.Instance == consumed:
                            var kind = Symbols.Classify(invocation.TargetMethod);
                            if (kind == TorchCallKind.Eval || kind == TorchCallKind.Train
                                || (kind != TorchCallKind.Forward && !Symbols.IsTorchSharp(invocation.TargetMethod)))
                            {
                                changed.Add(memberReference.Member);
                            }

                            break;
                        case IArgumentOperation _:
                        case ISimpleAssignmentOperation assignment when assignment.Target == consumed || assignment.Value == consumed:
                        case IVariableInitializerOperation _:
                        case IReturnOperation _:
                            changed.Add(memberReference.Member);
                            break;
                    }
                }
            }

            return changed.ToImmutable();
        }

        /// <summary>
        /// The call sites of <paramref name="method"/>, each with the flow facts at the call; an element is null when
        /// the facts cannot be known (a call inside a lambda, a body the engine cannot read).
        /// </summary>
        private ImmutableArray<(CallSite Site, IMethodSymbol Caller)?> CallSitesOf(IMethodSymbol method, int depth)
            => _callSites.GetOrAdd((method, depth), key => ComputeCallSites(key.Item1, key.Item2));

        // Every rule and every forward pass asks about the same few methods: answers and bindings are kept per compilation.
        private readonly ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>> _callSites
            = new ConcurrentDictionary<(IMethodSymbol, int), ImmutableArray<(CallSite Site, IMethodSymbol Caller)?>>(new MethodDepthComparer());

        private readonly ConcurrentDictionary<SyntaxNode, IMethodSymbol?> _boundCalls = new ConcurrentDictionary<SyntaxNode, IMethodSymbol?>();

        private readonly ConcurrentDictionary<(IMethodSymbol, int), bool> _everyCallerDisablesGrad
            = new ConcurrentDictionary<(IMethodSymbol, int), bool>(new MethodDepthComparer());

        private IMethodSymbol? BoundTarget(SyntaxNode call)
            => _boundCalls.GetOrAdd(call, node => (ModelOf(node.SyntaxTree).GetSymbolInfo(node).Symbol as IMethodSymbol)?.OriginalDefinition);

        private ImmutableArray<(CallSite Site, IMethodSymbol Caller)?> ComputeCallSites(IMethodSymbol method, int depth)
        {
            var sites = ImmutableArray.CreateBuilder<(CallSite, IMethodSymbol)?>();
            foreach (var syntax in CandidatesOf(method))
            {
                if (Calls(syntax, method))
                {
                    sites.Add(SiteAt(syntax, depth));
                }
            }

            return sites.ToImmutable();
        }

        /// <summary>The calls and creations written with the name of <paramref name="method"/>, bound or not.</summary>
        private ImmutableArray<SyntaxNode> CandidatesOf(IMethodSymbol method)
            => method.MethodKind == MethodKind.Constructor
                ? _callSyntax.CallsNamed(method.ContainingType.Name).AddRange(_callSyntax.CallsNamed(CallSyntaxIndex.ImplicitCreation))
                : _callSyntax.CallsNamed(method.Name);

        /// <summary>Whether the call <paramref name="syntax"/> binds to <paramref name="method"/>; the argument count is checked before binding.</summary>
        private bool Calls(SyntaxNode syntax, IMethodSymbol method)
            => (Exhaustive || ArgumentCounts.Fit(syntax, method)) && SymbolEqualityComparer.Default.Equals(BoundTarget(syntax), method);

        /// <summary>The flow facts at a call of this compilation, with its caller; null when they cannot be known.</summary>
        private (CallSite Site, IMethodSymbol Caller)? SiteAt(SyntaxNode syntax, int depth)
        {
            var caller = ModelOf(syntax.SyntaxTree).GetEnclosingSymbol(syntax.SpanStart) as IMethodSymbol;
            if (caller is null || caller.MethodKind == MethodKind.AnonymousFunction || caller.MethodKind == MethodKind.LocalFunction
                || !(BodyOf(caller.OriginalDefinition, depth + 1) is { } callerFlow))
            {
                return null;
            }

            var site = callerFlow.CallSites.FirstOrDefault(s => s.Syntax == syntax);
            return site is null ? ((CallSite, IMethodSymbol)?)null : (site, caller.OriginalDefinition);
        }

        /// <summary>The flow of a method of this compilation, analysed at <paramref name="depth"/>; null when it has no body we can read.</summary>
        private ModeFlowResult? BodyOf(IMethodSymbol method, int depth)
            => depth > MaxDepth ? null : _bodies.GetOrAdd((method, depth), key => ComputeBody(key.Item1, key.Item2));

        private ModeFlowResult? ComputeBody(IMethodSymbol method, int depth)
            => GraphOf(method) is { } graph ? ModeFlow.Analyze(graph, Symbols, this, depth, isNestedFunction: false) : null;

        // One graph per body, whatever depth asks for its flow.
        private readonly ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?> _bodyGraphs = new ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?>(SymbolEqualityComparer.Default);

        private ControlFlowGraph? GraphOf(IMethodSymbol method) => _bodyGraphs.GetOrAdd(method, CreateGraph);

        private ControlFlowGraph? CreateGraph(IMethodSymbol method)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax();
                if (!(syntax is BaseMethodDeclarationSyntax || syntax is CompilationUnitSyntax))
                {
                    continue;
                }

                var operation = ModelOf(syntax.SyntaxTree).GetOperation(syntax);
                ControlFlowGraph? graph = operation switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body),
                    IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                    _ => null,
                };
                if (graph != null)
                {
                    return graph;
                }
            }

            return null;
        }

        // Not cached here: every host runs analyzers through CompilationWithAnalyzers, whose compilation hands out the
        // driver's own cached model per tree (so bindings are shared with it) and drops it when the tree is done. Holding
        // models ourselves would keep every bound tree alive for the whole compilation.
#pragma warning disable RS1030 // The engine follows calls into other bodies of the compilation, as roslyn-analyzers' flow framework does.
        private SemanticModel ModelOf(SyntaxTree tree) => _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

        private readonly struct IFieldOrPropertyKey : System.IEquatable<IFieldOrPropertyKey>
        {
            private readonly ISymbol _member;

            public IFieldOrPropertyKey(ISymbol member, int depth)
            {
                _member = member;
                Depth = depth;
            }

            public int Depth { get; }

            public bool Equals(IFieldOrPropertyKey other) => Depth == other.Depth && SymbolEqualityComparer.Default.Equals(_member, other._member);

            public override bool Equals(object? obj) => obj is IFieldOrPropertyKey other && Equals(other);

            public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(_member) ^ Depth;
        }

        private sealed class MethodDepthComparer : IEqualityComparer<(IMethodSymbol, int)>
        {
            public bool Equals((IMethodSymbol, int) x, (IMethodSymbol, int) y)
                => x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

            public int GetHashCode((IMethodSymbol, int) obj) => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) ^ obj.Item2;
        }
    }
}
