using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// The package as users get it: its exact file list and metadata, and what happens in a real project
    /// that installs it — `dotnet build` warns TORCH006 at the discarded `torch.no_grad()`, `-warnaserror`
    /// fails the build, and `dotnet format analyzers` applies the code fix so the next build is clean.
    /// </summary>
    [Collection(PackingCollection.Name)]
    public sealed class PackageEndToEndTests : IClassFixture<PackedPackageFixture>
    {
        private const string DiagnosticId = "TORCH006";
        private const string PsmdcpPlaceholder = "package/services/metadata/core-properties/*.psmdcp";

        private static readonly string[] ExpectedEntries =
        {
            "[Content_Types].xml",
            "_rels/.rels",
            PsmdcpPlaceholder,
            PackedPackageFixture.PackageId + ".nuspec",
            "README.md",
            "analyzers/dotnet/cs/TorchSharp.Analyzers.dll",
            "analyzers/dotnet/cs/TorchSharp.Analyzers.CodeFixes.dll",
        };

        private readonly PackedPackageFixture _fixture;
        private readonly ITestOutputHelper _output;

        public PackageEndToEndTests(PackedPackageFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        [Fact]
        public void Package_HoldsExactlyBothAnalyzerAssembliesTheReadmeAndTheNuspec()
        {
            var nupkg = _fixture.EnsurePacked();
            LogPack();

            using var archive = ZipFile.OpenRead(nupkg);
            var actual = archive.Entries
                .Select(e => e.FullName.Replace('\\', '/'))
                .Select(name => Regex.IsMatch(name, @"^package/services/metadata/core-properties/[^/]+\.psmdcp$") ? PsmdcpPlaceholder : name)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            var expected = ExpectedEntries.OrderBy(n => n, StringComparer.Ordinal).ToList();

            Assert.True(
                expected.SequenceEqual(actual, StringComparer.Ordinal),
                "The package's files differ from the expected set." + Environment.NewLine
                + "expected:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", expected) + Environment.NewLine
                + "actual:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", archive.Entries.Select(e => e.FullName)));
            Assert.DoesNotContain(actual, name => name.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));

            // Each file under analyzers/ is the assembly its name says; the analyzers must not need
            // Workspaces (RS1038: the command-line compiler cannot load them otherwise).
            var analyzers = ReadAssembly(archive, "analyzers/dotnet/cs/TorchSharp.Analyzers.dll");
            var codeFixes = ReadAssembly(archive, "analyzers/dotnet/cs/TorchSharp.Analyzers.CodeFixes.dll");
            Assert.Equal("TorchSharp.Analyzers", analyzers.Name);
            Assert.Equal("TorchSharp.Analyzers.CodeFixes", codeFixes.Name);
            Assert.DoesNotContain(analyzers.References, r => r.StartsWith("Microsoft.CodeAnalysis.Workspaces", StringComparison.Ordinal)
                                                          || r.StartsWith("Microsoft.CodeAnalysis.CSharp.Workspaces", StringComparison.Ordinal));

            // The readme inside is the repository's README.md.
            var readme = Path.Combine(_fixture.RepositoryRoot, "README.md");
            using var packedReadme = new MemoryStream();
            using (var stream = archive.GetEntry("README.md")!.Open())
            {
                stream.CopyTo(packedReadme);
            }

            Assert.Equal(File.ReadAllBytes(readme), packedReadme.ToArray());
        }

        [Fact]
        public void Nuspec_IsADevelopmentDependencyWithoutDependencies_WithLicenseReadmeTagsAndRepository()
        {
            var nupkg = _fixture.EnsurePacked();
            var nuspecText = ReadNuspec(nupkg);
            var metadata = XDocument.Parse(nuspecText).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            var because = Environment.NewLine + nuspecText;

            Assert.True(Value("id") == PackedPackageFixture.PackageId, "id" + because);
            Assert.True(Value("version") == _fixture.Version, "version" + because);
            Assert.True(Value("developmentDependency") == "true", "developmentDependency must be true" + because);
            Assert.True(
                !metadata.Descendants().Any(e => e.Name.LocalName == "dependencies" || e.Name.LocalName == "dependency" || e.Name.LocalName == "group"),
                "no dependency may reach consumers" + because);
            Assert.True(
                !metadata.Descendants().Any(e => e.Name.LocalName == "frameworkAssemblies" || e.Name.LocalName == "frameworkReferences" || e.Name.LocalName == "references"),
                "no framework or assembly references" + because);

            var license = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "license");
            Assert.True(license is not null && (string?)license.Attribute("type") == "expression" && !string.IsNullOrWhiteSpace(license.Value), "a license expression" + because);
            Assert.True(Value("readme") == "README.md", "readme" + because);
            Assert.False(string.IsNullOrWhiteSpace(Value("description")), "description" + because);

            var tags = (Value("tags") ?? string.Empty).Split(new[] { ' ', ';', ',' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var tag in new[] { "torchsharp", "roslyn", "analyzers", "pytorch" })
            {
                Assert.True(tags.Contains(tag, StringComparer.OrdinalIgnoreCase), $"tag '{tag}'" + because);
            }

            var repository = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository");
            Assert.True(repository is not null && (string?)repository.Attribute("type") == "git" && !string.IsNullOrWhiteSpace((string?)repository.Attribute("url")), "repository" + because);
            Assert.False(string.IsNullOrWhiteSpace(Value("projectUrl")), "projectUrl" + because);
        }

        [Fact]
        public async Task PackProject_TakesVersionAndLicenseFromDirectoryBuildProps()
        {
            var result = await DotnetCli.RunAsync(
                _fixture.RepositoryRoot,
                PackedPackageFixture.RestoreTimeout,
                "msbuild", _fixture.PackProjectPath, "-nologo",
                "-getProperty:TorchSharpAnalyzersVersion",
                "-getProperty:PackageVersion",
                "-getProperty:PackageId",
                "-getProperty:PackageLicenseExpression",
                "-getProperty:IncludeBuildOutput",
                "-getProperty:DevelopmentDependency",
                "-getProperty:SuppressDependenciesWhenPacking");
            Log(result);
            Assert.True(result.Succeeded, result.Describe());

            var json = result.Output.Substring(result.Output.IndexOf('{'));
            using var document = JsonDocument.Parse(json);
            var properties = document.RootElement.GetProperty("Properties");
            string Property(string name) => properties.GetProperty(name).GetString() ?? string.Empty;

            Assert.False(string.IsNullOrWhiteSpace(Property("TorchSharpAnalyzersVersion")), result.Describe());
            Assert.Equal(Property("TorchSharpAnalyzersVersion"), Property("PackageVersion"));
            Assert.Equal(PackedPackageFixture.PackageId, Property("PackageId"));
            Assert.False(string.IsNullOrWhiteSpace(Property("PackageLicenseExpression")), result.Describe());
            Assert.Equal("false", Property("IncludeBuildOutput"), ignoreCase: true);
            Assert.Equal("true", Property("DevelopmentDependency"), ignoreCase: true);
            Assert.Equal("true", Property("SuppressDependenciesWhenPacking"), ignoreCase: true);
        }

        [Fact]
        public async Task Pack_LeavesTheSourceTreeAsItFoundIt()
        {
            _fixture.EnsurePacked();
            var after = await _fixture.GitStatusAsync();
            if (_fixture.GitStatusBeforePack is null || after is null)
            {
                _output.WriteLine("git is not available here; the source-tree check was skipped.");
                return;
            }

            Assert.True(
                _fixture.GitStatusBeforePack == after,
                $"git status of {string.Join(", ", PackedPackageFixture.GitCheckedPaths)} changed during the pack." + Environment.NewLine
                + "before:" + Environment.NewLine + _fixture.GitStatusBeforePack + Environment.NewLine
                + "after:" + Environment.NewLine + after);

            var strayPackages = Directory.EnumerateFiles(_fixture.RepositoryRoot, "*.nupkg", SearchOption.AllDirectories)
                .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part == "bin" || part == "obj" || part == ".git"))
                .ToList();
            Assert.True(strayPackages.Count == 0, "Packages written into the source tree: " + string.Join(", ", strayPackages));
        }

        [Fact]
        public async Task Build_WarnsTorch006AtTheDiscardedNoGradCall()
        {
            var consumer = _fixture.CreateConsumer("build");

            var build = await consumer.BuildAsync();
            Log(build);

            Assert.True(build.Succeeded, "The consumer build failed." + Environment.NewLine + build.Describe());
            var findings = Findings(build.Output, "warning");
            Assert.True(findings.Count > 0, $"No 'warning {DiagnosticId}' in the build output." + Environment.NewLine + build.Describe());
            foreach (var finding in findings)
            {
                Assert.True(
                    PathsEqual(finding.Path, consumer.SourcePath) && finding.Line == consumer.ExpectedLine && finding.Column == consumer.ExpectedColumn,
                    $"Expected {DiagnosticId} at {consumer.SourcePath}({consumer.ExpectedLine},{consumer.ExpectedColumn}), found at {finding.Path}({finding.Line},{finding.Column})."
                    + Environment.NewLine + build.Describe());
            }
        }

        [Fact]
        public async Task BuildWithWarnAsError_FailsWithErrorTorch006()
        {
            var consumer = _fixture.CreateConsumer("warnaserror");

            var build = await consumer.BuildAsync("-warnaserror");
            Log(build);

            Assert.False(build.Succeeded, "The build succeeded although TORCH006 should be an error under -warnaserror." + Environment.NewLine + build.Describe());
            Assert.False(build.TimedOut, build.Describe());
            var findings = Findings(build.Output, "error");
            Assert.True(
                findings.Any(f => PathsEqual(f.Path, consumer.SourcePath) && f.Line == consumer.ExpectedLine && f.Column == consumer.ExpectedColumn),
                $"Expected 'error {DiagnosticId}' at {consumer.SourcePath}({consumer.ExpectedLine},{consumer.ExpectedColumn})." + Environment.NewLine + build.Describe());
        }

        [Fact]
        public async Task DotnetFormat_TurnsTheDiscardedScopeIntoAUsing_AndTheNextBuildIsClean()
        {
            var consumer = _fixture.CreateConsumer("format");
            var before = consumer.ReadSource();

            var format = await consumer.FormatAnalyzersAsync(DiagnosticId);
            Log(format);
            Assert.True(format.Succeeded, "dotnet format failed." + Environment.NewLine + format.Describe());

            var after = consumer.ReadSource();
            _output.WriteLine("--- source after format ---" + Environment.NewLine + after);
            var context = Environment.NewLine + "--- source after format ---" + Environment.NewLine + after + Environment.NewLine + format.Describe();
            Assert.True(before != after, "dotnet format did not change the source." + context);
            Assert.True(after.Contains("using var ", StringComparison.Ordinal), "The fixed source has no using declaration." + context);
            Assert.True(after.Contains("torch.no_grad()", StringComparison.Ordinal), "The fixed source lost the torch.no_grad() call." + context);
            Assert.True(
                !after.Split('\n').Any(line => line.Trim() == ConsumerProject.DiscardedScopeStatement),
                "The bare statement torch.no_grad(); is still there." + context);

            var build = await consumer.BuildAsync();
            Log(build);
            var buildContext = Environment.NewLine + "--- source ---" + Environment.NewLine + after + Environment.NewLine + build.Describe();
            Assert.True(build.Succeeded, "The fixed consumer does not build." + buildContext);
            Assert.True(!build.Output.Contains(DiagnosticId, StringComparison.Ordinal), $"{DiagnosticId} is still reported after the fix." + buildContext);
            Assert.True(!Regex.IsMatch(build.Output, @":\s*error\s+[A-Za-z]+\d+"), "The fixed consumer has errors." + buildContext);
        }

        private static List<(string Path, int Line, int Column)> Findings(string output, string severity)
        {
            // MSBuild's canonical form: /full/path/Predictor.cs(10,13): warning TORCH006: message [project]
            // (the location may also be written as (line,column,endLine,endColumn)).
            var pattern = @"^\s*(?<path>.*?" + Regex.Escape(ConsumerProject.SourceFileName) + @")\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\)\s*:\s*"
                          + severity + @"\s+" + DiagnosticId + @"\s*:";
            return Regex.Matches(output, pattern, RegexOptions.Multiline)
                .Select(m => (m.Groups["path"].Value.Trim(), int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
        }

        private static bool PathsEqual(string reported, string expected)
        {
            static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
            return string.Equals(Normalize(reported), Normalize(expected), StringComparison.Ordinal)
                   || string.Equals(ResolveLinks(Normalize(reported)), ResolveLinks(Normalize(expected)), StringComparison.Ordinal);
        }

        // Path.GetTempPath() may go through a symbolic link (e.g. /tmp -> /private/tmp on macOS).
        private static string ResolveLinks(string path)
        {
            var directory = new DirectoryInfo(Path.GetDirectoryName(path)!);
            var resolved = directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory.FullName;
            return Path.Combine(resolved, Path.GetFileName(path));
        }

        private static string ReadNuspec(string nupkg)
        {
            using var archive = ZipFile.OpenRead(nupkg);
            var entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/'));
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }

        private static (string Name, IReadOnlyList<string> References) ReadAssembly(ZipArchive archive, string entryName)
        {
            var entry = archive.GetEntry(entryName);
            Assert.True(entry is not null, $"{entryName} is missing from the package.");
            using var bytes = new MemoryStream();
            using (var stream = entry!.Open())
            {
                stream.CopyTo(bytes);
            }

            bytes.Position = 0;
            using var pe = new PEReader(bytes);
            Assert.True(pe.HasMetadata, $"{entryName} is not a .NET assembly.");
            var reader = pe.GetMetadataReader();
            var name = reader.GetString(reader.GetAssemblyDefinition().Name);
            var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
            return (name, references);
        }

        private void LogPack()
        {
            _output.WriteLine($"package {PackedPackageFixture.PackageId} {_fixture.Version}: {_fixture.NupkgPath}");
            _output.WriteLine($"fixture (restore + pack) took {_fixture.FixtureDuration.TotalSeconds:F1} s");
            if (_fixture.Restore is not null)
            {
                Log(_fixture.Restore);
            }

            if (_fixture.Pack is not null)
            {
                Log(_fixture.Pack);
            }
        }

        private void Log(ProcessResult result) => _output.WriteLine(result.Describe());
    }
}
