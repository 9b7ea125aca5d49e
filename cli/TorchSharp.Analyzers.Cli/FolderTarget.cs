using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>What a <c>check</c> path resolves to: projects to load with MSBuild, or loose files; and why, for the report.</summary>
    internal sealed record CheckTarget(string Path, bool IsProjects, string? Note);

    /// <summary>
    /// A folder names the solution or project at its top when there is exactly one (a solution first) and it is restored,
    /// so that <c>check .</c> on a repository checks it as its build compiles it. Otherwise — nothing at the top, several,
    /// not restored, or <c>--loose</c> — the folder's files are checked as loose files, which needs no restore.
    /// </summary>
    internal static class FolderTarget
    {
        private static readonly Regex SlnProject = new("^Project\\(\"[^\"]*\"\\)\\s*=\\s*\"[^\"]*\"\\s*,\\s*\"([^\"]+)\"", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        private static readonly Regex SlnxProject = new("<Project\\s+Path=\"([^\"]+)\"", RegexOptions.CultureInvariant);

        public static CheckTarget Resolve(string path, bool loose)
        {
            var full = System.IO.Path.GetFullPath(path);
            if (File.Exists(full))
            {
                return new CheckTarget(path, MSBuildProjects.IsProjectOrSolution(full), null);
            }

            if (loose || !Directory.Exists(full))
            {
                return new CheckTarget(path, false, null);
            }

            var solutions = Top(full, "*.sln").Concat(Top(full, "*.slnx")).ToList();
            var candidates = solutions.Count > 0 ? solutions : Top(full, "*.csproj").ToList();
            if (candidates.Count == 0)
            {
                return new CheckTarget(path, false, null);
            }

            var names = string.Join(", ", candidates.Select(System.IO.Path.GetFileName));
            if (candidates.Count > 1)
            {
                return new CheckTarget(path, false, $"the folder holds {names}: its files were checked as loose files (name one to check it with MSBuild)");
            }

            var candidate = candidates[0];
            var projects = CSharpProjectsOf(candidate).ToList();
            if (projects.Count == 0)
            {
                return new CheckTarget(path, false, $"{names} names no C# project: the folder's files were checked as loose files");
            }

            var unrestored = projects.Where(p => !File.Exists(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(p)!, "obj", "project.assets.json"))).ToList();
            if (unrestored.Count > 0)
            {
                return new CheckTarget(path, false,
                    $"{names} is not restored ({LooseFolder.Relative(full, unrestored[0])} has no obj/project.assets.json): its files were checked as loose files; " +
                    "run dotnet restore to check it with its projects' own references, or --loose to skip this");
            }

            return new CheckTarget(candidate, true, $"{names} was loaded with MSBuild (--loose checks the folder's files alone)");
        }

        private static IEnumerable<string> Top(string folder, string pattern)
            => Directory.EnumerateFiles(folder, pattern).Where(f => string.Equals(System.IO.Path.GetExtension(f), pattern.Substring(1), StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal);

        /// <summary>The .csproj files a solution names (a project names itself); what restore must have run for.</summary>
        private static IEnumerable<string> CSharpProjectsOf(string file)
        {
            var directory = System.IO.Path.GetDirectoryName(file)!;
            var extension = System.IO.Path.GetExtension(file).ToLowerInvariant();
            if (extension == ".csproj")
            {
                return new[] { file };
            }

            var text = File.ReadAllText(file);
            var pattern = extension == ".slnx" ? SlnxProject : SlnProject;
            return pattern.Matches(text)
                .Select(m => m.Groups[1].Value.Replace('\\', System.IO.Path.DirectorySeparatorChar))
                .Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
                .Select(p => System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, p)))
                .ToList();
        }
    }
}
