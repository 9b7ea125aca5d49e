using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Infrastructure;
using TorchSharp.Analyzers.Options;
using TorchSharp.Analyzers.Rules.Registration;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules
{
    /// <summary>
    /// TORCH008: a field or auto-property of a custom module holds a module (or a <c>List&lt;&gt;</c>, array or
    /// dictionary of modules) that is not registered as a submodule when construction ends, so <c>eval()</c>,
    /// <c>train()</c> and <c>parameters()</c> do not reach it. <c>RegisterComponents()</c> registers the module fields
    /// that are non-null at its first call on the object and nothing after that
    /// (docs/architecture.md, "Measured facts"); the construction of every concrete class is run path by path through
    /// its constructors, and a field is reported at its declaration, once, naming the first concrete class that misses
    /// it. A class that simply never calls <c>RegisterComponents()</c> is complete as a registered child
    /// (<c>register_module</c> calls the child's <c>RegisterComponents()</c>), so that finding needs a proven root use
    /// of the class, an element of a <c>Sequential</c>, or a holder field that is itself unregistered
    /// (<see cref="RegistrationAnalysis.SelfRegistrationNeeded(INamedTypeSymbol, CancellationToken)"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnregisteredSubmoduleAnalyzer : TorchSharpAnalyzer
    {
        /// <summary><c>.editorconfig</c> key: comma-separated field or property names that are never reported.</summary>
        public const string ExcludedFieldNamesOption = "TORCH008.excluded_field_names";

        /// <summary>
        /// <c>.editorconfig</c> key: when <c>true</c>, unregistered layers without parameters and without a train/eval
        /// difference (ReLU, pooling, Flatten …) and losses are reported too. Off by default: leaving one unregistered changes nothing.
        /// </summary>
        public const string ReportStatelessLayersOption = "TORCH008.report_stateless_layers";

        /// <summary>
        /// <c>.editorconfig</c> key: when <c>true</c> (the default), a class whose constructor simply never calls
        /// <c>RegisterComponents()</c> is reported only when this compilation shows an object of it used as a root, or held
        /// by a field that is itself left unregistered; a parent that registers it completes it (<c>register_module</c> calls
        /// <c>RegisterComponents()</c> on the child). <c>false</c> reports every such class, used or not.
        /// </summary>
        public const string RequireRootUseOption = "TORCH008.require_root_use";

        /// <summary>Diagnostic property: which fix applies (<see cref="RegistrationFix"/> by name), absent when none.</summary>
        public const string FixProperty = "Fix";

        /// <summary>Diagnostic property: the documentation id of the concrete class whose constructors miss the field.</summary>
        public const string ClassProperty = "Class";

        /// <summary>Diagnostic property: the name <c>register_module</c> would register the field under.</summary>
        public const string ModuleNameProperty = "ModuleName";

        /// <summary>Diagnostic property: the documentation ids of the entry constructors that leave the field unregistered, separated by ';'.</summary>
        public const string ConstructorsProperty = "Constructors";

        /// <summary>Diagnostic property: the field (or auto-property) name as written.</summary>
        public const string MemberProperty = "Member";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(Descriptors.UnregisteredSubmodule);

        private protected override void Register(CompilationStartAnalysisContext context)
        {
            var compilation = context.Compilation;
            // exhaustive_flow switches the text index off: root uses are then found in every tree's syntax.
            var exhaustive = EditorConfigOptions.GetGlobalBool(context.Options, Flow.Modes.ModeFlowEngine.ExhaustiveOption, defaultValue: false);
            var lazyAnalysis = new Lazy<RegistrationAnalysis?>(
                () => TorchSymbols.For(compilation) is { } symbols ? new RegistrationAnalysis(compilation, symbols, exhaustive) : null,
                LazyThreadSafetyMode.ExecutionAndPublication);

            // One scope per module class: the driver hands over the operations of the class's constructors, methods and
            // initializers as it builds them anyway, and the construction is run at the end of the class from those
            // instead of binding the bodies again through a semantic model of our own.
            context.RegisterSymbolStartAction(start =>
            {
                var type = (INamedTypeSymbol)start.Symbol;
                if (type.TypeKind != TypeKind.Class || !(lazyAnalysis.Value is { } analysis) || !analysis.IsSource(type) || !analysis.Symbols.IsModule(type))
                {
                    return;
                }

                var blocks = new ConcurrentQueue<IOperation>();
                start.RegisterOperationBlockAction(block =>
                {
                    foreach (var operation in block.OperationBlocks)
                    {
                        analysis.Provide(operation);
                        blocks.Enqueue(operation);
                    }
                });
                start.RegisterSymbolEndAction(end =>
                {
                    try
                    {
                        AnalyzeType(type, analysis, end.Options, end.ReportDiagnostic, end.CancellationToken);
                    }
                    finally
                    {
                        analysis.Forget(blocks);
                    }
                });
            }, SymbolKind.NamedType);
        }

        private static void AnalyzeType(INamedTypeSymbol type, RegistrationAnalysis analysis, AnalyzerOptions options, Action<Diagnostic> report, CancellationToken cancellationToken)
        {
            var candidates = type.GetMembers().OfType<IFieldSymbol>()
                .Select(field => (Field: field, Location: DeclarationOf(field)))
                .Where(c => c.Location != null && IsCandidate(options, analysis, c.Field, c.Location!.SourceTree!))
                .ToList();
            if (candidates.Count == 0)
            {
                return;
            }

            var constructions = analysis.ConstructionsOf(type);
            foreach (var (field, location) in candidates)
            {
                var rootUseRequired = EditorConfigOptions.GetBool(options, location!.SourceTree!, RequireRootUseOption, defaultValue: true);
                foreach (var construction in constructions)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    // Cheapest first: most module fields are registered (no finding), and the questions after that one
                    // read other classes (what a field typed as a base class holds, where objects of the class go).
                    if (analysis.ResultFor(construction, cancellationToken) is { } result
                        && SubmoduleFindings.For(field.OriginalDefinition, result, location!.SourceTree!) is { } finding
                        && !HoldsOnlyStatelessLayers(options, analysis, field, location!.SourceTree!)
                        && (!finding.RootDependent || !rootUseRequired || analysis.SelfRegistrationNeeded(construction, cancellationToken) != null))
                    {
                        Report(report, field, location, finding);
                        break;
                    }
                }
            }
        }

        /// <summary>
        /// A field typed as a general module (<c>nn.Module&lt;Tensor, Tensor&gt;</c>) whose class stores only stateless
        /// layers in it (a factory of activations): unregistered, it changes nothing — unless stateless layers are reported.
        /// </summary>
        private static bool HoldsOnlyStatelessLayers(AnalyzerOptions options, RegistrationAnalysis analysis, IFieldSymbol field, SyntaxTree tree)
            => !EditorConfigOptions.GetBool(options, tree, ReportStatelessLayersOption, defaultValue: false)
               && SubmoduleFieldKinds.Classify(analysis.Symbols, field.Type, out _) == SubmoduleFieldKind.Module
               && ModeFlowEngine.For(analysis.Symbols.Compilation, analysis.Symbols, options).Composition.HoldsOnlyStatelessLayers(field);

        private static bool IsCandidate(AnalyzerOptions options, RegistrationAnalysis analysis, IFieldSymbol field, SyntaxTree tree)
        {
            var symbols = analysis.Symbols;
            var kind = SubmoduleFieldKinds.Classify(symbols, field.Type, out var element);
            if (field.IsConst || kind == SubmoduleFieldKind.None)
            {
                return false;
            }

            // Stateless by its type (nn.ReLU): unregistered, it changes nothing. (Stateless by every value its class stores
            // in it is asked last, of the fields with a finding: HoldsOnlyStatelessLayers.)
            var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            if (!EditorConfigOptions.GetBool(options, tree, ReportStatelessLayersOption, defaultValue: false)
                && SubmoduleFieldKinds.IsStateless(symbols, element))
            {
                return false;
            }

            if (config.TryGetValue(EditorConfigOptions.Prefix + ExcludedFieldNamesOption, out var excluded))
            {
                var name = MemberName(field);
                var names = excluded.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (names.Any(n => string.Equals(n.Trim(), name, StringComparison.Ordinal)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The identifier of the field's declarator, or of the auto-property that owns a backing field.</summary>
        private static Location? DeclarationOf(IFieldSymbol field)
        {
            var declared = (ISymbol?)field.AssociatedSymbol ?? field;
            return declared.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree != null);
        }

        private static string MemberName(IFieldSymbol field) => field.AssociatedSymbol?.Name ?? field.Name;

        private static void Report(Action<Diagnostic> report, IFieldSymbol field, Location location, SubmoduleFinding finding)
        {
            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(MemberProperty, MemberName(field))
                .Add(ClassProperty, finding.Construction.GetDocumentationCommentId())
                .Add(ConstructorsProperty, string.Join(";", finding.FailingConstructors.Select(c => c.GetDocumentationCommentId())));
            if (finding.Fix != RegistrationFix.None)
            {
                properties = properties.Add(FixProperty, finding.Fix.ToString());
            }

            if (finding.ModuleName != null)
            {
                properties = properties.Add(ModuleNameProperty, finding.ModuleName);
            }

            report(Diagnostic.Create(
                Descriptors.UnregisteredSubmodule,
                location,
                properties,
                MemberName(field),
                finding.Construction.Name,
                finding.Reason));
        }
    }
}
