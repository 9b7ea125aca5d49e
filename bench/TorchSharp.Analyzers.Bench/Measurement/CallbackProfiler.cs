using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>
    /// Times every callback an analyzer registers in thread processor time (<see cref="ThreadCpu"/>), by analyzer, action
    /// kind and the symbol it runs for: the analysis time of one method (operation block) is the sum of the callbacks of
    /// all our analyzers for it. Wraps the analyzer's registrations, so the analyzer runs unchanged; the clock reads
    /// (about a microsecond per callback) are the only overhead. Their part inside the timed window is measured on empty
    /// callbacks (<see cref="Calibrate"/>) and subtracted from every callback: with tens of thousands of callbacks per
    /// compilation it would otherwise be charged to the analyzers (eight empty analyzers of our shape measured 33 ms on
    /// the 200-file corpus without it). The wrapper also sits inside the driver's own clock, so telemetry is read from a
    /// run without it.
    /// </summary>
    internal sealed class CallbackProfiler
    {
        private readonly ConcurrentDictionary<(string Analyzer, string Action), Cost> _byAction = new ConcurrentDictionary<(string, string), Cost>();
        private readonly ConcurrentDictionary<ISymbol, Cost> _bySymbol = new ConcurrentDictionary<ISymbol, Cost>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<(ISymbol Symbol, string Analyzer), long> _bySymbolAndAnalyzer = new ConcurrentDictionary<(ISymbol, string), long>(new SymbolAnalyzerComparer());

        /// <summary><paramref name="analyzers"/>, each wrapped so its callbacks are timed into this profiler.</summary>
        public ImmutableArray<DiagnosticAnalyzer> Wrap(ImmutableArray<DiagnosticAnalyzer> analyzers)
            => analyzers.Select(a => (DiagnosticAnalyzer)new ProfilingAnalyzer(a, this)).ToImmutableArray();

        /// <summary>Thread processor time in all callbacks.</summary>
        public TimeSpan TotalCpu => ThreadCpu.Elapsed(0, Math.Max(0, _byAction.Values.Sum(c => c.CpuNanoseconds)));

        /// <summary>Thread processor time per analyzer.</summary>
        public IReadOnlyList<(string Analyzer, TimeSpan Cpu)> ByAnalyzer
            => _byAction.GroupBy(p => p.Key.Analyzer)
                .Select(g => (g.Key, ThreadCpu.Elapsed(0, g.Sum(p => p.Value.CpuNanoseconds))))
                .OrderByDescending(p => p.Item2)
                .ToList();

        /// <summary>Time spent per analyzer and action kind (thread processor time), with the number of callbacks.</summary>
        public IReadOnlyList<(string Analyzer, string Action, TimeSpan Cpu, long Calls)> ByAction
            => _byAction.Select(p => (p.Key.Analyzer, p.Key.Action, ThreadCpu.Elapsed(0, p.Value.CpuNanoseconds), p.Value.Calls)).OrderByDescending(p => p.Item3).ToList();

        /// <summary>The slowest symbols (methods, mostly), with the processor time all analyzers spent on them.</summary>
        public IReadOnlyList<(ISymbol Symbol, TimeSpan Cpu)> Slowest(int count)
            => _bySymbol.OrderByDescending(p => p.Value.CpuNanoseconds).Take(count).Select(p => (p.Key, ThreadCpu.Elapsed(0, p.Value.CpuNanoseconds))).ToList();

        /// <summary>The analyzer that spent the most processor time on <paramref name="symbol"/>, with that time.</summary>
        public (string Analyzer, TimeSpan Cpu) TopAnalyzerOf(ISymbol symbol)
            => _bySymbolAndAnalyzer.Where(p => SymbolEqualityComparer.Default.Equals(p.Key.Symbol, symbol))
                .OrderByDescending(p => p.Value)
                .Select(p => (p.Key.Analyzer, ThreadCpu.Elapsed(0, p.Value)))
                .FirstOrDefault();

        /// <summary>
        /// What the report needs, without the symbols: a profile keeps its compilation alive, and a large bound compilation
        /// held across later measurements would slow their garbage collections.
        /// </summary>
        public ProfileSummary Summarize(int slowest)
            => new ProfileSummary(
                TotalCpu,
                ByAnalyzer,
                ByAction,
                Slowest(slowest).Select(p =>
                {
                    var (analyzer, analyzerCpu) = TopAnalyzerOf(p.Symbol);
                    var path = p.Symbol.DeclaringSyntaxReferences.FirstOrDefault()?.SyntaxTree.FilePath ?? string.Empty;
                    return new SlowSymbol(Display(p.Symbol), LinesOf(p.Symbol), p.Cpu, analyzer ?? "?", analyzerCpu, path);
                }).ToList());

        /// <summary>A symbol as the report shows it: Type.Member.</summary>
        public static string Display(ISymbol symbol)
            => symbol.ContainingType is { } type ? type.Name + "." + symbol.Name : symbol.Name;

        /// <summary>The lines of the declaration of <paramref name="symbol"/>.</summary>
        public static int LinesOf(ISymbol symbol)
            => symbol.DeclaringSyntaxReferences.Sum(r =>
            {
                var span = r.SyntaxTree.GetLineSpan(r.Span);
                return span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
            });

        /// <summary>The processor time all analyzers spent on <paramref name="symbol"/>.</summary>
        /// <remarks>By display string: the analyzer driver analyses its own copy of the compilation, whose symbols are not the caller's.</remarks>
        public TimeSpan CpuOf(string symbol)
            => ThreadCpu.Elapsed(0, _bySymbol.Where(p => p.Key.ToDisplayString() == symbol).Sum(p => p.Value.CpuNanoseconds));

        /// <summary>The profiler's own processor time inside the timed window of one callback, in nanoseconds (<see cref="Calibrate"/>).</summary>
        public static long OwnCostNanoseconds { get; private set; }

        /// <summary>
        /// Measures <see cref="OwnCostNanoseconds"/>: the mean time the wrapper reads for a callback that does nothing (the
        /// median of several rounds, so one preemption does not set it). Call after the warm-up has compiled the wrapper.
        /// </summary>
        public static long Calibrate()
        {
            const int Calls = 20_000;
            var profiler = new CallbackProfiler();
            var empty = profiler.Timed<ISymbol?>("calibration", "empty", _ => { }, symbol => symbol);
            var rounds = new List<long>();
            for (var round = 0; round < 7; round++)
            {
                profiler._byAction.Clear();
                for (var i = 0; i < Calls; i++)
                {
                    empty(null);
                }

                rounds.Add(profiler._byAction.Values.Sum(c => c.CpuNanoseconds) / Calls);
            }

            rounds.Sort();
            OwnCostNanoseconds = rounds[rounds.Count / 2];
            return OwnCostNanoseconds;
        }

        private void Record(string analyzer, string action, ISymbol? symbol, long cpuStart)
        {
            // Signed: a callback faster than the mean overhead gives back what a slower one took (totals stay unbiased).
            var cost = new Cost(ThreadCpu.Now() - cpuStart - OwnCostNanoseconds, 1);
            _byAction.AddOrUpdate((analyzer, action), cost, (_, total) => total + cost);
            if (symbol != null)
            {
                _bySymbol.AddOrUpdate(symbol, cost, (_, total) => total + cost);
                _bySymbolAndAnalyzer.AddOrUpdate((symbol, analyzer), cost.CpuNanoseconds, (_, total) => total + cost.CpuNanoseconds);
            }
        }

        private Action<T> Timed<T>(string analyzer, string action, Action<T> inner, Func<T, ISymbol?> symbolOf)
            => context =>
            {
                var cpu = ThreadCpu.Now();
                try
                {
                    inner(context);
                }
                finally
                {
                    Record(analyzer, action, symbolOf(context), cpu);
                }
            };

        private sealed class SymbolAnalyzerComparer : IEqualityComparer<(ISymbol Symbol, string Analyzer)>
        {
            public bool Equals((ISymbol Symbol, string Analyzer) x, (ISymbol Symbol, string Analyzer) y)
                => x.Analyzer == y.Analyzer && SymbolEqualityComparer.Default.Equals(x.Symbol, y.Symbol);

            public int GetHashCode((ISymbol Symbol, string Analyzer) obj)
                => (SymbolEqualityComparer.Default.GetHashCode(obj.Symbol) * 31) + obj.Analyzer.GetHashCode(StringComparison.Ordinal);
        }

        private readonly struct Cost
        {
            public Cost(long cpuNanoseconds, long calls)
            {
                CpuNanoseconds = cpuNanoseconds;
                Calls = calls;
            }

            public long CpuNanoseconds { get; }

            public long Calls { get; }

            public static Cost operator +(Cost left, Cost right)
                => new Cost(left.CpuNanoseconds + right.CpuNanoseconds, left.Calls + right.Calls);
        }

        private sealed class ProfilingAnalyzer : DiagnosticAnalyzer
        {
            private readonly DiagnosticAnalyzer _inner;
            private readonly CallbackProfiler _profiler;

            public ProfilingAnalyzer(DiagnosticAnalyzer inner, CallbackProfiler profiler)
            {
                _inner = inner;
                _profiler = profiler;
            }

            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => _inner.SupportedDiagnostics;

            public override void Initialize(AnalysisContext context)
                => _inner.Initialize(new Context(context, _profiler, _inner.GetType().Name));
        }

        /// <summary>Forwards every registration of <see cref="AnalysisContext"/>, timing the action.</summary>
        private sealed class Context : AnalysisContext
        {
            private readonly AnalysisContext _inner;
            private readonly CallbackProfiler _p;
            private readonly string _name;

            public Context(AnalysisContext inner, CallbackProfiler profiler, string name)
            {
                _inner = inner;
                _p = profiler;
                _name = name;
            }

            public override void EnableConcurrentExecution() => _inner.EnableConcurrentExecution();

            public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => _inner.ConfigureGeneratedCodeAnalysis(analysisMode);

            public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action)
                => _inner.RegisterCompilationStartAction(start =>
                {
                    var cpu = ThreadCpu.Now();
                    try
                    {
                        action(new StartContext(start, _p, _name));
                    }
                    finally
                    {
                        _p.Record(_name, "CompilationStart", null, cpu);
                    }
                });

            public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action)
                => _inner.RegisterCompilationAction(_p.Timed(_name, "Compilation", action, _ => null));

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action)
                => _inner.RegisterSemanticModelAction(_p.Timed(_name, "SemanticModel", action, _ => null));

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds)
                => _inner.RegisterSymbolAction(_p.Timed(_name, "Symbol", action, c => c.Symbol), symbolKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
                => _inner.RegisterSymbolStartAction(_p.Timed<SymbolStartAnalysisContext>(_name, "SymbolStart", c => action(new SymbolStartContext(c, _p, _name)), c => c.Symbol), symbolKind);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
                => _inner.RegisterCodeBlockStartAction(_p.Timed(_name, "CodeBlockStart", action, c => c.OwningSymbol));

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action)
                => _inner.RegisterCodeBlockAction(_p.Timed(_name, "CodeBlock", action, c => c.OwningSymbol));

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action)
                => _inner.RegisterSyntaxTreeAction(_p.Timed(_name, "SyntaxTree", action, _ => null));

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action)
                => _inner.RegisterAdditionalFileAction(_p.Timed(_name, "AdditionalFile", action, _ => null));

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
                => _inner.RegisterSyntaxNodeAction(_p.Timed(_name, "SyntaxNode", action, c => c.ContainingSymbol), syntaxKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
                => _inner.RegisterOperationBlockStartAction(_p.Timed<OperationBlockStartAnalysisContext>(_name, "OperationBlockStart", c => action(new BlockStartContext(c, _p, _name)), c => c.OwningSymbol));

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action)
                => _inner.RegisterOperationBlockAction(_p.Timed(_name, "OperationBlock", action, c => c.OwningSymbol));

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
                => _inner.RegisterOperationAction(_p.Timed(_name, "Operation", action, c => c.ContainingSymbol), operationKinds);
        }

        /// <summary>Forwards every registration of <see cref="CompilationStartAnalysisContext"/>, timing the action.</summary>
        private sealed class StartContext : CompilationStartAnalysisContext
        {
            private readonly CompilationStartAnalysisContext _inner;
            private readonly CallbackProfiler _p;
            private readonly string _name;

            public StartContext(CompilationStartAnalysisContext inner, CallbackProfiler profiler, string name)
                : base(inner.Compilation, inner.Options, inner.CancellationToken)
            {
                _inner = inner;
                _p = profiler;
                _name = name;
            }

            public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action)
                => _inner.RegisterCompilationEndAction(_p.Timed(_name, "CompilationEnd", action, _ => null));

            public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action)
                => _inner.RegisterSemanticModelAction(_p.Timed(_name, "SemanticModel", action, _ => null));

            public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds)
                => _inner.RegisterSymbolAction(_p.Timed(_name, "Symbol", action, c => c.Symbol), symbolKinds);

            public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
                => _inner.RegisterSymbolStartAction(_p.Timed<SymbolStartAnalysisContext>(_name, "SymbolStart", c => action(new SymbolStartContext(c, _p, _name)), c => c.Symbol), symbolKind);

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
                => _inner.RegisterCodeBlockStartAction(_p.Timed(_name, "CodeBlockStart", action, c => c.OwningSymbol));

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action)
                => _inner.RegisterCodeBlockAction(_p.Timed(_name, "CodeBlock", action, c => c.OwningSymbol));

            public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action)
                => _inner.RegisterSyntaxTreeAction(_p.Timed(_name, "SyntaxTree", action, _ => null));

            public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action)
                => _inner.RegisterAdditionalFileAction(_p.Timed(_name, "AdditionalFile", action, _ => null));

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
                => _inner.RegisterSyntaxNodeAction(_p.Timed(_name, "SyntaxNode", action, c => c.ContainingSymbol), syntaxKinds);

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
                => _inner.RegisterOperationBlockStartAction(_p.Timed<OperationBlockStartAnalysisContext>(_name, "OperationBlockStart", c => action(new BlockStartContext(c, _p, _name)), c => c.OwningSymbol));

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action)
                => _inner.RegisterOperationBlockAction(_p.Timed(_name, "OperationBlock", action, c => c.OwningSymbol));

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
                => _inner.RegisterOperationAction(_p.Timed(_name, "Operation", action, c => c.ContainingSymbol), operationKinds);
        }
    
        /// <summary>
        /// Forwards the registrations made in a symbol's scope (its members' blocks and operations, the symbol's end),
        /// timing each action: work done there is ours too.
        /// </summary>
        private sealed class SymbolStartContext : SymbolStartAnalysisContext
        {
            private readonly SymbolStartAnalysisContext _inner;
            private readonly CallbackProfiler _p;
            private readonly string _name;

            // The constructors that take the driver's internals are not public; the obsolete ones still work for a wrapper
            // that forwards every registration to the real context.
#pragma warning disable CS0618
            public SymbolStartContext(SymbolStartAnalysisContext inner, CallbackProfiler profiler, string name)
                : base(inner.Symbol, inner.Compilation, inner.Options, inner.CancellationToken)
#pragma warning restore CS0618
            {
                _inner = inner;
                _p = profiler;
                _name = name;
            }

            public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action)
                => _inner.RegisterSymbolEndAction(_p.Timed(_name, "SymbolEnd", action, c => c.Symbol));

            public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action)
                => _inner.RegisterCodeBlockStartAction(_p.Timed(_name, "CodeBlockStart", action, c => c.OwningSymbol));

            public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action)
                => _inner.RegisterCodeBlockAction(_p.Timed(_name, "CodeBlock", action, c => c.OwningSymbol));

            public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action)
                => _inner.RegisterOperationBlockStartAction(_p.Timed<OperationBlockStartAnalysisContext>(_name, "OperationBlockStart", c => action(new BlockStartContext(c, _p, _name)), c => c.OwningSymbol));

            public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action)
                => _inner.RegisterOperationBlockAction(_p.Timed(_name, "OperationBlock", action, c => c.OwningSymbol));

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
                => _inner.RegisterOperationAction(_p.Timed(_name, "Operation", action, c => c.ContainingSymbol), operationKinds);

            public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds)
                => _inner.RegisterSyntaxNodeAction(_p.Timed(_name, "SyntaxNode", action, c => c.ContainingSymbol), syntaxKinds);
        }

        /// <summary>
        /// Forwards the registrations made at the start of an operation block, timing each action. (Its
        /// GetControlFlowGraph is not forwarded: no analyzer of ours asks for a graph at block start.)
        /// </summary>
        private sealed class BlockStartContext : OperationBlockStartAnalysisContext
        {
            private readonly OperationBlockStartAnalysisContext _inner;
            private readonly CallbackProfiler _p;
            private readonly string _name;

            // The constructors that take the driver's internals are not public; the obsolete ones still work for a wrapper
            // that forwards every registration to the real context.
#pragma warning disable CS0618
            public BlockStartContext(OperationBlockStartAnalysisContext inner, CallbackProfiler profiler, string name)
                : base(inner.OperationBlocks, inner.OwningSymbol, inner.Compilation, inner.Options, inner.CancellationToken)
#pragma warning restore CS0618
            {
                _inner = inner;
                _p = profiler;
                _name = name;
            }

            public override void RegisterOperationBlockEndAction(Action<OperationBlockAnalysisContext> action)
                => _inner.RegisterOperationBlockEndAction(_p.Timed(_name, "OperationBlockEnd", action, c => c.OwningSymbol));

            public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
                => _inner.RegisterOperationAction(_p.Timed(_name, "Operation", action, c => c.ContainingSymbol), operationKinds);
        }
}

    /// <summary>One of the slowest methods of a profile.</summary>
    internal sealed record SlowSymbol(string Method, int Lines, TimeSpan Cpu, string TopAnalyzer, TimeSpan TopAnalyzerCpu, string Path);

    /// <summary>A profile's totals, per analyzer, per action kind, and its slowest methods.</summary>
    internal sealed record ProfileSummary(
        TimeSpan TotalCpu,
        IReadOnlyList<(string Analyzer, TimeSpan Cpu)> ByAnalyzer,
        IReadOnlyList<(string Analyzer, string Action, TimeSpan Cpu, long Calls)> ByAction,
        IReadOnlyList<SlowSymbol> Slowest);
}
