using System;
using System.IO;
using System.Security;
using System.Threading.Tasks;

namespace TorchSharp.Analyzers.PackageTests
{
    /// <summary>
    /// A throw-away TorchSharp project in a temporary folder that installs the packed analyzer package
    /// the way a user does: a PackageReference to TorchSharp.Analyzers (this run's unique version, from a
    /// local feed added next to the user's sources) and to TorchSharp. Its one source file makes the
    /// TORCH006 mistake: the IDisposable of `torch.no_grad()` is discarded.
    /// </summary>
    public sealed class ConsumerProject
    {
        public const string ProjectFileName = "PackageConsumer.csproj";
        public const string SourceFileName = "Predictor.cs";

        /// <summary>The statement whose scope is never disposed.</summary>
        public const string DiscardedScopeStatement = "torch.no_grad();";

        public const string Source =
@"using TorchSharp;
using static TorchSharp.torch;

namespace PackageConsumer
{
    public static class Predictor
    {
        public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor x)
        {
            torch.no_grad();
            return model.call(x);
        }
    }
}
";

        private readonly Action<string> _afterRestore;

        private ConsumerProject(string directory, Action<string> afterRestore)
        {
            Directory = directory;
            ProjectPath = Path.Combine(directory, ProjectFileName);
            SourcePath = Path.Combine(directory, SourceFileName);
            _afterRestore = afterRestore;

            // 1-based line and column of `torch.no_grad()`, where the compiler reports TORCH006.
            var lines = Source.Replace("\r\n", "\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var column = lines[i].IndexOf(DiscardedScopeStatement, StringComparison.Ordinal);
                if (column >= 0)
                {
                    ExpectedLine = i + 1;
                    ExpectedColumn = column + 1;
                    break;
                }
            }
        }

        public string Directory { get; }

        public string ProjectPath { get; }

        public string SourcePath { get; }

        public int ExpectedLine { get; }

        public int ExpectedColumn { get; }

        public static ConsumerProject Create(string directory, string feedDirectory, string packageId, string packageVersion, string torchSharpVersion, Action<string> afterRestore)
        {
            System.IO.Directory.CreateDirectory(directory);

            // Stop MSBuild's and NuGet's upward search at this folder: nothing from wherever the
            // temporary folder lives may leak into the consumer.
            File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
            File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
            File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

            // The local feed is added to the user's sources (no <clear />): TorchSharp and the
            // reference packs come from the usual registry and the usual global packages folder.
            File.WriteAllText(
                Path.Combine(directory, "nuget.config"),
$@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <add key=""torchsharp-analyzers-e2e"" value=""{SecurityElement.Escape(feedDirectory)}"" />
  </packageSources>
</configuration>
");

            File.WriteAllText(
                Path.Combine(directory, ProjectFileName),
$@"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <OutputType>Library</OutputType>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <LangVersion>latest</LangVersion>
    <!-- Only TORCH006 is under test: no vulnerability look-ups, and no NU1603 when the registry at hand
         serves a newer patch of a TorchSharp dependency than the one it asks for (it would fail -warnaserror). -->
    <NuGetAudit>false</NuGetAudit>
    <NoWarn>$(NoWarn);NU1603</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=""TorchSharp"" Version=""{SecurityElement.Escape(torchSharpVersion)}"" />
    <PackageReference Include=""{SecurityElement.Escape(packageId)}"" Version=""{SecurityElement.Escape(packageVersion)}"" />
  </ItemGroup>
</Project>
");

            File.WriteAllText(Path.Combine(directory, SourceFileName), Source);
            return new ConsumerProject(directory, afterRestore);
        }

        /// <summary>`dotnet build`, always a full rebuild (analyzer diagnostics appear only when the compiler runs).</summary>
        public async Task<ProcessResult> BuildAsync(params string[] extraArguments)
        {
            var arguments = new System.Collections.Generic.List<string>
            {
                "build", ProjectPath, "--no-incremental", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            };
            arguments.AddRange(extraArguments);
            var result = await DotnetCli.RunAsync(Directory, PackedPackageFixture.ConsumerTimeout, arguments.ToArray()).ConfigureAwait(false);
            _afterRestore(Directory);
            return result;
        }

        /// <summary>`dotnet format analyzers` limited to one diagnostic id.</summary>
        public async Task<ProcessResult> FormatAnalyzersAsync(string diagnosticId)
        {
            var result = await DotnetCli.RunAsync(
                Directory,
                PackedPackageFixture.ConsumerTimeout,
                "format", "analyzers", ProjectPath,
                "--diagnostics", diagnosticId,
                "--severity", "warn",
                "--verbosity", "detailed").ConfigureAwait(false);
            _afterRestore(Directory);
            return result;
        }

        public string ReadSource() => File.ReadAllText(SourcePath);
    }
}
