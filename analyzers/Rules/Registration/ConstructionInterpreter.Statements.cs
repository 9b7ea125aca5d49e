using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using static TorchSharp.Analyzers.Rules.Registration.PathStateLists;

namespace TorchSharp.Analyzers.Rules.Registration
{
    /// <summary>Statements: sequences, declarations, branches, switches, loops (zero, one or two iterations) and try/finally, each giving the paths that go on and those that leave.</summary>
    internal sealed partial class ConstructionInterpreter
    {
        private StatementPaths Exec(IOperation? operation, List<PathState> states, Frame frame)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (operation is null || states.Count == 0)
            {
                return StatementPaths.Of(states);
            }

            switch (operation)
            {
                case IBlockOperation block:
                    return ExecSequence(block.Operations, states, frame);
                case IExpressionStatementOperation statement:
                    return StatementPaths.Of(Eval(statement.Operation, states, frame));
                case IVariableDeclarationGroupOperation group:
                    return StatementPaths.Of(Declare(group, states, frame));
                case IUsingDeclarationOperation usingDeclaration:
                    return StatementPaths.Of(Declare(usingDeclaration.DeclarationGroup, states, frame));
                case IConditionalOperation conditional:
                    return ExecIf(conditional, states, frame);
                case ISwitchOperation switchOperation:
                    return ExecSwitch(switchOperation, states, frame);
                case ILoopOperation loop:
                    return ExecLoop(loop, states, frame);
                case ITryOperation tryOperation:
                    return ExecTry(tryOperation, states, frame);
                case IUsingOperation usingOperation:
                    return Exec(usingOperation.Body, Eval(usingOperation.Resources, states, frame), frame);
                case ILockOperation lockOperation:
                    return Exec(lockOperation.Body, Eval(lockOperation.LockedValue, states, frame), frame);
                case ILabeledOperation labeled:
                    return Exec(labeled.Operation, states, frame);
                case IReturnOperation returnOperation:
                    var returned = new StatementPaths();
                    AddAll(returned.Return, Eval(returnOperation.ReturnedValue, states, frame));
                    return returned;
                case IBranchOperation branch:
                    var branched = new StatementPaths();
                    switch (branch.BranchKind)
                    {
                        case BranchKind.Break:
                            AddAll(branched.Break, states);
                            break;
                        case BranchKind.Continue:
                            AddAll(branched.Continue, states);
                            break;
                        default:
                            // goto: the path continues somewhere this walk does not model.
                            branched.Normal = Opaque(states);
                            break;
                    }

                    return branched;
                case ILocalFunctionOperation _:
                case IEmptyOperation _:
                    return StatementPaths.Of(states);
                default:
                    return StatementPaths.Of(Eval(operation, states, frame));
            }
        }

        private StatementPaths ExecSequence(IEnumerable<IOperation> operations, List<PathState> states, Frame frame)
        {
            var result = new StatementPaths();
            foreach (var operation in operations)
            {
                var flow = Exec(operation, states, frame);
                AddAll(result.Break, flow.Break);
                AddAll(result.Continue, flow.Continue);
                AddAll(result.Return, flow.Return);
                states = flow.Normal;
                if (states.Count == 0)
                {
                    break;
                }
            }

            result.Normal = states;
            return result;
        }

        private List<PathState> Declare(IVariableDeclarationGroupOperation group, List<PathState> states, Frame frame)
        {
            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    var initializer = declarator.Initializer ?? declaration.Initializer;
                    if (initializer is null)
                    {
                        continue;
                    }

                    states = Eval(initializer.Value, states, frame);
                    var origin = OriginOf(initializer.Value, frame);
                    var local = declarator.Symbol;
                    states = Map(states, s => s.WithLocal(local, IsRegistered(s, origin)));
                }
            }

            return states;
        }

        private StatementPaths ExecIf(IConditionalOperation conditional, List<PathState> states, Frame frame)
        {
            states = Eval(conditional.Condition, states, frame);
            var constant = conditional.Condition.ConstantValue;
            if (constant.HasValue && constant.Value is bool known)
            {
                return known ? Exec(conditional.WhenTrue, states, frame) : Exec(conditional.WhenFalse, states, frame);
            }

            var result = Exec(conditional.WhenTrue, states, frame);
            result.Add(Exec(conditional.WhenFalse, states, frame));
            return result;
        }

        private StatementPaths ExecSwitch(ISwitchOperation switchOperation, List<PathState> states, Frame frame)
        {
            states = Eval(switchOperation.Value, states, frame);
            var result = new StatementPaths();
            var hasDefault = false;
            foreach (var section in switchOperation.Cases)
            {
                hasDefault |= section.Clauses.Any(c => c.CaseKind == CaseKind.Default);
                var flow = ExecSequence(section.Body, states, frame);
                result.Normal = Union(result.Normal, Union(flow.Normal, flow.Break));
                AddAll(result.Continue, flow.Continue);
                AddAll(result.Return, flow.Return);
            }

            if (!hasDefault)
            {
                result.Normal = Union(result.Normal, states);
            }

            return result;
        }

        private StatementPaths ExecLoop(ILoopOperation loop, List<PathState> states, Frame frame)
        {
            IOperation? condition = null;
            IEnumerable<IOperation> atBottom = Enumerable.Empty<IOperation>();
            var conditionFirst = true;
            switch (loop)
            {
                case IForLoopOperation forLoop:
                    states = ExecSequence(forLoop.Before, states, frame).Normal;
                    condition = forLoop.Condition;
                    atBottom = forLoop.AtLoopBottom;
                    break;
                case IForEachLoopOperation forEach:
                    states = Eval(forEach.Collection, states, frame);
                    break;
                case IWhileLoopOperation whileLoop:
                    condition = whileLoop.Condition;
                    conditionFirst = whileLoop.ConditionIsTop;
                    break;
                case IForToLoopOperation forTo:
                    states = Eval(forTo.InitialValue, states, frame);
                    states = Eval(forTo.LimitValue, states, frame);
                    break;
            }

            var endless = condition?.ConstantValue is { HasValue: true, Value: true };
            var result = new StatementPaths();
            var exits = new List<PathState>();
            var current = states;
            if (conditionFirst)
            {
                current = Eval(condition, current, frame);
                if (!endless)
                {
                    exits = Union(exits, current);
                }
            }

            // Zero, one or two iterations: enough to see a field assigned in the loop before or after a call made in it.
            for (var iteration = 0; iteration < 2 && current.Count > 0; iteration++)
            {
                var body = Exec(loop.Body, current, frame);
                exits = Union(exits, body.Break);
                AddAll(result.Return, body.Return);
                var next = Union(body.Normal, body.Continue);
                next = ExecSequence(atBottom, next, frame).Normal;
                next = Eval(condition, next, frame);
                if (!endless)
                {
                    exits = Union(exits, next);
                }

                current = next;
            }

            result.Normal = exits;
            return result;
        }

        private StatementPaths ExecTry(ITryOperation tryOperation, List<PathState> states, Frame frame)
        {
            var result = Exec(tryOperation.Body, states, frame);

            // A catch may start anywhere in the try block: approximated by its start and its end.
            var catchEntry = Union(states, result.Normal);
            foreach (var clause in tryOperation.Catches)
            {
                var entry = Eval(clause.Filter, catchEntry, frame);
                result.Add(Exec(clause.Handler, entry, frame));
            }

            if (tryOperation.Finally is { } finallyBlock)
            {
                var flowed = new StatementPaths
                {
                    Normal = Exec(finallyBlock, result.Normal, frame).Normal,
                };
                AddAll(flowed.Break, Exec(finallyBlock, result.Break, frame).Normal);
                AddAll(flowed.Continue, Exec(finallyBlock, result.Continue, frame).Normal);
                AddAll(flowed.Return, Exec(finallyBlock, result.Return, frame).Normal);
                return flowed;
            }

            return result;
        }
    }
}
