namespace TorchSharp.Analyzers.Cli.Tests
{
    /// <summary>Small sources for the loose-folder tests.</summary>
    internal static class Sources
    {
        /// <summary>One TORCH001: a module trained, then used for inference without eval().</summary>
        public const string MissingEval = @"
using TorchSharp;
using static TorchSharp.torch;

namespace Loose
{
    public static class Runner
    {
        public static Tensor Run(Tensor input)
        {
            var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 2));
            using (torch.no_grad())
            {
                return model.call(input);
            }
        }
    }
}
";

        /// <summary>One TORCH001, in code that compiles only with the SDK's implicit global usings (List, Task, File, Enumerable).</summary>
        public const string MissingEvalWithoutUsings = @"
using TorchSharp;
using static TorchSharp.torch;

namespace Loose
{
    public static class Runner
    {
        public static async Task<Tensor> Run(Tensor input)
        {
            var lines = new List<string>(await File.ReadAllLinesAsync(""x.txt""));
            var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, lines.Count()));
            using (torch.no_grad())
            {
                return model.call(input);
            }
        }
    }
}
";

        /// <summary>A project file that enables the SDK's implicit global usings.</summary>
        public const string ImplicitUsingsProject = @"<Project Sdk=""Microsoft.NET.Sdk"">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
</Project>
";

        /// <summary>Correct code: eval() and no_grad().</summary>
        public const string Correct = @"
using TorchSharp;
using static TorchSharp.torch;

namespace Loose
{
    public static class Good
    {
        public static Tensor Run(Tensor input)
        {
            var model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 2));
            model.eval();
            using (torch.no_grad())
            {
                return model.call(input);
            }
        }
    }
}
";
    }
}
