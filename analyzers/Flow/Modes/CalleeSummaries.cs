using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// The summaries of callees a caller's flow applies at a call: how a method leaves the mode and the freezing of the
    /// modules it is given, and the grad scope it returns. Read from the callee's own flow (<see cref="CalleeBodies"/>),
    /// at most <see cref="ModeFlowEngine.MaxDepth"/> calls deep, so recursion ends. One per engine; thread-safe.
    /// </summary>
    internal sealed class CalleeSummaries
    {
        private readonly bool _exhaustive;
        private readonly CallSyntaxIndex _callSyntax;
        private readonly TorchSymbols _symbols;
        private readonly CalleeBodies _bodies;

        public CalleeSummaries(bool exhaustive, CallSyntaxIndex callSyntax, TorchSymbols symbols, CalleeBodies bodies)
        {
            _exhaustive = exhaustive;
            _callSyntax = callSyntax;
            _symbols = symbols;
            _bodies = bodies;
        }

        /// <summary>How <paramref name="callee"/> leaves the mode of the module passed at <paramref name="ordinal"/> (-1: its receiver) (<see cref="ICalleeSummaries.EffectOn"/>).</summary>
        public ModeEffect EffectOn(IMethodSymbol callee, int ordinal, int depth)
        {
            if (depth > ModeFlowEngine.MaxDepth || ordinal < -1 || ordinal >= callee.Parameters.Length || !(_bodies.BodyOf(callee, depth) is { Exit: { } exit } result))
            {
                return ModeEffect.Unknown;
            }

            // Ordinal -1 is the receiver: a method of the module's own class (a mask helper, a sampler) that never sets
            // the mode of `this` leaves it as it was. Only where the body read is the one that runs: not for a method a
            // subclass may override.
            if (ordinal < 0 && (callee.IsAbstract || callee.IsVirtual || (callee.IsOverride && !callee.IsSealed && !callee.ContainingType.IsSealed)))
            {
                return ModeEffect.Unknown;
            }

            var id = ordinal < 0 ? result.ThisValue : result.EntryValues.TryGetValue(callee.Parameters[ordinal], out var parameterId) ? parameterId : ModeFlow.NoValue;
            if (id == ModeFlow.NoValue || !exit.Modules.Modes.TryGetValue(id, out var mode))
            {
                return ModeEffect.Unchanged;
            }

            return mode.Flags switch
            {
                ModeFlags.Entry => ModeEffect.Unchanged,
                ModeFlags.Eval => ModeEffect.Eval,
                ModeFlags.Train => ModeEffect.Train,
                _ => ModeEffect.Unknown,
            };
        }

        /// <summary>The grad mode the scope <paramref name="method"/> returns puts in force (<see cref="ICalleeSummaries.GradScopeReturnedBy"/>).</summary>
        public GradFlags? GradScopeReturnedBy(IMethodSymbol method)
            => _returnedScopes.GetOrAdd(method, ComputeReturnedScope);

        private readonly ConcurrentDictionary<IMethodSymbol, GradFlags?> _returnedScopes = new ConcurrentDictionary<IMethodSymbol, GradFlags?>(SymbolEqualityComparer.Default);

        private GradFlags? ComputeReturnedScope(IMethodSymbol method)
        {
            if (method.ReturnsVoid || method.DeclaringSyntaxReferences.Length != 1
                || !(method.DeclaringSyntaxReferences[0].GetSyntax() is BaseMethodDeclarationSyntax declaration)
                || !(_exhaustive || _callSyntax.MayReturnGradScope(declaration))
                || !(_bodies.ModelOf(declaration.SyntaxTree)?.GetOperation(declaration) is IMethodBodyOperation body))
            {
                return null;
            }

            GradFlags? flags = null;
            foreach (var returned in body.Descendants().OfType<IReturnOperation>())
            {
                if (returned.EnclosingFunction() != null)
                {
                    continue;
                }

                if (!(ReturnedScope(returned.ReturnedValue) is GradFlags these))
                {
                    return null;
                }

                flags = flags is null ? these : flags.Value | these;
            }

            return flags;
        }

        /// <summary>
        /// The grad mode a returned value puts in force where the caller holds it: a grad switch's, the join of both
        /// branches of a conditional (<c>training ? torch.enable_grad() : torch.no_grad()</c>), Unknown for a branch
        /// that is no scope (<c>null</c>: the caller's mode stays, whatever it is); null when the value is no grad switch.
        /// </summary>
        private GradFlags? ReturnedScope(IOperation? value)
        {
            switch (value?.SkipConversions())
            {
                case IInvocationOperation call when _symbols.AsGradScopeFactory(call.TargetMethod) is GradScopeFactory factory:
                    return GradSwitches.FlagsOf(call, factory);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    var whenTrue = ReturnedScope(conditional.WhenTrue);
                    var otherwise = ReturnedScope(whenFalse);
                    if (whenTrue is null && otherwise is null)
                    {
                        return null;
                    }

                    return (whenTrue ?? GradFlags.Unknown) | (otherwise ?? GradFlags.Unknown);
                default:
                    return null;
            }
        }

        /// <summary>How <paramref name="callee"/> leaves the freezing of the module passed at <paramref name="ordinal"/> (<see cref="ICalleeSummaries.FreezeEffectOn"/>).</summary>
        public FreezeFact? FreezeEffectOn(IMethodSymbol callee, int ordinal, int depth)
        {
            if (depth > ModeFlowEngine.MaxDepth || ordinal < 0 || ordinal >= callee.Parameters.Length || !(_bodies.BodyOf(callee, depth) is { Exit: { } exit } result))
            {
                return FreezeFact.Unknown;
            }

            if (!result.EntryValues.TryGetValue(callee.Parameters[ordinal], out var id) || !exit.Freezes.ByValue.TryGetValue(id, out var fact) || fact.Flags == FreezeFlags.Unknown)
            {
                return null;
            }

            return fact;
        }
    }
}
