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
