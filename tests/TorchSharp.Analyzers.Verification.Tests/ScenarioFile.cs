using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace TorchSharp.Analyzers.Verification.Tests
{
    /// <summary>
    /// One scenario program: <c>Scenarios/TORCH00x/Name.cs</c>. Its rule is the folder name. Header comments:
    /// <c>// expect: TORCH00x</c> or <c>// expect: none</c> (the verdict for that rule, static and dynamic);
    /// optionally <c>// fix: &lt;equivalence key&gt; -&gt; &lt;correct scenario file&gt;</c> (apply that fix; the fixed
    /// program must run clean and print what the correct scenario prints);
    /// optionally <c>// differs: &lt;why&gt;</c> (static and dynamic legitimately disagree: only the static verdict is
    /// compared with <c>expect</c>, and the dynamic one with the opposite).
    /// </summary>
    internal sealed class ScenarioFile
    {
        private ScenarioFile(string relativePath, string rule, string source, bool expectFinding, string? fixKey, string? fixTarget, string? differs)
        {
            RelativePath = relativePath;
            Rule = rule;
            Source = source;
            ExpectFinding = expectFinding;
            FixKey = fixKey;
            FixTarget = fixTarget;
            Differs = differs;
        }

        public static string Root => Path.Combine(AppContext.BaseDirectory, "Scenarios");

        public string RelativePath { get; }

        public string Rule { get; }

        public string Source { get; }

        public bool ExpectFinding { get; }

        public string? FixKey { get; }

        public string? FixTarget { get; }

        public string? Differs { get; }

        public static IEnumerable<string> All()
            => Directory.EnumerateFiles(Root, "*.cs", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
                .OrderBy(p => p, StringComparer.Ordinal);

        public static ScenarioFile Load(string relativePath)
        {
            var source = File.ReadAllText(Path.Combine(Root, relativePath));
            var rule = relativePath.Split('/')[0];
            string? Header(string name) => source.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("// " + name + ":", StringComparison.Ordinal))
                .Select(l => l.Substring(name.Length + 4).Trim())
                .FirstOrDefault();

            var expect = Header("expect") ?? throw new InvalidOperationException(relativePath + " has no '// expect:' header.");
            var expectFinding = expect == rule
                ? true
                : expect == "none" ? false : throw new InvalidOperationException(relativePath + ": '// expect:' must be " + rule + " or none.");
            string? fixKey = null;
            string? fixTarget = null;
            if (Header("fix") is { } fix)
            {
                var parts = fix.Split("->", StringSplitOptions.TrimEntries);
                fixKey = parts[0];
                fixTarget = rule + "/" + parts[1];
            }

            return new ScenarioFile(relativePath, rule, source, expectFinding, fixKey, fixTarget, Header("differs"));
        }

        public override string ToString() => RelativePath;
    }
}
