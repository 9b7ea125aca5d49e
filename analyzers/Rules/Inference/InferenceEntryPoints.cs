using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Inference
{
    /// <summary>
    /// What keeps a method whose name says inference from being an inference entry point, read from what is written
    /// (asked only of the few methods whose name matches): a training step written in it, even one that does not bind
    /// (<c>loss.backward()</c> on a loss of an unresolved type is still a backward pass), and being a piece of its
    /// module's own forward pass (SAM's <c>MaskDecoder.predict_masks</c>, called by <c>forward</c>: its grad mode is its
    /// caller's).
    /// </summary>
    internal static class InferenceEntryPoints
    {
        public static bool NothingSaysOtherwise(OperationBlockAnalysisContext context)
            => !context.OperationBlocks.Any(block => WritesTrainingStep(block.Syntax))
               && !(context.OwningSymbol is IMethodSymbol method && IsCalledByOwnForward(method, context.Compilation));

        /// <summary>
        /// Whether <paramref name="method"/>, an inference method by name of a module class of this compilation, runs its own
        /// module: its body calls <c>call</c>/<c>forward</c> on <c>this</c> or on a field or property of it (nanoGPT's
        /// <c>generate</c>), writes no training step and no eval()/train(), and is no piece of its module's own forward pass.
        /// </summary>
        public static bool RunsItsOwnModule(IMethodSymbol method, Compilation compilation)
            => RunsItsOwnModuleCache.GetValue(compilation, _ => new System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default))
                .GetOrAdd(method, m => ComputeRunsItsOwnModule(m, compilation));

        // Asked at every call of such a method: the answer is read from its declaration once per compilation.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>> RunsItsOwnModuleCache
            = new System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>>();

        private static bool ComputeRunsItsOwnModule(IMethodSymbol method, Compilation compilation)
        {
            if (method.IsStatic || IsCalledByOwnForward(method, compilation))
            {
                return false;
            }

            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (!reference.IsInSource(compilation))
                {
                    continue;
                }

                var body = reference.GetSyntax();
                // A method that sets its module's mode itself (Seq2Seq.evaluate calling this.eval()) does not run in its caller's.
                if (WritesTrainingStep(body) || body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => InvokedNames.Of(call) is TorchNames.Eval or TorchNames.Train))
                {
                    return false;
                }

                if (body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => InvokedNames.Of(call) is TorchNames.Call or TorchNames.Forward && IsOnThis(call.Expression, method.ContainingType)))
                {
                    return true;
                }
            }

            return false;
        }

        // `call(x)`, `this.forward(x)`, `_blocks.call(x)`, `this.lm_head.forward(x)`: the receiver is this or a field or
        // property of the class (by name: a local that shadows a member is not told apart).
        private static bool IsOnThis(ExpressionSyntax callee, INamedTypeSymbol type) => callee switch
        {
            IdentifierNameSyntax _ => true,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } => true,
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax member } => IsMemberOf(type, member.Identifier.ValueText),
            MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax _ } } => true,
            _ => false,
        };

        private static bool IsMemberOf(INamedTypeSymbol? type, string name)
        {
            for (; type != null; type = type.BaseType)
            {
                if (type.GetMembers(name).Any(m => m is IFieldSymbol || m is IPropertySymbol))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>An invocation named <c>backward</c> or <c>step</c>, bound or not.</summary>
        public static bool WritesTrainingStep(SyntaxNode body)
            => body.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => InvokedNames.Of(call) is TorchNames.Backward or TorchNames.Step);

        /// <summary>Whether a <c>forward</c> of <paramref name="method"/>'s own class, in this compilation, calls it by name.</summary>
        public static bool IsCalledByOwnForward(IMethodSymbol method, Compilation compilation)
        {
            if (method.IsStatic || method.Name == TorchNames.Forward || method.ContainingType is not { } type)
            {
                return false;
            }

            foreach (var forward in type.GetMembers(TorchNames.Forward).OfType<IMethodSymbol>())
            {
                foreach (var reference in forward.DeclaringSyntaxReferences)
                {
                    if (reference.IsInSource(compilation)
                        && reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call => InvokedNames.Of(call) == method.Name))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
