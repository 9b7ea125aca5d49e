using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using TorchSharp.Analyzers.Flow;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>The code fix a TORCH008 finding can take.</summary>
    internal enum RegistrationFix
    {
        None,

        /// <summary>No registration ran at all: add <c>RegisterComponents();</c> at the end of the constructors.</summary>
        RegisterComponents,

        /// <summary>A registration ran before the assignment: add <c>register_module("name", field);</c> at the end of the constructors.</summary>
        RegisterModule,

        /// <summary>A <c>List&lt;T&gt;</c> of modules: make it a <c>ModuleList&lt;T&gt;</c>.</summary>
        ModuleList,
    }

    /// <summary>One unregistered field: the concrete class where it is missed, the reason in words, and the fix.</summary>
    internal sealed class SubmoduleFinding
    {
        public SubmoduleFinding(INamedTypeSymbol construction, string reason, RegistrationFix fix, string? moduleName, ImmutableArray<IMethodSymbol> failingConstructors, bool rootDependent)
        {
            RootDependent = rootDependent;
            Construction = construction;
            Reason = reason;
            Fix = fix;
            ModuleName = moduleName;
            FailingConstructors = failingConstructors;
        }

        /// <summary>The entry constructors on which the field ends up unregistered, in source order.</summary>
        public ImmutableArray<IMethodSymbol> FailingConstructors { get; }

        public INamedTypeSymbol Construction { get; }

        /// <summary>
        /// Every failing path simply never called <c>RegisterComponents()</c>: a parent that registers the object calls it
        /// (<c>register_module</c> does), so this is a finding only where the object is a root or its holder never registers it.
        /// </summary>
        public bool RootDependent { get; }

        public string Reason { get; }

        public RegistrationFix Fix { get; }

        /// <summary>The name <c>register_module</c> would use (the field's name without a leading underscore).</summary>
        public string? ModuleName { get; }
    }

    /// <summary>Turns the paths of a construction into a finding for one field, worded for the message.</summary>
    internal static class SubmoduleFindings
    {
        private enum Verdict
        {
            Registered,
            Null,
            Unknown,
            NoRegistration,
            AssignedAfter,
            Collection,
            Static,
        }

        /// <summary>The finding for <paramref name="field"/> in objects of <paramref name="result"/>'s class, or null when it is registered wherever it is set.</summary>
        public static SubmoduleFinding? For(IFieldSymbol field, ConstructionResult result, SyntaxTree reportedIn)
        {
            if (!result.Kinds.TryGetValue(field, out var kind))
            {
                return null;
            }

            if (kind != SubmoduleFieldKind.Module && result.Constructors.Any(c => c.Paths.Any(p => p.IndirectRegistration)))
            {
                // The class registers modules one by one (register_module with a local or an element): the elements of a
                // collection may well be registered, and that cannot be matched to the collection. No verdict.
                return null;
            }

            if (kind != SubmoduleFieldKind.Module && result.HandedToContainers.Contains(field))
            {
                // A staging list: its elements are handed to a Sequential, ModuleList or ModuleDict, which registers
                // them when it is registered itself. Where that container goes is not followed: no verdict.
                return null;
            }

            var failing = new List<(ConstructorPaths Constructor, PathState Path, Verdict Verdict, bool SomePath)>();
            var badVerdicts = new HashSet<Verdict>();
            var registeredEver = false;
            foreach (var constructor in result.Constructors)
            {
                var verdicts = constructor.Paths.Select(p => VerdictOf(p, field, kind)).ToList();
                registeredEver |= constructor.Paths.Any(p => p.Fields.TryGetValue(field, out var state) && state.RegisteredEver);
                var first = verdicts.FindIndex(IsBad);
                if (first < 0)
                {
                    continue;
                }

                var chosen = verdicts[first];
                badVerdicts.UnionWith(verdicts.Where(IsBad));
                var somePath = verdicts.Any(v => v != chosen && v != Verdict.Null);
                failing.Add((constructor, constructor.Paths[first], chosen, somePath));
            }

            if (failing.Count == 0)
            {
                return null;
            }

            var reason = Reason(field, kind, result, failing, reportedIn);
            var moduleName = ModuleName(field, result);
            var fix = RegistrationFix.None;
            if (kind == SubmoduleFieldKind.Module && !field.IsStatic)
            {
                if (badVerdicts.All(v => v == Verdict.NoRegistration))
                {
                    fix = RegistrationFix.RegisterComponents;
                }
                else if (badVerdicts.All(v => v == Verdict.AssignedAfter) && !registeredEver && moduleName != null)
                {
                    fix = RegistrationFix.RegisterModule;
                }
            }
            else if (kind == SubmoduleFieldKind.List && !field.IsStatic)
            {
                fix = RegistrationFix.ModuleList;
            }

            var rootDependent = kind == SubmoduleFieldKind.Module && !field.IsStatic && badVerdicts.All(v => v == Verdict.NoRegistration);
            return new SubmoduleFinding(result.Type, reason, fix, moduleName, failing.Select(f => f.Constructor.Constructor).ToImmutableArray(), rootDependent);
        }

        private static bool IsBad(Verdict verdict)
            => verdict == Verdict.NoRegistration || verdict == Verdict.AssignedAfter || verdict == Verdict.Collection || verdict == Verdict.Static;

        private static Verdict VerdictOf(PathState path, IFieldSymbol field, SubmoduleFieldKind kind)
        {
            if (path.Opaque || !path.Fields.TryGetValue(field, out var state) || state.Unknown)
            {
                return Verdict.Unknown;
            }

            if (!state.NonNull)
            {
                return Verdict.Null;
            }

            if (state.Registered)
            {
                return Verdict.Registered;
            }

            if (kind != SubmoduleFieldKind.Module)
            {
                return field.IsStatic ? Verdict.Static : Verdict.Collection;
            }

            if (field.IsStatic)
            {
                return Verdict.Static;
            }

            return state.AssignedAfter != null ? Verdict.AssignedAfter : Verdict.NoRegistration;
        }

        private static string Reason(
            IFieldSymbol field,
            SubmoduleFieldKind kind,
            ConstructionResult result,
            List<(ConstructorPaths Constructor, PathState Path, Verdict Verdict, bool SomePath)> failing,
            SyntaxTree reportedIn)
        {
            var (constructor, path, verdict, somePath) = failing[0];
            var entries = result.Constructors.Length;
            var everyConstructor = failing.Count == entries;
            switch (verdict)
            {
                case Verdict.Static:
                    return "a static field is never registered; make it an instance field";
                case Verdict.Collection:
                    return CollectionReason(field.Type, kind);
                case Verdict.AssignedAfter:
                    var call = path.Fields[field].AssignedAfter!;
                    var text = "assigned after RegisterComponents() at " + SourceLines.LineText(call, reportedIn);
                    if (entries > 1 && !everyConstructor)
                    {
                        text += " in the constructor '" + Signature(constructor.Constructor) + "'";
                    }

                    return somePath ? text + " on some constructor path" : text;
                default:
                    if (entries == 1)
                    {
                        return somePath
                            ? "the constructor does not call RegisterComponents() on every path"
                            : "the constructor never calls RegisterComponents()";
                    }

                    if (everyConstructor && failing.All(f => f.Verdict == Verdict.NoRegistration && !f.SomePath))
                    {
                        return "no constructor calls RegisterComponents()";
                    }

                    var subject = "the constructor '" + Signature(constructor.Constructor) + "'";
                    return somePath
                        ? subject + " does not call RegisterComponents() on every path"
                        : subject + " never calls RegisterComponents()";
            }
        }

        private static string CollectionReason(ITypeSymbol type, SubmoduleFieldKind kind)
        {
            var element = kind == SubmoduleFieldKind.Array
                ? ((IArrayTypeSymbol)type).ElementType
                : type is INamedTypeSymbol named
                    ? (kind == SubmoduleFieldKind.Dictionary ? named.TypeArguments.Last() : named.TypeArguments.FirstOrDefault(a => a.TypeKind != TypeKind.Error) ?? named.TypeArguments.First())
                    : type;
            var elementText = element.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            var typeText = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            switch (kind)
            {
                case SubmoduleFieldKind.Array:
                    return "an array " + typeText + " is never registered; use ModuleList<" + elementText + ">";
                case SubmoduleFieldKind.Dictionary:
                    return "a " + typeText + " is never registered; use ModuleDict<" + elementText + ">";
                default:
                    return Article(typeText) + " " + typeText + " is never registered; use ModuleList<" + elementText + ">";
            }
        }

        private static string Article(string word)
            => word.Length > 0 && "AEIOU".IndexOf(word[0]) >= 0 ? "an" : "a";

        /// <summary>"Net(int, bool)".</summary>
        public static string Signature(IMethodSymbol constructor)
            => constructor.ContainingType.Name + "("
               + string.Join(", ", constructor.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)))
               + ")";

        /// <summary>
        /// The name for <c>register_module</c>: the field's (or property's) name without leading underscores or an
        /// <c>m_</c> prefix; null when it would be empty or is the name of another module field (RegisterComponents uses
        /// field names, and registering a name twice throws).
        /// </summary>
        private static string? ModuleName(IFieldSymbol field, ConstructionResult result)
        {
            var name = field.AssociatedSymbol?.Name ?? field.Name;
            if (name.StartsWith("m_", System.StringComparison.Ordinal))
            {
                name = name.Substring(2);
            }

            name = name.TrimStart('_');
            if (name.Length == 0)
            {
                return null;
            }

            var taken = result.Kinds.Keys.Any(f => !SymbolEqualityComparer.Default.Equals(f, field) && f.Name == name);
            return taken ? null : name;
        }
    }
}
