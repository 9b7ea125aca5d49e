using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// The <c>.editorconfig</c> files that apply to a checked folder, as a build reads them: every one inside the
    /// folder, and those of its parent folders up to the first that says <c>root = true</c>; and every
    /// <c>.globalconfig</c> inside the folder or above it. They give the analyzers their options and the compilation
    /// its per-file severities.
    /// </summary>
    internal sealed class EditorConfigFiles
    {
        private readonly AnalyzerConfigSet set;
        private readonly Dictionary<string, AnalyzerConfigOptionsResult> cache = new(StringComparer.Ordinal);

        private EditorConfigFiles(AnalyzerConfigSet set, ImmutableArray<string> paths)
        {
            this.set = set;
            Paths = paths;
        }

        /// <summary>The files read, for the report.</summary>
        public ImmutableArray<string> Paths { get; }

        /// <summary>Reads the configuration files that apply to <paramref name="root"/> and the files under it.</summary>
        public static EditorConfigFiles Load(string root, IEnumerable<string> directoriesUnderRoot)
        {
            var paths = new List<string>();
            foreach (var directory in directoriesUnderRoot)
            {
                var file = Path.Combine(directory, ".editorconfig");
                if (File.Exists(file))
                {
                    paths.Add(file);
                }
            }

            var configs = paths.Select(p => AnalyzerConfig.Parse(File.ReadAllText(p), p)).ToList();
            var rootFile = Path.Combine(root, ".editorconfig");
            if (!(File.Exists(rootFile) && IsRoot(File.ReadAllText(rootFile))))
            {
                for (var parent = Directory.GetParent(root); parent is not null; parent = parent.Parent)
                {
                    var file = Path.Combine(parent.FullName, ".editorconfig");
                    if (!File.Exists(file))
                    {
                        continue;
                    }

                    var text = File.ReadAllText(file);
                    configs.Add(AnalyzerConfig.Parse(text, file));
                    paths.Add(file);
                    if (IsRoot(text))
                    {
                        break;
                    }
                }
            }

            // The SDK also hands the compiler every `.globalconfig` of the compiled files' folders and of all folders
            // above them (DiscoverGlobalAnalyzerConfigFiles); such a file is global by its name, and `root` does not stop it.
            var globalDirectories = directoriesUnderRoot.ToList();
            for (var parent = Directory.GetParent(root); parent is not null; parent = parent.Parent)
            {
                globalDirectories.Add(parent.FullName);
            }

            foreach (var file in globalDirectories.Select(d => Path.Combine(d, ".globalconfig")).Distinct(StringComparer.Ordinal).Where(File.Exists))
            {
                configs.Add(AnalyzerConfig.Parse(File.ReadAllText(file), file));
                paths.Add(file);
            }

            return new EditorConfigFiles(AnalyzerConfigSet.Create(configs), paths.OrderBy(p => p, StringComparer.Ordinal).ToImmutableArray());
        }

        /// <summary>True when the file says <c>root = true</c> before its first section, as EditorConfig defines.</summary>
        internal static bool IsRoot(string text)
        {
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith('['))
                {
                    return false;
                }

                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && !line.StartsWith('#') && !line.StartsWith(';')
                    && string.Equals(line.Substring(0, equals).Trim(), "root", StringComparison.OrdinalIgnoreCase)
                    && string.Equals(line.Substring(equals + 1).Trim(), "true", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The options of one source file.</summary>
        public AnalyzerConfigOptionsResult ForFile(string path)
        {
            lock (cache)
            {
                if (!cache.TryGetValue(path, out var result))
                {
                    result = set.GetOptionsForSourcePath(path);
                    cache[path] = result;
                }

                return result;
            }
        }

        /// <summary>Options for the analyzers (<c>AnalyzerOptions</c>).</summary>
        public AnalyzerConfigOptionsProvider OptionsProvider => new OptionsProviderImpl(this);

        /// <summary>Severities for the compilation (<c>CompilationOptions.SyntaxTreeOptionsProvider</c>).</summary>
        public SyntaxTreeOptionsProvider SeverityProvider => new SeverityProviderImpl(this);

        private sealed class DictionaryOptions : AnalyzerConfigOptions
        {
            private readonly ImmutableDictionary<string, string> values;

            public DictionaryOptions(ImmutableDictionary<string, string> values) => this.values = values;

            public override bool TryGetValue(string key, out string value)
            {
                if (values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }

                value = null!;
                return false;
            }
        }

        private sealed class OptionsProviderImpl : AnalyzerConfigOptionsProvider
        {
            private readonly EditorConfigFiles files;

            public OptionsProviderImpl(EditorConfigFiles files)
            {
                this.files = files;
                GlobalOptions = new DictionaryOptions(files.set.GlobalConfigOptions.AnalyzerOptions);
            }

            public override AnalyzerConfigOptions GlobalOptions { get; }

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree)
                => new DictionaryOptions(files.ForFile(tree.FilePath).AnalyzerOptions);

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
                => new DictionaryOptions(files.ForFile(textFile.Path).AnalyzerOptions);
        }

        private sealed class SeverityProviderImpl : SyntaxTreeOptionsProvider
        {
            private readonly EditorConfigFiles files;

            public SeverityProviderImpl(EditorConfigFiles files) => this.files = files;

            public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
            {
                if (files.ForFile(tree.FilePath).AnalyzerOptions.TryGetValue("generated_code", out var value))
                {
                    return string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated;
                }

                return GeneratedKind.Unknown;
            }

            public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
                => files.ForFile(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

            public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
                => files.set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
        }
    }
}
