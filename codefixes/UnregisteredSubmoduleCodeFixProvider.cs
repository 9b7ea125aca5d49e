using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TorchSharp.Analyzers.Rules;
using TorchSharp.Analyzers.Rules.Registration;

namespace TorchSharp.Analyzers.CodeFixes
{
    /// <summary>
    /// TORCH008 fixes: <c>RegisterComponents();</c> at the end of the constructors when no registration ran at all,
    /// <c>register_module("name", field);</c> there when a registration already ran before the field was assigned, and
    /// <c>List&lt;T&gt;</c> → <c>ModuleList&lt;T&gt;</c> for lists of modules (offered only where the result compiles).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnregisteredSubmoduleCodeFixProvider))]
    [Shared]
    public sealed class UnregisteredSubmoduleCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of the action that adds <c>RegisterComponents();</c>.</summary>
        public const string RegisterComponentsKey = DiagnosticIds.UnregisteredSubmodule + ".RegisterComponents";

        /// <summary>Equivalence key of the action that adds <c>register_module(..)</c>.</summary>
        public const string RegisterModuleKey = DiagnosticIds.UnregisteredSubmodule + ".RegisterModule";

        /// <summary>Equivalence key of the action that turns a <c>List&lt;T&gt;</c> into a <c>ModuleList&lt;T&gt;</c>.</summary>
        public const string ModuleListKey = DiagnosticIds.UnregisteredSubmodule + ".ModuleList";

        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnregisteredSubmodule);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => new UnregisteredSubmoduleFixAllProvider();

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            foreach (var diagnostic in context.Diagnostics)
            {
                var key = KeyOf(diagnostic);
                if (key is null)
                {
                    continue;
                }

                // Computed up front so that an action is offered only where it applies and compiles.
                var fixedDocument = await SubmoduleRegistrationFix.ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), key, context.CancellationToken).ConfigureAwait(false);
                if (fixedDocument != null)
                {
                    context.RegisterCodeFix(CodeAction.Create(TitleOf(diagnostic, key), _ => Task.FromResult(fixedDocument), key), diagnostic);
                }
            }
        }

        /// <summary>The equivalence key of the fix the analyzer chose for <paramref name="diagnostic"/>, or null.</summary>
        internal static string? KeyOf(Diagnostic diagnostic)
        {
            if (!diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.FixProperty, out var fix))
            {
                return null;
            }

            if (fix == nameof(RegistrationFix.RegisterComponents))
            {
                return RegisterComponentsKey;
            }

            if (fix == nameof(RegistrationFix.RegisterModule))
            {
                return RegisterModuleKey;
            }

            return fix == nameof(RegistrationFix.ModuleList) ? ModuleListKey : null;
        }

        private static string TitleOf(Diagnostic diagnostic, string key)
        {
            diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.MemberProperty, out var member);
            diagnostic.Properties.TryGetValue(UnregisteredSubmoduleAnalyzer.ModuleNameProperty, out var name);
            switch (key)
            {
                case RegisterComponentsKey:
                    return "Call RegisterComponents() at the end of the constructor";
                case RegisterModuleKey:
                    return "Register '" + member + "' with register_module(\"" + name + "\", …) at the end of the constructor";
                default:
                    return "Use ModuleList<T> for '" + member + "'";
            }
        }

        /// <summary>Fix All: every diagnostic of the chosen kind in a document, in one edit, each constructor edited once.</summary>
        private sealed class UnregisteredSubmoduleFixAllProvider : DocumentBasedFixAllProvider
        {
            protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
            {
                var key = fixAllContext.CodeActionEquivalenceKey;
                var matching = diagnostics.Where(d => KeyOf(d) == key).ToImmutableArray();
                if (key is null || matching.IsEmpty)
                {
                    return document;
                }

                return await SubmoduleRegistrationFix.ApplyAsync(document, matching, key, fixAllContext.CancellationToken).ConfigureAwait(false) ?? document;
            }
        }
    }
}
