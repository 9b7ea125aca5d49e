using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TorchSharp.Analyzers.Flow;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Rules.Training
{
    /// <summary>
    /// Where a body uses the optimizer written with one name — steps it or hands it on, replaces it, grows it with
    /// <c>add_param_group</c> — found in one pass, so that many unfreezes can be judged against it (TORCH004's heuristic).
    /// </summary>
    internal sealed class OptimizerUses
    {
        private readonly List<SyntaxNode> _replacements = new List<SyntaxNode>();
        private readonly List<SyntaxNode> _uses = new List<SyntaxNode>();
        private readonly List<SyntaxNode> _groups = new List<SyntaxNode>();

        private OptimizerUses()
        {
        }

        /// <summary>Whether the body never steps the optimizer nor hands it on: then no unfreeze can matter to it.</summary>
        public bool NeverUsed => _uses.Count == 0;

        public static OptimizerUses Of(IEnumerable<IOperation> operations, string optimizerName)
        {
            var found = new OptimizerUses();
            foreach (var operation in operations)
            {
                switch (operation)
                {
                    // A new optimizer assigned to the variable, or a declaration of it run again (inside a loop), replaces it.
                    case ISimpleAssignmentOperation assignment when IsWritten(assignment.Target.Syntax, optimizerName):
                    case IVariableDeclaratorOperation { Initializer: { } } declarator when declarator.Symbol.Name == optimizerName:
                        found._replacements.Add(operation.Syntax);
                        break;
                    case IInvocationOperation { TargetMethod.Name: TorchNames.Step, Instance: { } stepped } when IsWritten(stepped.Syntax, optimizerName):
                    case IArgumentOperation argument when IsWritten(argument.Value.Syntax, optimizerName):
                        found._uses.Add(operation.Syntax);
                        break;
                    case IInvocationOperation { TargetMethod.Name: "add_param_group", Instance: { } grown } when IsWritten(grown.Syntax, optimizerName):
                        found._groups.Add(operation.Syntax);
                        break;
                }
            }

            return found;
        }

        /// <summary>An unfreeze that the optimizer is given with add_param_group after, or that it never steps after.</summary>
        public bool IsHarmless(SyntaxNode unfreeze) => GrowsAfter(unfreeze) || !StepsAfter(unfreeze);

        /// <summary>
        /// Whether the optimizer may step after the unfreeze — <c>step()</c> on it, or it handed to a method — before it is
        /// replaced: an optimizer that never steps again cannot throw or skip anything (a new optimizer per stage).
        /// </summary>
        private bool StepsAfter(SyntaxNode unfreeze)
        {
            foreach (var use in _uses)
            {
                if (use.SpanStart > unfreeze.SpanStart)
                {
                    if (!_replacements.Any(r => r.SpanStart > unfreeze.SpanStart && r.SpanStart < use.SpanStart))
                    {
                        return true;
                    }
                }
                else if (Loops.MayRunAfter(use, unfreeze) && !_replacements.Any(r => r.SpanStart > unfreeze.SpanStart || r.SpanStart < use.SpanStart))
                {
                    // The next iteration's use, with nothing replacing the optimizer on the way around the loop.
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the body calls <c>add_param_group</c> on the optimizer after the unfreeze (later in the text, or in a loop
        /// around both): the usual way to hand it the newly trainable parameters. A heuristic, named on the rule's page.
        /// </summary>
        private bool GrowsAfter(SyntaxNode unfreeze) => _groups.Any(group => Loops.MayRunAfter(group, unfreeze));

        /// <summary>Whether <paramref name="syntax"/> is written as <paramref name="text"/> (the length is compared before any text is built).</summary>
        private static bool IsWritten(SyntaxNode syntax, string text)
            => syntax.Span.Length == text.Length && syntax.ToString() == text;
    }
}
