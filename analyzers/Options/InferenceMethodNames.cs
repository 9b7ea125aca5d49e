using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Options
{
    /// <summary>
    /// The inference entry-point heuristic (docs/rules/TORCH002.md, "Options"): a method whose name says it does
    /// inference (<c>Predict</c>, <c>PredictBatch</c>, <c>evaluate</c>, <c>estimate_loss</c> …) and that contains no
    /// <c>backward()</c>/<c>step()</c> is an inference region. Names are matched as words, in any case. Configured by <c>torchsharp_analyzers.inference_method_names</c> (comma-separated prefixes) and switched
    /// off by <c>torchsharp_analyzers.inference_method_heuristic = false</c>. A test method (xunit, NUnit, MSTest test
    /// attribute) is never an entry point by name.
    /// </summary>
    internal static class InferenceMethodNames
    {
        public const string NamesKey = "inference_method_names";
        public const string EnabledKey = "inference_method_heuristic";
        public const string DefaultNames = "Predict,Infer,Inference,Evaluate,Validate,Score,Classify,Test,Generate,Sample,EstimateLoss";

        /// <summary>Whether <paramref name="method"/> is an inference entry point by name, in the file of <paramref name="tree"/>.</summary>
        public static bool Matches(AnalyzerOptions options, SyntaxTree tree, ISymbol? method)
            => method is IMethodSymbol { MethodKind: MethodKind.Ordinary } ordinary
               && NameMatches(options, tree, ordinary.Name)
               // Asked only of a matching name: reading attributes costs more than comparing words.
               && !IsTest(ordinary);

        /// <summary>Whether a method or local function named <paramref name="name"/> is an inference entry point by name.</summary>
        public static bool NameMatches(AnalyzerOptions options, SyntaxTree tree, string name)
        {
            if (!EditorConfigOptions.GetBool(options, tree, EnabledKey, defaultValue: true))
            {
                return false;
            }

            var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
            var names = config.TryGetValue(EditorConfigOptions.Prefix + NamesKey, out var text) ? text : DefaultNames;
            return NameMatchesAny(Parse(names), name);
        }

        /// <summary>
        /// Whether a method named <paramref name="name"/> could be an inference entry point by name in some file of the
        /// compilation whose options <paramref name="prefixes"/> holds (<see cref="PrefixesOfEveryFile"/>): the cheap no
        /// before a file's own options are read.
        /// </summary>
        public static bool NameMatchesAny(ImmutableArray<string> prefixes, string name)
        {
            foreach (var prefix in prefixes)
            {
                if (IsPrefixWord(name, prefix))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The prefixes of every file of <paramref name="compilation"/> where the heuristic is on, each once.</summary>
        public static ImmutableArray<string> PrefixesOfEveryFile(AnalyzerOptions options, Compilation compilation)
        {
            var lists = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (EditorConfigOptions.GetBool(options, tree, EnabledKey, defaultValue: true))
                {
                    var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
                    lists.Add(config.TryGetValue(EditorConfigOptions.Prefix + NamesKey, out var text) ? text : DefaultNames);
                }
            }

            return lists.SelectMany(list => Parse(list)).Distinct(StringComparer.Ordinal).ToImmutableArray();
        }

        // Test attributes of xunit, NUnit and MSTest, by namespace and type name: no reference to a framework needed.
        private static readonly (string Namespace, string Name)[] TestAttributes =
        {
            ("Xunit", "FactAttribute"), ("Xunit", "TheoryAttribute"),
            ("NUnit.Framework", "TestAttribute"), ("NUnit.Framework", "TestCaseAttribute"), ("NUnit.Framework", "TestCaseSourceAttribute"),
            ("NUnit.Framework", "TheoryAttribute"),
            ("Microsoft.VisualStudio.TestTools.UnitTesting", "TestMethodAttribute"), ("Microsoft.VisualStudio.TestTools.UnitTesting", "DataTestMethodAttribute"),
        };

        /// <summary>
        /// Whether <paramref name="method"/> carries a test framework's test attribute, or one derived from it
        /// (<c>SkippableFact</c>): a test named <c>EvaluateRelu</c> is not an inference entry point.
        /// </summary>
        public static bool IsTest(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                for (var type = attribute.AttributeClass; type != null; type = type.BaseType)
                {
                    var ns = type.ContainingNamespace?.ToDisplayString();
                    foreach (var (testNamespace, name) in TestAttributes)
                    {
                        if (type.Name == name && ns == testNamespace)
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        // Asked for every body: the option's few distinct values are split once each.
        private static ImmutableArray<string> Parse(string names)
            => ParsedNames.GetOrAdd(names, n => n.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(name => name.Trim()).ToImmutableArray());

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ImmutableArray<string>> ParsedNames
            = new System.Collections.Concurrent.ConcurrentDictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);

        /// <summary>
        /// Whether <paramref name="name"/> starts with the word <paramref name="prefix"/>, in any case and with the
        /// underscores of names ported from Python: "PredictBatch", "predict", "predict_batch", "_predict" and
        /// "estimate_loss" (for EstimateLoss) do; "Predictor", "predictbatch" and "Tester" do not — the word must end
        /// where the name ends or before an underscore, a digit or an upper-case letter.
        /// </summary>
        internal static bool IsPrefixWord(string name, string prefix)
        {
            var at = 0;
            while (at < name.Length && name[at] == '_')
            {
                at++;
            }

            foreach (var letter in prefix)
            {
                if (letter == '_')
                {
                    continue;
                }

                if (char.IsUpper(letter) && at > 0 && at < name.Length && name[at] == '_' && name[at - 1] != '_')
                {
                    at++; // estimate_loss: the underscore between the words of EstimateLoss
                }

                if (at >= name.Length || char.ToUpperInvariant(name[at]) != char.ToUpperInvariant(letter))
                {
                    return false;
                }

                at++;
            }

            return at == name.Length || !char.IsLower(name[at]);
        }
    }
}
