using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The engine's questions about module fields and properties of <c>this</c>: the mode they enter a method in (the
    /// one the constructors and initializers leave when no other method changes it), and an eval() elsewhere in the
    /// class. One per engine; thread-safe.
    /// </summary>
    internal sealed class FieldEntries
    {
        private readonly bool _exhaustive;
        private readonly TorchSymbols _symbols;
        private readonly CalleeBodies _bodies;
        private readonly Func<ModeFact, int, ModeFact> _resolveEntry;
        private readonly ConcurrentDictionary<IFieldOrPropertyKey, ModeFact> _fieldEntries = new ConcurrentDictionary<IFieldOrPropertyKey, ModeFact>();

        /// <param name="resolveEntry">The engine's resolution of a mode a constructor leaves as on entry: a constructor's parameter, or another field.</param>
        public FieldEntries(bool exhaustive, TorchSymbols symbols, CalleeBodies bodies, Func<ModeFact, int, ModeFact> resolveEntry)
        {
            _exhaustive = exhaustive;
            _symbols = symbols;
            _bodies = bodies;
            _resolveEntry = resolveEntry;
        }

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
                    if (!(_bodies.ModelOf(syntax.SyntaxTree) is { } model))
                    {
                        continue;
                    }

                    foreach (var invocation in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
                    {
                        if (!(invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } access) || (name != TorchNames.Eval && name != TorchNames.Train)
                            || !(model.GetOperation(invocation) is IInvocationOperation operation) || operation.Instance is null
                            || !(operation.Instance.SkipConversions() is IMemberReferenceOperation target) || !SymbolEqualityComparer.Default.Equals(target.Member, member))
                        {
                            continue;
                        }

                        var kind = _symbols.Classify(operation.TargetMethod);
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

        /// <summary>
        /// The mode <paramref name="member"/> enters every method of its class in: the join of what its constructors and
        /// initializer leave; Unknown when another method could change it.
        /// </summary>
        // Cached per depth, as bodies are: the answer must not depend on which question reached it first, and a field
        // whose constructor argument leads back to the same field ends at ModeFlowEngine.MaxDepth instead of recursing forever.
        public ModeFact EntryOf(ISymbol member, int depth)
            => depth >= ModeFlowEngine.MaxDepth
                ? ModeFact.Unknown
                : _fieldEntries.GetOrAdd(new IFieldOrPropertyKey(member, depth), key => ComputeFieldEntry(member, key.Depth));

        private ModeFact ComputeFieldEntry(ISymbol member, int depth)
        {
            var type = member.ContainingType;
            if (type is null || member.IsStatic || !type.IsInSource(_symbols.Compilation))
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

                if (_exhaustive)
                {
                    mentioning.Add(candidate);
                }
                else if (MemberMention.Of(candidate, member.Name) is { } mention)
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

            // Every constructor runs after the field initializers (a this(..) chain runs them once, in the chained one):
            // the initializer's mode is where each constructor starts, and what it leaves when it does not touch the field.
            var initializer = InitializerMode(member);
            ModeFact? joined = null;
            foreach (var constructor in constructors)
            {
                if (constructor.IsImplicitlyDeclared)
                {
                    joined = Join(joined, initializer ?? ModeFact.Unknown);
                    continue;
                }

                // The predictor's idiom (assign the module, end with model.eval()) is read from the structure, as the
                // flow would find it; other constructors get their flow.
                if (!_exhaustive && constructor.DeclaringSyntaxReferences.Length == 1
                    && _bodies.ModelOf(constructor.DeclaringSyntaxReferences[0].SyntaxTree) is { } constructorModel
                    && ConstructorExitProof.EvalAtExit(constructor, member, constructorModel, _symbols) is { } eval)
                {
                    var evaluated = ModeFact.Eval(eval);
                    joined = joined is null ? evaluated : joined.Value.Join(evaluated);
                    continue;
                }

                if (!(_bodies.BodyOf(constructor, depth + 1) is { } result))
                {
                    return ModeFact.Unknown;
                }

                if (result.Exit is null)
                {
                    continue;
                }

                var storage = Storage.Of(member);
                ModeFact atExit;
                // The field's value at the end: one the constructor stored, or the one it held on entry (the initializer's),
                // whose mode the constructor may have changed (`public C() => _model.eval();`).
                if ((result.Exit.Modules.Values.TryGetValue(storage, out var id) || (!result.Exit.Modules.Values.ContainsKey(storage) && result.EntryValues.TryGetValue(member, out id)))
                    && result.Exit.Modules.Modes.TryGetValue(id, out var mode))
                {
                    atExit = mode.EntrySymbol != null && SymbolEqualityComparer.Default.Equals(mode.EntrySymbol, member)
                        ? (initializer ?? ModeFact.Unknown)
                        : _resolveEntry(mode, depth + 1);
                }
                else
                {
                    // This constructor does not assign it (a chained constructor or the initializer does).
                    if (HasChainedConstructor(constructor))
                    {
                        continue;
                    }

                    if (initializer is null)
                    {
                        return ModeFact.Unknown;
                    }

                    joined = Join(joined, initializer.Value);
                    continue;
                }

                joined = joined is null ? atExit : joined.Value.Join(atExit);
            }

            return joined ?? ModeFact.Unknown;
        }

        private static ModeFact Join(ModeFact? joined, ModeFact mode) => joined is null ? mode : joined.Value.Join(mode);

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

                var operation = _bodies.ModelOf(initializer.SyntaxTree)?.GetOperation(initializer)?.SkipConversions();
                var creates = operation is IObjectCreationOperation
                              || (operation is IInvocationOperation invocation && _symbols.Classify(invocation.TargetMethod) == TorchCallKind.ModuleFactory);
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
                            || (!_symbols.IsTorchSharp(method) && _symbols.Classify(method) != TorchCallKind.Forward))
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
                if (!(_bodies.ModelOf(syntax.SyntaxTree)?.GetOperation(syntax) is { } body))
                {
                    continue;
                }

                foreach (var memberReference in body.Descendants().OfType<IMemberReferenceOperation>())
                {
                    if (!(memberReference.Instance is null || memberReference.Instance is IInstanceReferenceOperation) || !_symbols.IsModule(memberReference.Type))
                    {
                        continue;
                    }

                    var consumer = memberReference.ConsumerOf(out var consumed);
                    switch (consumer)
                    {
                        case IInvocationOperation invocation when invocation.Instance == consumed:
                            var kind = _symbols.Classify(invocation.TargetMethod);
                            if (kind == TorchCallKind.Eval || kind == TorchCallKind.Train
                                || (kind != TorchCallKind.Forward && !_symbols.IsTorchSharp(invocation.TargetMethod)))
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
    }
}
