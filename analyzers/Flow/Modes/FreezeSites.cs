using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Finds where a body freezes or unfreezes parameters, before the flow runs (the graph lowers <c>foreach</c> into
    /// enumerator calls, which hides the loop's collection): <c>p.requires_grad = false</c> or
    /// <c>p.requires_grad_(false)</c> on the variable of a <c>foreach</c> over <c>m.parameters()</c>,
    /// <c>m.named_parameters()</c> (tuple or deconstructed), a LINQ-filtered sequence of them, a submodule's parameters,
    /// or the modules of <c>m.children()</c>/<c>m.modules()</c>; and a single parameter reached through a module
    /// (<c>m.fc.weight.requires_grad = false</c>). Each site says which module it changes and whether it reaches
    /// every parameter (an unconditional write over all of <c>m.parameters()</c>) or only some.
    /// </summary>
    internal static class FreezeSites
    {
        public static Dictionary<SyntaxNode, FreezeSite> Scan(IOperation root, TorchSymbols symbols)
        {
            var sites = new Dictionary<SyntaxNode, FreezeSite>();
            var loops = new List<IForEachLoopOperation>();
            var writes = false;
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (operation is IForEachLoopOperation loop)
                {
                    loops.Add(loop);
                }

                writes |= RequiresGradWrite(operation) != null;
            }

            // Most bodies never write requires_grad: nothing to find.
            if (!writes)
            {
                return sites;
            }

            var moduleLoopVariables = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
            foreach (var loop in loops)
            {
                ScanLoop(loop, symbols, sites, moduleLoopVariables);
            }

            // Single parameters reached through a module: m.fc.weight.requires_grad = false.
            foreach (var operation in root.DescendantsAndSelf())
            {
                if (!sites.ContainsKey(operation.Syntax) && RequiresGradWrite(operation) is (IOperation target, bool value)
                    && ModuleRoot(target, symbols, out _) is IOperation module && !(module is ILocalReferenceOperation local && moduleLoopVariables.ContainsKey(local.Local)))
                {
                    sites[operation.Syntax] = new FreezeSite(module, frozen: !value, all: false);
                }
            }

            return sites;
        }

        private static void ScanLoop(IForEachLoopOperation loop, TorchSymbols symbols, Dictionary<SyntaxNode, FreezeSite> sites, Dictionary<ILocalSymbol, IOperation> moduleLoopVariables)
        {
            var variables = LoopVariables(loop);
            if (Source(loop.Collection, symbols, moduleLoopVariables) is (IOperation module, bool all, bool yieldsModules))
            {
                if (yieldsModules)
                {
                    // foreach (var child in m.children()) foreach (var p in child.parameters()) …: changes some of m.
                    foreach (var variable in variables)
                    {
                        moduleLoopVariables[variable] = module;
                    }

                    return;
                }

                foreach (var inner in loop.Body.DescendantsAndSelf())
                {
                    if (RequiresGradWrite(inner) is (IOperation target, bool value) && RefersTo(target, variables))
                    {
                        if (all && IsUnconditional(inner, loop.Body) && loop.Collection.SkipConversions() is IInvocationOperation collection)
                        {
                            // Every parameter, unconditionally: the effect is the loop's, not one iteration's (the graph
                            // cannot know the loop runs at least once), so it applies where the collection is evaluated.
                            sites[collection.Syntax] = new FreezeSite(module, frozen: !value, all: true, origin: inner.Syntax);
                            sites[inner.Syntax] = FreezeSite.AlreadyApplied;
                        }
                        else
                        {
                            sites[inner.Syntax] = new FreezeSite(module, frozen: !value, all: false);
                        }
                    }
                }
            }
        }

        /// <summary>The module whose parameters the collection yields, whether it is all of them, and whether it yields modules instead.</summary>
        private static (IOperation Module, bool All, bool YieldsModules)? Source(IOperation collection, TorchSymbols symbols, Dictionary<ILocalSymbol, IOperation> moduleLoopVariables)
        {
            var all = true;
            var current = collection.SkipConversions();
            while (current is IInvocationOperation { TargetMethod.IsExtensionMethod: true } linq && linq.Arguments.Length > 0
                   && linq.TargetMethod.ContainingNamespace?.ToDisplayString() == "System.Linq")
            {
                all = false;
                current = linq.Arguments[0].Value.SkipConversions();
            }

            if (!(current is IInvocationOperation { Instance: { } receiver } call) || !symbols.IsModule(receiver.Type))
            {
                return null;
            }

            var yieldsModules = call.TargetMethod.Name is "children" or "named_children" or "modules" or "named_modules";
            if (!yieldsModules && call.TargetMethod.Name != TorchNames.Parameters && call.TargetMethod.Name != TorchNames.NamedParameters)
            {
                return null;
            }

            var root = ModuleRoot(receiver, symbols, out var isSubmodule, includeSelf: true);
            if (root is ILocalReferenceOperation local && moduleLoopVariables.TryGetValue(local.Local, out var outer))
            {
                return (outer, false, yieldsModules);
            }

            return root is null ? ((IOperation, bool, bool)?)null : (root, all && !isSubmodule && !yieldsModules, yieldsModules);
        }

        /// <summary>
        /// The tracked module a chain of member accesses starts from (<c>m</c> in <c>m.encoder.fc.weight</c>); with
        /// <paramref name="includeSelf"/>, the expression itself may be that module.
        /// </summary>
        private static IOperation? ModuleRoot(IOperation operation, TorchSymbols symbols, out bool throughMember, bool includeSelf = false)
        {
            throughMember = false;
            var current = operation.SkipConversions();
            if (!includeSelf)
            {
                if (!(current is IMemberReferenceOperation first) || first.Instance is null)
                {
                    return null;
                }

                current = first.Instance.SkipConversions();
                throughMember = true;
            }

            while (true)
            {
                if (IsStorage(current) && symbols.IsModule(current.Type))
                {
                    return current;
                }

                if (current is IMemberReferenceOperation { Instance: { } instance } && !(instance is IInstanceReferenceOperation))
                {
                    current = instance.SkipConversions();
                    throughMember = true;
                    continue;
                }

                return null;
            }
        }

        private static bool IsStorage(IOperation operation)
            => operation is ILocalReferenceOperation || operation is IParameterReferenceOperation
               || operation is IInstanceReferenceOperation
               || (operation is IFieldReferenceOperation field && (field.Instance is null || field.Instance is IInstanceReferenceOperation))
               || (operation is IPropertyReferenceOperation property && (property.Instance is null || property.Instance is IInstanceReferenceOperation));

        /// <summary>The tensor written and the value, for <c>t.requires_grad = bool</c> and <c>t.requires_grad_(bool)</c>.</summary>
        public static (IOperation Target, bool Value)? RequiresGradWrite(IOperation operation)
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: TorchNames.RequiresGrad, Instance: { } target } } assignment
                    when assignment.Value.ConstantValue is { HasValue: true, Value: bool value }:
                    return (target, value);
                case IInvocationOperation { TargetMethod.Name: TorchNames.RequiresGradSetter, Instance: { } target } invocation
                    when invocation.ConstantBoolArgument() is bool value:
                    return (target, value);
                default:
                    return null;
            }
        }

        private static List<ILocalSymbol> LoopVariables(IForEachLoopOperation loop)
            => loop.LoopControlVariable.DescendantsAndSelf()
                .Select(o => o switch
                {
                    IVariableDeclaratorOperation declarator => declarator.Symbol,
                    ILocalReferenceOperation { IsDeclaration: true } local => local.Local,
                    _ => null,
                })
                .Where(l => l != null)
                .Select(l => l!)
                .ToList();

        /// <summary>The loop variable itself, or a tuple element of it (<c>np.parameter</c>, <c>np.Item2</c>).</summary>
        private static bool RefersTo(IOperation target, List<ILocalSymbol> variables)
        {
            var current = target.SkipConversions();
            if (current is IFieldReferenceOperation { Instance: { } tuple } && tuple.Type?.IsTupleType == true)
            {
                current = tuple.SkipConversions();
            }

            return current is ILocalReferenceOperation local && variables.Contains(local.Local, SymbolEqualityComparer.Default);
        }

        /// <summary>Whether nothing between <paramref name="operation"/> and the loop body makes it conditional.</summary>
        private static bool IsUnconditional(IOperation operation, IOperation body)
        {
            for (var current = operation.Parent; current != null && current != body; current = current.Parent)
            {
                if (current is IConditionalOperation || current is ISwitchOperation || current is ILoopOperation
                    || current is ITryOperation || current is ICoalesceOperation || current is IConditionalAccessOperation)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>One freeze or unfreeze: the module it changes (an operation of the original tree) and how much of it.</summary>
    internal sealed class FreezeSite
    {
        public FreezeSite(IOperation? module, bool frozen, bool all, SyntaxNode? origin = null)
        {
            Module = module;
            Frozen = frozen;
            All = all;
            Origin = origin;
        }

        /// <summary>The write messages point at, when it is not where the effect applies (a whole-loop freeze).</summary>
        public SyntaxNode? Origin { get; }

        /// <summary>A write whose effect was applied for the whole loop already.</summary>
        public static FreezeSite AlreadyApplied { get; } = new FreezeSite(null, frozen: false, all: false);

        /// <summary>The module changed; null for <see cref="AlreadyApplied"/>.</summary>
        public IOperation? Module { get; }

        public bool Frozen { get; }

        public bool All { get; }
    }
}
