using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>
    /// How a folder of someone else's sources is compiled, so that it binds as its own build would: the SDK's implicit
    /// global usings when a project file there enables them (<c>--implicit-usings</c>), and extra metadata references
    /// (<c>--reference</c>, e.g. TorchVision.dll). Code that does not bind is code the analyzers cannot reason about, so
    /// both the timing and the findings of a folder use the same settings.
    /// </summary>
    internal sealed class FolderProject
    {
        /// <summary>The global usings that the .NET SDK generates for a project with <c>ImplicitUsings</c> enabled.</summary>
        private static readonly string[] SdkImplicitUsings =
        {
            "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
        };

        public static FolderProject Plain { get; } = new FolderProject(implicitUsings: false, Array.Empty<string>());

        public FolderProject(bool implicitUsings, IReadOnlyList<string> references)
        {
            ImplicitUsings = implicitUsings;
            References = references;
        }

        public bool ImplicitUsings { get; }

        /// <summary>Paths of extra metadata references for every folder.</summary>
        public IReadOnlyList<string> References { get; }

        /// <summary>
        /// The global usings of the folder: when a project file under it enables <c>ImplicitUsings</c>, the SDK's implicit
        /// ones plus the <c>&lt;Using Include="…" /&gt;</c> items of any project file there (static ones too); else none.
        /// </summary>
        public string[] GlobalUsingsOf(string root)
        {
            if (!ImplicitUsings)
            {
                return Array.Empty<string>();
            }

            var projects = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            if (!projects.Any(p => Regex.IsMatch(p, @"<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase)))
            {
                return Array.Empty<string>();
            }

            // `<Using Include="A.B" />`, and the static form, written `Static="true"` or with a `<Static>true</Static>` child.
            var items = projects.SelectMany(p => Regex.Matches(p, @"<Using\s+Include=""([\w.]+)""([^>]*?)(/>|>(.*?)</Using>)", RegexOptions.Singleline)
                .Select(m => IsStatic(m.Groups[2].Value + m.Groups[4].Value) ? "static global::" + m.Groups[1].Value : "global::" + m.Groups[1].Value));
            return SdkImplicitUsings.Select(u => "global::" + u).Concat(items).Distinct(StringComparer.Ordinal).ToArray();
        }

        private static bool IsStatic(string attributesAndBody)
            => Regex.IsMatch(attributesAndBody, @"Static\s*=\s*""true""|<Static>\s*true\s*</Static>", RegexOptions.IgnoreCase);
    }
}
