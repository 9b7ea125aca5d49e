using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// Whether a forward pass's output ends the graph (TORCH002's page, "An output that ends the graph"): followed
    /// forwards through grad-preserving TorchSharp tensor operations (<c>softmax</c>, <c>reshape</c>, indexing,
    /// arithmetic, <c>cpu()</c> …) and through locals (every read of a local it is assigned to), every use ends in an
    /// operation whose result has no grad_fn — <c>detach()</c>, <c>item()</c>, <c>argmax</c>/<c>argmin</c>,
    /// <c>max(..).indexes</c>, comparisons, <c>data&lt;T&gt;()</c>, <c>multinomial</c>, integer and bool casts — or in
    /// a read that carries no graph (<c>shape</c>, <c>Dispose()</c>). Anything else (returned, stored, handed to code
    /// that is not TorchSharp's, captured by a lambda, <c>ref</c>/<c>out</c>, <c>backward()</c>, <c>max(..).values</c>)
    /// is not proved. The mirror of <see cref="ForwardInputs"/>, which walks a pass's inputs backwards; like it, this
    /// reads the member's own operation tree (the flow graph's operations are copies).
    /// </summary>
    internal sealed class ForwardOutputs
    {
        /// <summary>The .editorconfig key that turns the signal off (docs/rules/TORCH002.md, "Options").</summary>
        public const string EnabledKey = "inference_output_heuristic";

        private const int MaxDepth = 24;

        private readonly TorchSymbols _symbols;
        private readonly Dictionary<SyntaxNode, string?> _consumers = new Dictionary<SyntaxNode, string?>();

        public ForwardOutputs(TorchSymbols symbols) => _symbols = symbols;

        /// <summary>Whether the signal is on for the file of <paramref name="tree"/> (on unless configured off).</summary>
        public static bool IsEnabled(Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options, SyntaxTree tree)
            => Options.EditorConfigOptions.GetBool(options, tree, EnabledKey, defaultValue: true);

        /// <summary>Whether the pass written as <paramref name="pass"/> was judged already, and what was found.</summary>
        public bool Known(SyntaxNode pass, out string? consumer) => _consumers.TryGetValue(pass, out consumer);

        /// <summary>
        /// The first operation that ends the graph of <paramref name="pass"/>'s output (for the message: <c>argmax()</c>),
        /// when every use of the output ends it and at least one such operation reads it; null when that is not proved.
        /// <paramref name="pass"/> must be an operation of the member's own tree.
        /// </summary>
        public string? GraphEndingConsumer(IInvocationOperation pass)
        {
            if (_consumers.TryGetValue(pass.Syntax, out var known))
            {
                return known;
            }

            var walk = new Walk(_symbols, pass);
            var consumer = walk.Ends(pass, 0) ? walk.Consumer : null;
            _consumers[pass.Syntax] = consumer;
            return consumer;
        }

        private sealed class Walk
        {
            // Measured with TorchSharp 0.107.0 on CPU: their results never require grad (docs/rules/TORCH002.md).
            private static readonly HashSet<string> GraphEndingMethods = new HashSet<string>
            {
                "detach", "argmax", "argmin", "multinomial", "data", "item",
                "eq", "ne", "gt", "lt", "ge", "le", "greater", "less", "greater_equal", "less_equal", "not_equal",
                "long", "int", "bool", "byte", "short", "char",
            };

            // The (values, indexes) pairs whose indexes were measured; their values are differentiable.
            private static readonly HashSet<string> ValuesAndIndexes = new HashSet<string> { "max", "min", "topk", "sort" };

            private readonly TorchSymbols _symbols;
            private readonly IOperation _root;
            private readonly IOperation? _function;
            private readonly HashSet<ILocalSymbol> _locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

            public Walk(TorchSymbols symbols, IOperation pass)
            {
                _symbols = symbols;
                _root = pass.Root();
                _function = pass.EnclosingFunction();
            }

            /// <summary>The first graph-ending operation met, as the message names it.</summary>
            public string? Consumer { get; private set; }

            /// <summary>Whether every use of <paramref name="value"/> ends the graph or carries none.</summary>
            public bool Ends(IOperation value, int depth)
            {
                if (depth > MaxDepth)
                {
                    return false;
                }

                var parent = value.Parent;
                while (parent is IConversionOperation conversion)
                {
                    // A conversion of the user's own (an implicit operator) may keep the tensor anywhere.
                    if (conversion.OperatorMethod != null && !_symbols.IsTorchSharp(conversion.OperatorMethod))
                    {
                        return false;
                    }

                    value = conversion;
                    parent = conversion.Parent;
                }

                switch (parent)
                {
                    case IInvocationOperation call when call.Instance == value:
                        return CallOnValueEnds(call, depth);
                    case IArgumentOperation argument:
                        return ArgumentEnds(argument, depth);
                    case IBinaryOperation binary:
                        return BinaryEnds(binary, depth);
                    case IUnaryOperation unary:
                        return Ends(unary, depth + 1);
                    case IPropertyReferenceOperation property when property.Instance == value:
                        return PropertyEnds(property, depth);
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return LocalEnds(declarator.Symbol, depth);
                    case ISimpleAssignmentOperation assignment when assignment.Value == value && assignment.Target is ILocalReferenceOperation target:
                        return LocalEnds(target.Local, depth) && Ends(assignment, depth + 1);
                    case ICompoundAssignmentOperation compound when compound.Value == value && compound.Target is ILocalReferenceOperation target:
                        return LocalEnds(target.Local, depth) && Ends(compound, depth + 1);
                    case IExpressionStatementOperation _:
                        // Discarded: nothing reads it.
                        return true;
                    case IConditionalOperation conditional when conditional.Condition != value:
                        return Ends(conditional, depth + 1);
                    case ICoalesceOperation coalesce:
                        return Ends(coalesce, depth + 1);
                    case IConditionalAccessOperation access when access.Operation == value:
                        // output?.Dispose(): the tensor is read where the access's instance stands.
                        return AccessedInstance(access.WhenNotNull, access) is { } instance && Ends(instance, depth + 1) && Ends(access, depth + 1);
                    case ICompoundAssignmentOperation compound when compound.Target == value:
                        // output += other: the sum stays in the local, whose reads are followed, and is the expression's value.
                        return (compound.OperatorMethod is null || _symbols.IsTorchSharp(compound.OperatorMethod)) && Ends(compound, depth + 1);
                    default:
                        // Returned, stored in a field, property, array or collection, captured, yielded, awaited, thrown …
                        return false;
                }
            }

            // The instance placeholder of this access, not of one nested in it (a?.b?.c).
            private static IOperation? AccessedInstance(IOperation operation, IConditionalAccessOperation access)
            {
                if (operation is IConditionalAccessInstanceOperation)
                {
                    return operation;
                }

                foreach (var child in operation.ChildOperations)
                {
                    if (child is IConditionalAccessOperation nested && nested != access)
                    {
                        // Its own Operation may hold ours; its WhenNotNull holds its own placeholder.
                        return AccessedInstance(nested.Operation, access);
                    }

                    if (AccessedInstance(child, access) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            }

            private bool CallOnValueEnds(IInvocationOperation call, int depth)
            {
                var method = call.TargetMethod;
                if (!_symbols.IsTorchSharp(method) || _symbols.Classify(method) == TorchCallKind.Backward)
                {
                    return false;
                }

                if (GraphEndingMethods.Contains(method.Name) || IsIntegerCast(call))
                {
                    return Ended(Named(call));
                }

                if (method.Name == "Dispose" || method.Name == "DisposeAsync")
                {
                    return true;
                }

                return ResultEnds(call, method, depth);
            }

            private bool ArgumentEnds(IArgumentOperation argument, int depth)
            {
                if (argument.Parameter is { RefKind: not RefKind.None and not RefKind.In })
                {
                    return false;
                }

                switch (argument.Parent)
                {
                    case IInvocationOperation call:
                        var method = call.TargetMethod;
                        if (_symbols.Classify(method) == TorchCallKind.Forward)
                        {
                            // Another TorchSharp module (a loss, a layer) on the output: its result carries the graph. A
                            // module of the user's, or a container of any modules, may keep its input anywhere.
                            return IsBuiltInLeafModule(call.Instance?.Type) && Ends(call, depth + 1);
                        }

                        if (!_symbols.IsTorchSharp(method) || method.Name.EndsWith("_", System.StringComparison.Ordinal) || HasOutArgument(call))
                        {
                            // Not TorchSharp's, or it writes the output's graph into another tensor (copy_, add_, out:).
                            return false;
                        }

                        if (GraphEndingMethods.Contains(method.Name) || IsIntegerCast(call))
                        {
                            return Ended(Named(call));
                        }

                        return ResultEnds(call, method, depth);
                    case IPropertyReferenceOperation indexer when _symbols.IsTorchSharp(indexer.Property):
                        // other[output]: an index; the result is followed all the same.
                        return !IsWritten(indexer) && Ends(indexer, depth + 1);
                    default:
                        return false;
                }
            }

            // What a TorchSharp call returns: a tensor is followed, a (values, indexes) pair by its elements, a plain
            // value (item's float, numel's long, ToString's string) carries no graph.
            private bool ResultEnds(IInvocationOperation call, IMethodSymbol method, int depth)
            {
                var type = method.ReturnType;
                if (IsTensor(type))
                {
                    return Ends(call, depth + 1);
                }

                if (type is INamedTypeSymbol { IsTupleType: true })
                {
                    return ValuesAndIndexes.Contains(method.Name) && TupleEnds(call, method.Name, depth);
                }

                if (IsPlainValue(type))
                {
                    return Ended(method.Name + "()");
                }

                return false;
            }

            // max(1).indexes ends the graph; max(1).values is differentiable (measured) and is followed.
            private bool TupleEnds(IInvocationOperation call, string name, int depth)
            {
                var value = (IOperation)call;
                var parent = call.Parent;
                while (parent is IConversionOperation { OperatorMethod: null } conversion)
                {
                    value = conversion;
                    parent = conversion.Parent;
                }

                switch (parent)
                {
                    case IFieldReferenceOperation field when field.Instance == value:
                        return IsIndexes(field.Field)
                            ? Ended(name + "(..)." + field.Field.Name)
                            : Ends(field, depth + 1);
                    case IDeconstructionAssignmentOperation deconstruction when deconstruction.Value == value:
                        return DeconstructionEnds(deconstruction, depth, name);
                    default:
                        return false;
                }
            }

            private bool DeconstructionEnds(IDeconstructionAssignmentOperation deconstruction, int depth, string pairName)
            {
                var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
                if (!(target is ITupleOperation { Elements: { Length: 2 } elements }))
                {
                    return false;
                }

                // (values, indexes): the first is followed, the second ends the graph.
                if (!(elements[0] is IDiscardOperation || (elements[0] is ILocalReferenceOperation values && LocalEnds(values.Local, depth))))
                {
                    return false;
                }

                return elements[1] is IDiscardOperation || elements[1] is ILocalReferenceOperation
                    ? Ended(pairName + "(..).indexes")
                    : false;
            }

            private bool BinaryEnds(IBinaryOperation binary, int depth)
            {
                if (binary.OperatorMethod is null || !_symbols.IsTorchSharp(binary.OperatorMethod))
                {
                    return false;
                }

                switch (binary.OperatorKind)
                {
                    case BinaryOperatorKind.Equals:
                    case BinaryOperatorKind.NotEquals:
                    case BinaryOperatorKind.LessThan:
                    case BinaryOperatorKind.LessThanOrEqual:
                    case BinaryOperatorKind.GreaterThan:
                    case BinaryOperatorKind.GreaterThanOrEqual:
                        return IsTensor(binary.Type) ? Ended("a comparison") : false;
                    default:
                        return IsTensor(binary.Type) && Ends(binary, depth + 1);
                }
            }

            private bool PropertyEnds(IPropertyReferenceOperation property, int depth)
            {
                if (!_symbols.IsTorchSharp(property.Property))
                {
                    return false;
                }

                // output[i] = v writes into the output: its graph stays where the output's reads are followed.
                if (IsWritten(property))
                {
                    return true;
                }

                if (IsTensor(property.Type))
                {
                    // A view or element (output[0], output.T); its gradient is no reader of the graph.
                    return property.Property.Name != "grad" && Ends(property, depth + 1);
                }

                // shape, dtype, device, requires_grad: no graph in them.
                return IsPlainValue(property.Type) || property.Type is IArrayTypeSymbol { ElementType: { SpecialType: SpecialType.System_Int64 } };
            }

            private bool LocalEnds(ILocalSymbol local, int depth)
            {
                if (local.IsRef)
                {
                    return false;
                }

                // A local being followed already (x = x.softmax(1) in a loop): its reads are being checked.
                if (!_locals.Add(local))
                {
                    return true;
                }

                return EveryRead(_root, local, depth);
            }

            // Recursion over ChildOperations that stops at the first read that is not proved.
            private bool EveryRead(IOperation operation, ILocalSymbol local, int depth)
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && !IsDeconstructionTarget(reference))
                {
                    if (reference.IsDeclaration || reference.EnclosingFunction() != _function)
                    {
                        // Declared by out var or a pattern, or read by a lambda or local function that runs anywhere.
                        return false;
                    }

                    if (!(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference) && !Ends(reference, depth + 1))
                    {
                        return false;
                    }
                }

                foreach (var child in operation.ChildOperations)
                {
                    if (!EveryRead(child, local, depth))
                    {
                        return false;
                    }
                }

                return true;
            }

            private bool Ended(string consumer)
            {
                Consumer ??= consumer;
                return true;
            }

            // argmax(), item(); a cast with its type: to(ScalarType.Byte).
            private static string Named(IInvocationOperation call)
            {
                if (IsIntegerCast(call))
                {
                    foreach (var argument in call.Arguments)
                    {
                        if (argument.Value.Type is { TypeKind: TypeKind.Enum, Name: "ScalarType" } && argument.Value.Syntax is { } syntax)
                        {
                            return call.TargetMethod.Name + "(" + syntax + ")";
                        }
                    }
                }

                return call.TargetMethod.Name + "()";
            }

            // to_type(ScalarType.Int64), to(ScalarType.Bool), type(..): an integer or bool tensor has no gradient (measured).
            private static bool IsIntegerCast(IInvocationOperation call)
            {
                if (!(call.TargetMethod.Name is "to_type" or "to" or "type"))
                {
                    return false;
                }

                foreach (var argument in call.Arguments)
                {
                    if (argument.Value.Type is { TypeKind: TypeKind.Enum, Name: "ScalarType" } && argument.Value.ConstantValue is { HasValue: true, Value: var scalar })
                    {
                        // TorchSharp's ScalarType: Byte 0, Int8 1, Int16 2, Int32 3, Int64 4, Bool 11.
                        return System.Convert.ToInt32(scalar, System.Globalization.CultureInfo.InvariantCulture) is 0 or 1 or 2 or 3 or 4 or 11;
                    }
                }

                return false;
            }

            private static bool HasOutArgument(IInvocationOperation call)
            {
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter?.Name == "out" && argument.ArgumentKind == ArgumentKind.Explicit)
                    {
                        return true;
                    }
                }

                return false;
            }

            // var (values, indexes) = …: a write, whose value DeconstructionEnds has judged (or, for another value, whose
            // reads are checked all the same).
            private static bool IsDeconstructionTarget(ILocalReferenceOperation reference)
                => reference.Parent is ITupleOperation tuple
                   && (tuple.Parent is IDeconstructionAssignmentOperation || tuple.Parent is IDeclarationExpressionOperation { Parent: IDeconstructionAssignmentOperation });

            private static bool IsWritten(IOperation target)
                => target.Parent is IAssignmentOperation assignment && assignment.Target == target;

            private static bool IsIndexes(IFieldSymbol field)
                => field.Name is "indexes" or "Indices" or "indices" or "Item2";

            private static bool IsPlainValue(ITypeSymbol? type)
                => type != null && type.TypeKind != TypeKind.Error
                   && (type.TypeKind == TypeKind.Enum
                       || (type.SpecialType != SpecialType.None && type.SpecialType != SpecialType.System_Object && type.SpecialType != SpecialType.System_Void));

            // A concrete layer or loss of TorchSharp's: not the user's, not an abstract Module<T, TResult>, not a container.
            private bool IsBuiltInLeafModule(ITypeSymbol? type)
                => type is INamedTypeSymbol { IsAbstract: false } named && _symbols.IsTorchSharp(named) && _symbols.IsModule(named)
                   && !(named.Name is "Sequential" or "ModuleList" or "ModuleDict");

            private bool IsTensor(ITypeSymbol? type)
            {
                for (var current = type; current != null; current = current.BaseType)
                {
                    if (current.Name == "Tensor" && SymbolEqualityComparer.Default.Equals(current.ContainingType, _symbols.Torch))
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
