using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Symbols;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// Whether the output of a forward pass reaches a <c>backward()</c> of the same body: directly
    /// (<c>loss(model.call(x), y).backward()</c>) or through locals (<c>var output = model.call(x); var loss = …(output …);
    /// loss.backward();</c>). Follows local assignments to a fixpoint; anything stored elsewhere is not followed.
    /// </summary>
    internal static class LossFlow
    {
        /// <summary>The <c>backward()</c> calls of the bodies that the output of <paramref name="forwardPass"/> reaches.</summary>
        public static IEnumerable<IInvocationOperation> BackwardsFedBy(IEnumerable<IOperation> bodies, SyntaxNode forwardPass, TorchSymbols symbols)
        {
            var operations = bodies.SelectMany(b => b.DescendantsAndSelf()).ToList();
            var tainted = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

            bool Carries(IOperation? value)
                => value != null
                   && (value.Syntax.Span.Contains(forwardPass.Span) && value.Syntax.SyntaxTree == forwardPass.SyntaxTree
                       || value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation reference && tainted.Contains(reference.Local)));

            bool grew;
            do
            {
                grew = false;
                foreach (var operation in operations)
                {
                    var (local, value) = operation switch
                    {
                        IVariableDeclaratorOperation declarator => (declarator.Symbol, declarator.Initializer?.Value),
                        ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment => (target.Local, assignment.Value),
                        ICompoundAssignmentOperation { Target: ILocalReferenceOperation target } compound => (target.Local, compound.Value),
                        _ => (null, null),
                    };
                    if (local != null && !tainted.Contains(local) && Carries(value))
                    {
                        tainted.Add(local);
                        grew = true;
                    }
                }
            }
            while (grew);

            foreach (var operation in operations)
            {
                if (operation is IInvocationOperation invocation && symbols.Classify(invocation.TargetMethod) == TorchCallKind.Backward
                    && (Carries(invocation.Instance) || invocation.Arguments.Any(a => Carries(a.Value))))
                {
                    yield return invocation;
                }
            }
        }
    }
}
