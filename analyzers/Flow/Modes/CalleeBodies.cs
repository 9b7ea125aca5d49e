using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The bodies of this compilation's methods as the engine reads them: the bound body of a method, its control-flow
    /// graph (one per method) and its mode flow at a depth (one per method and depth), and the semantic model of a tree.
    /// One per engine, shared by its parts; thread-safe: the driver analyses bodies concurrently.
    /// </summary>
    internal sealed class CalleeBodies
    {
        private readonly Compilation _compilation;
        private readonly TorchSymbols _symbols;
        private readonly ICalleeSummaries _summaries;
        private readonly ConcurrentDictionary<(IMethodSymbol, int), ModeFlowResult?> _bodies = new ConcurrentDictionary<(IMethodSymbol, int), ModeFlowResult?>(new MethodDepthComparer());

        /// <param name="summaries">What a flow asks about the callees of the body it runs on (the engine).</param>
        public CalleeBodies(Compilation compilation, TorchSymbols symbols, ICalleeSummaries summaries)
        {
            _compilation = compilation;
            _symbols = symbols;
            _summaries = summaries;
        }

        /// <summary>The flow of a method of this compilation, analysed at <paramref name="depth"/>; null when it has no body we can read.</summary>
        public ModeFlowResult? BodyOf(IMethodSymbol method, int depth)
            => depth > ModeFlowEngine.MaxDepth ? null : _bodies.GetOrAdd((method, depth), key => ComputeBody(key.Item1, key.Item2));

        private ModeFlowResult? ComputeBody(IMethodSymbol method, int depth)
            => GraphOf(method) is { } graph ? ModeFlow.Analyze(graph, _symbols, _summaries, depth, isNestedFunction: false) : null;

        // One graph per body, whatever depth asks for its flow.
        private readonly ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?> _bodyGraphs = new ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?>(SymbolEqualityComparer.Default);

        /// <summary>The control-flow graph of a method's body (<see cref="BodyOperationOf"/>); null when it has none.</summary>
        public ControlFlowGraph? GraphOf(IMethodSymbol method) => _bodyGraphs.GetOrAdd(method, CreateGraph);

        private ControlFlowGraph? CreateGraph(IMethodSymbol method)
            => BodyOperationOf(method) switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body),
                IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                _ => null,
            };

        /// <summary>The body of a method or constructor of this compilation (its first declaration that has one), bound through the driver's model; null otherwise.</summary>
        public IOperation? BodyOperationOf(IMethodSymbol method)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax();
                if ((syntax is BaseMethodDeclarationSyntax || syntax is CompilationUnitSyntax)
                    && ModelOf(syntax.SyntaxTree)?.GetOperation(syntax) is { } body
                    && (body is IMethodBodyOperation || body is IConstructorBodyOperation))
                {
                    return body;
                }
            }

            return null;
        }

        // Holding models ourselves would keep every bound tree alive for the whole compilation. Null for a tree of another
        // compilation: in an IDE a project reference's symbols point into its trees, which this compilation cannot bind;
        // the engine then knows as little as a build would.
        public SemanticModel? ModelOf(SyntaxTree tree) => _compilation.ModelIfInSource(tree);
    }
}
