using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// Proofs, read from the structure of a body without building its control-flow graph, of what the mode flow would
    /// find at a forward pass in the common idioms — <c>model.eval();</c> (or <c>model.train();</c>) as a statement of an
    /// enclosing block before the pass with nothing in between that could change a module's mode, and the pass inside
    /// <c>using (torch.no_grad())</c> (or after <c>using var _ = torch.no_grad();</c>) with no grad switch in between.
    /// A proof never claims more than the flow finds; when one fails the flow runs and decides. Passes in lambdas and
    /// local functions, and bodies with <c>goto</c>, are left to the flow.
    /// </summary>
    internal static class SilenceProofs
    {
        /// <summary>
        /// Whether the module of <paramref name="pass"/> is in eval mode (<paramref name="train"/> false) or training mode
        /// (true) on every path to it: an unconditional <c>eval()</c>/<c>train(..)</c> statement on the same storage
        /// precedes it in an enclosing block, and nothing between them could change a module's mode.
        /// </summary>
        public static bool ModeIsSet(IInvocationOperation pass, bool train, TorchSymbols symbols, CallSyntaxIndex syntax)
        {
            if (pass.Instance is null || !(Storage.Referenced(pass.Instance.SkipConversions()) is Storage module) || pass.EnclosingFunction() != null)
            {
                return false;
            }

            return FindPreceding(pass, statement => SetsMode(statement, module, train, symbols), operation => MayChangeMode(operation, module, train, symbols, syntax));
        }

        /// <summary>
        /// Whether nothing in the whole body could take the module of <paramref name="pass"/> out of eval mode (or
        /// training mode, for <paramref name="train"/>) or replace it: the module then enters the pass in the mode it
        /// entered the body with, possibly switched to the wanted one. <paramref name="entered"/> is the parameter, field
        /// or property whose entry mode that is.
        /// </summary>
        public static bool NothingChangesMode(IInvocationOperation pass, bool train, TorchSymbols symbols, CallSyntaxIndex syntax, out ISymbol? entered)
        {
            entered = null;
            if (pass.Instance is null || !(Storage.Referenced(pass.Instance.SkipConversions()) is Storage module)
                || module.IsThis || !module.HasEntryValue || pass.EnclosingFunction() != null)
            {
                return false;
            }

            if (pass.Root().AnyInTree(operation => MayChangeMode(operation, module, train, symbols, syntax)))
            {
                return false;
            }

            entered = module.Symbol;
            return entered != null;
        }

        /// <summary>
        /// Whether autograd is off at <paramref name="pass"/> on every path: it runs in the body of a <c>using</c> of
        /// <c>no_grad()</c>, <c>inference_mode()</c>, <c>set_grad_enabled(false)</c> or <c>enable_grad(false)</c>, or after
        /// a <c>using var</c> of one in an enclosing block, with no grad switch, helper or Dispose call in between.
        /// </summary>
        public static bool GradIsOff(IInvocationOperation pass, TorchSymbols symbols, CallSyntaxIndex syntax)
        {
            if (pass.EnclosingFunction() != null)
            {
                return false;
            }

            IOperation current = pass;
            for (var parent = pass.Parent; parent != null; current = parent, parent = parent.Parent)
            {
                if (parent is IUsingOperation { Resources: { } resources } @using && current == @using.Body && DisablesGrad(resources, symbols))
                {
                    return !AnyOf(ImmutableArray.Create(@using.Body), 0, 1, operation => MaySwitchGrad(operation, symbols, syntax));
                }

                if (parent is IBlockOperation block)
                {
                    var index = block.Operations.IndexOf(current);
                    for (var i = index - 1; i >= 0; i--)
                    {
                        if (block.Operations[i] is IUsingDeclarationOperation declaration && DisablesGrad(declaration.DeclarationGroup, symbols))
                        {
                            return !AnyOf(block.Operations, i + 1, index + 1, operation => MaySwitchGrad(operation, symbols, syntax));
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Walks out from <paramref name="pass"/> through its enclosing blocks for the nearest earlier statement
        /// <paramref name="isSetter"/> accepts; true when one is found and no operation from it to the statement that holds
        /// the pass (that whole statement included) is a <paramref name="mayChange"/> one.
        /// </summary>
        private static bool FindPreceding(IOperation pass, System.Func<IOperation, bool> isSetter, System.Func<IOperation, bool> mayChange)
        {
            IOperation current = pass;
            for (var parent = pass.Parent; parent != null; current = parent, parent = parent.Parent)
            {
                if (!(parent is IBlockOperation block))
                {
                    continue;
                }

                var index = block.Operations.IndexOf(current);
                for (var i = index - 1; i >= 0; i--)
                {
                    if (isSetter(block.Operations[i]))
                    {
                        return !AnyOf(block.Operations, i + 1, index + 1, mayChange);
                    }
                }
            }

            return false;
        }

        private static bool AnyOf(ImmutableArray<IOperation> statements, int from, int to, System.Func<IOperation, bool> predicate)
        {
            for (var i = from; i < to && i < statements.Length; i++)
            {
                if (statements[i].AnyInTree(predicate))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SetsMode(IOperation statement, Storage module, bool train, TorchSymbols symbols)
        {
            if (!(statement is IExpressionStatementOperation { Operation: IInvocationOperation call }) || call.Instance is null
                || !(Storage.Referenced(call.Instance.SkipConversions()) is Storage target) || !target.Equals(module))
            {
                return false;
            }

            return symbols.Classify(call.TargetMethod) switch
            {
                TorchCallKind.Eval => !train,
                TorchCallKind.Train => call.ConstantBoolArgument() == train,
                _ => false,
            };
        }

        /// <summary>
        /// Whether <paramref name="operation"/> might take some module out of eval mode (or training mode, for
        /// <paramref name="train"/>) as the flow sees it, conservatively: a train(..) (or eval()) call on anything, since an
        /// alias shares the mode; a call of code other than TorchSharp's, or a creation, given a module; a write to the
        /// module's storage; a goto; a call of a helper of this compilation that may call eval()/train(..).
        /// </summary>
        private static bool MayChangeMode(IOperation operation, Storage module, bool train, TorchSymbols symbols, CallSyntaxIndex syntax)
        {
            // By kind (one virtual call), not by interface type tests: this runs for every operation between a switch
            // and a pass.
            switch (operation.Kind)
            {
                case OperationKind.Invocation:
                    var call = (IInvocationOperation)operation;
                    switch (symbols.Classify(call.TargetMethod))
                    {
                        case TorchCallKind.Eval:
                            return train;
                        case TorchCallKind.Train:
                            return call.ConstantBoolArgument() != train;
                        case TorchCallKind.Forward:
                            return false;
                    }

                    // A helper of this compilation whose name may reach an eval()/train(..) changes the fields it reaches
                    // (its own class's, static ones, a helper object's) without being handed a module.
                    return symbols.HandsModuleToOtherCode(call)
                           || (call.TargetMethod.IsInSource(symbols.Compilation) && syntax.MaySetMode(call.TargetMethod.Name, ModeFlowEngine.MaxDepth - 1));
                case OperationKind.ObjectCreation:
                    return symbols.AnyModuleArgument(((IObjectCreationOperation)operation).Arguments);
                case OperationKind.DeconstructionAssignment:
                case OperationKind.SimpleAssignment:
                case OperationKind.CompoundAssignment:
                case OperationKind.CoalesceAssignment:
                    return RefersTo(((IAssignmentOperation)operation).Target, module);
                case OperationKind.Argument:
                    var argument = (IArgumentOperation)operation;
                    return argument.Parameter != null && argument.Parameter.RefKind != RefKind.None && argument.Parameter.RefKind != RefKind.In
                           && RefersTo(argument.Value, module);
                case OperationKind.Branch:
                    return ((IBranchOperation)operation).BranchKind == BranchKind.GoTo;
                case OperationKind.Labeled:
                    return true;
                default:
                    return false;
            }
        }

        private static bool RefersTo(IOperation target, Storage module)
            => target.AnyInTree(operation => Storage.Referenced(operation) is Storage referenced && referenced.Equals(module));

        /// <summary>Whether the resource of a using is one grad-off switch call: no_grad(), inference_mode(), set_grad_enabled(false), enable_grad(false).</summary>
        private static bool DisablesGrad(IOperation resource, TorchSymbols symbols)
        {
            var value = resource switch
            {
                IVariableDeclarationGroupOperation group when group.Declarations.Length == 1 && group.Declarations[0].Declarators.Length == 1
                    => group.Declarations[0].Declarators[0].Initializer?.Value ?? group.Declarations[0].Initializer?.Value,
                IVariableDeclarationGroupOperation _ => null,
                _ => resource,
            };
            return value?.SkipConversions() is IInvocationOperation call
                   && symbols.AsGradScopeFactory(call.TargetMethod) is GradScopeFactory factory
                   && GradSwitches.FlagsOf(call, factory) is var flags
                   && new GradFact(flags, null).IsOff;
        }

        /// <summary>A grad switch, a helper of this compilation that may return one, a Dispose call, or a goto.</summary>
        private static bool MaySwitchGrad(IOperation operation, TorchSymbols symbols, CallSyntaxIndex syntax)
        {
            switch (operation)
            {
                case IInvocationOperation call:
                    var method = call.TargetMethod;
                    if (symbols.AsGradScopeFactory(method) != null || method.Name == nameof(System.IDisposable.Dispose))
                    {
                        return true;
                    }

                    foreach (var reference in method.DeclaringSyntaxReferences)
                    {
                        if (syntax.MayReturnGradScope(reference.GetSyntax()))
                        {
                            return true;
                        }
                    }

                    return false;
                case IBranchOperation { BranchKind: BranchKind.GoTo }:
                case ILabeledOperation _:
                    return true;
                default:
                    return false;
            }
        }
    }
}
