using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Flow.Modes;
using TorchSharp.Analyzers.Symbols;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// Whether a forward pass records a graph (TORCH002's page, "Only where a graph is recorded"): it does when the
    /// module holds a layer with parameters (or may), or when an input may require grad. An input provably does not
    /// when it is built, in this body, only from tensors that do not: a TorchSharp function or tensor method called
    /// without <c>requires_grad: true</c> on such tensors and on plain values (<c>torch.randn(..)</c>,
    /// <c>torch.tensor(data)</c>, <c>x.reshape(..)</c>, <c>x * 2</c>), <c>detach()</c> of anything, the output of a
    /// parameter-free module on such inputs, or a local whose every assignment in the member is one of these and whose
    /// <c>requires_grad</c> is never set. Parameters, fields, properties (a module's <c>weight</c>) and anything else may.
    /// </summary>
    internal static class ForwardInputs
    {
        private const int MaxDepth = 16;

        /// <summary>Whether the forward pass of <paramref name="site"/> may record a graph.</summary>
        public static bool MayRecordGraph(OperationBlockAnalysisContext context, ForwardPassContext site, ModeFlowEngine engine)
        {
            var composition = site.Pass.Creation != null
                ? engine.Composition.ParametersOfCreation(site.Pass.Creation)
                : engine.Composition.ParametersOf(site.Pass.Invocation.Instance?.Type);
            if (composition != ParameterComposition.None)
            {
                return true;
            }

            // The flow graph's operations are copies: read the inputs in the member's own operation tree.
            var syntax = site.Pass.Invocation.Syntax;
            var invocation = context.OperationBlocks
                .Where(b => b.Syntax.SyntaxTree == syntax.SyntaxTree && b.Syntax.Span.Contains(syntax.Span))
                .SelectMany(b => b.DescendantsAndSelf())
                .OfType<IInvocationOperation>()
                .FirstOrDefault(o => o.Syntax == syntax);
            if (invocation is null)
            {
                return true;
            }

            var walk = new Walk(engine, invocation.Root());
            return invocation.Arguments.Any(a => walk.MayRequireGrad(a.Value, 0));
        }

        private sealed class Walk
        {
            private readonly ModeFlowEngine _engine;
            private readonly IOperation _root;
            private readonly HashSet<ILocalSymbol> _visiting = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            private List<IOperation>? _operations;

            public Walk(ModeFlowEngine engine, IOperation root)
            {
                _engine = engine;
                _root = root;
            }

            private TorchSymbols Symbols => _engine.Symbols;

            public bool MayRequireGrad(IOperation? value, int depth)
            {
                if (value is null || depth > MaxDepth)
                {
                    return true;
                }

                value = value.SkipConversions();
                if (value.ConstantValue.HasValue || !MayHoldTensor(value.Type))
                {
                    return false;
                }

                switch (value)
                {
                    case IInvocationOperation invocation:
                        return CallMayRequireGrad(invocation, depth);
                    case IBinaryOperation binary:
                        return MayRequireGrad(binary.LeftOperand, depth + 1) || MayRequireGrad(binary.RightOperand, depth + 1);
                    case IUnaryOperation unary:
                        return MayRequireGrad(unary.Operand, depth + 1);
                    case IConditionalOperation conditional:
                        return MayRequireGrad(conditional.WhenTrue, depth + 1) || MayRequireGrad(conditional.WhenFalse, depth + 1);
                    case ICoalesceOperation coalesce:
                        return MayRequireGrad(coalesce.Value, depth + 1) || MayRequireGrad(coalesce.WhenNull, depth + 1);
                    case ITupleOperation tuple:
                        return tuple.Elements.Any(e => MayRequireGrad(e, depth + 1));
                    case IArrayCreationOperation array:
                        return array.Initializer is null || array.Initializer.ElementValues.Any(e => MayRequireGrad(e, depth + 1));
                    case IPropertyReferenceOperation property:
                        // A view or indexer of a plain tensor (x.T, x[0]); its gradient and anything else may.
                        return !(property.Instance != null && IsTensor(property.Instance.Type) && Symbols.IsTorchSharp(property.Property)
                                 && property.Property.Name != "grad" && !MayRequireGrad(property.Instance, depth + 1)
                                 && property.Arguments.All(a => !MayRequireGrad(a.Value, depth + 1)));
                    case ILocalReferenceOperation local:
                        return LocalMayRequireGrad(local.Local, depth);
                    default:
                        return true;
                }
            }

            private bool CallMayRequireGrad(IInvocationOperation invocation, int depth)
            {
                var method = invocation.TargetMethod;
                if (!Symbols.IsTorchSharp(method))
                {
                    return true;
                }

                if (Symbols.Classify(method) == TorchCallKind.Forward)
                {
                    return invocation.Instance is null
                           || _engine.Composition.ParametersOf(invocation.Instance.Type) != ParameterComposition.None
                           || invocation.Arguments.Any(a => MayRequireGrad(a.Value, depth + 1));
                }

                switch (method.Name)
                {
                    case "detach":
                        return false;
                    case TorchNames.RequiresGradSetter:
                    case "with_requires_grad":
                    case "set_requires_grad":
                        return true;
                }

                // A tensor method or a function of TorchSharp: its output requires grad only when an input does, or when
                // it is asked to (requires_grad: true on a factory).
                if (invocation.Instance != null && (!IsTensor(invocation.Instance.Type) || MayRequireGrad(invocation.Instance, depth + 1)))
                {
                    return true;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Name == TorchNames.RequiresGrad)
                    {
                        if (!(argument.Value.ConstantValue is { HasValue: true, Value: false }))
                        {
                            return true;
                        }

                        continue;
                    }

                    if (Symbols.IsModule(argument.Value.Type) || MayRequireGrad(argument.Value, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            private bool LocalMayRequireGrad(ILocalSymbol local, int depth)
            {
                // A local being read while its own writes are examined (x = x * 2 in a loop): its other writes decide.
                if (!_visiting.Add(local))
                {
                    return false;
                }

                try
                {
                    var written = false;
                    foreach (var operation in Operations())
                    {
                        switch (operation)
                        {
                            case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                                var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                                if (initializer != null)
                                {
                                    written = true;
                                    if (MayRequireGrad(initializer, depth + 1))
                                    {
                                        return true;
                                    }
                                }

                                break;
                            case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                                if (reference.IsDeclaration || IsUnknownWrite(reference) || SetsRequiresGrad(reference))
                                {
                                    return true;
                                }

                                if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference)
                                {
                                    written = true;
                                    if (MayRequireGrad(assignment.Value, depth + 1))
                                    {
                                        return true;
                                    }
                                }

                                break;
                        }
                    }

                    // A local never written here (a foreach variable, an out argument) is not known.
                    return !written;
                }
                finally
                {
                    _visiting.Remove(local);
                }
            }

            // Written by ref/out, a deconstruction, a foreach or a using/pattern declaration: not followed.
            private static bool IsUnknownWrite(ILocalReferenceOperation reference)
                => reference.Parent is IArgumentOperation { Parameter: { RefKind: RefKind.Ref } or { RefKind: RefKind.Out } }
                   || reference.Parent is IForEachLoopOperation
                   || reference.Parent is ITupleOperation { Parent: IDeconstructionAssignmentOperation }
                   || reference.Parent is IDeconstructionAssignmentOperation;

            // x.requires_grad = …, x.requires_grad_(..), x.with_requires_grad(..).
            private static bool SetsRequiresGrad(ILocalReferenceOperation reference)
                => reference.Parent switch
                {
                    IPropertyReferenceOperation { Property: { Name: TorchNames.RequiresGrad } } property => property.Parent is IAssignmentOperation assignment && assignment.Target == property,
                    IInvocationOperation { TargetMethod: { Name: TorchNames.RequiresGradSetter } or { Name: "with_requires_grad" } or { Name: "set_requires_grad" } } call => call.Instance == reference,
                    _ => false,
                };

            private List<IOperation> Operations() => _operations ??= _root.DescendantsAndSelf().ToList();

            // Primitives, strings, enums and TorchSharp's other value types (Device, ScalarType, Scalar) carry no graph;
            // tensors, collections and tuples of them, and any other class (it may hold tensors) may.
            private bool MayHoldTensor(ITypeSymbol? type)
                => type switch
                {
                    null => true,
                    IArrayTypeSymbol array => MayHoldTensor(array.ElementType),
                    INamedTypeSymbol { IsGenericType: true } generic when Symbols.IsTorchSharp(generic) || generic.ContainingNamespace?.ToDisplayString().StartsWith("System", System.StringComparison.Ordinal) == true
                        => generic.TypeArguments.Any(MayHoldTensor),
                    _ => IsTensor(type) || Symbols.IsModule(type)
                         || !(type.SpecialType != SpecialType.None && type.SpecialType != SpecialType.System_Object
                              || type.TypeKind == TypeKind.Enum
                              || Symbols.IsTorchSharp(type)),
                };

            private bool IsTensor(ITypeSymbol? type)
            {
                for (var current = type; current != null; current = current.BaseType)
                {
                    if (current.Name == "Tensor" && SymbolEqualityComparer.Default.Equals(current.ContainingType, Symbols.Torch))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
