using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchSharp.Analyzers.Api;

namespace TorchSharp.Analyzers.Flow.Modes
{
    /// <summary>
    /// How a method's syntax uses one name, read without binding: a method that never names a field, or only calls
    /// TorchSharp's own methods on it, need not be bound to learn that it leaves the field's mode alone.
    /// </summary>
    internal sealed class MemberMention
    {
        /// <summary>Some use is the receiver of an <c>eval()</c> or <c>train(..)</c> call (<c>_model.eval()</c>, <c>this._model.train()</c>).</summary>
        public bool SetsMode { get; private set; }

        /// <summary>Some use is neither a method call on the name nor a member read (an argument, an assignment, a return …).</summary>
        public bool Other { get; private set; }

        /// <summary>The other methods called on the name (<c>_model.call(x)</c>, <c>_model.parameters()</c>).</summary>
        public HashSet<string> CalledMethods { get; } = new HashSet<string>();

        /// <summary>
        /// How the syntax of <paramref name="method"/> uses <paramref name="name"/>, or null when it never does. The name is
        /// looked for in the method's text, and only its occurrences become nodes.
        /// </summary>
        public static MemberMention? Of(IMethodSymbol method, string name)
        {
            MemberMention? mention = null;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                foreach (var token in EscapedNames.TokensIn(SourceWords.Of(reference.SyntaxTree), name, reference.Span))
                {
                    if (token.Parent is IdentifierNameSyntax identifier && identifier.Identifier == token)
                    {
                        (mention ??= new MemberMention()).Add(identifier);
                    }
                }
            }

            return mention;
        }

        private void Add(IdentifierNameSyntax identifier)
        {
            // The receiver is the name itself or this.name; the name of another object's member is another member.
            ExpressionSyntax receiver = identifier;
            if (identifier.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == identifier)
            {
                if (!(qualified.Expression is ThisExpressionSyntax))
                {
                    Other = true;
                    return;
                }

                receiver = qualified;
            }

            if (!(receiver.Parent is MemberAccessExpressionSyntax access && access.Expression == receiver))
            {
                Other = true;
                return;
            }

            if (!(access.Parent is InvocationExpressionSyntax invocation && invocation.Expression == access))
            {
                // A member read (_model.training): it neither sets the mode nor hands the module away.
                return;
            }

            var called = access.Name.Identifier.ValueText;
            if (called == TorchNames.Eval || called == TorchNames.Train)
            {
                SetsMode = true;
            }
            else
            {
                CalledMethods.Add(called);
            }
        }
    }
}
