using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    /// <summary>
    /// TorchSharp runs natively on this machine. On Debian 12 that only holds because the build patched the output
    /// copy of libLibTorchSharp.so (build/LibTorchSharp.Debian12.targets), so these tests are also that patch's
    /// end-to-end check.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class NativeTorchSharpTests
    {
        [Theory]
        [InlineData("SGD")]
        [InlineData("Adam")]
        public void ForwardBackwardAndAnOptimizerStepRun(string optimizerName)
        {
            torch.manual_seed(42);
            var linear = nn.Linear(3, 2);
            var input = torch.randn(5, 3);

            var output = linear.call(input);
            Assert.Equal(new long[] { 5, 2 }, output.shape);

            var loss = output.pow(2).mean();
            loss.backward();
            var gradient = linear.weight!.grad;
            Assert.NotNull(gradient);
            Assert.True(gradient!.abs().sum().item<float>() > 0f, "backward() produced an all-zero gradient");

            var before = linear.weight.detach().clone();
            optim.Optimizer optimizer = optimizerName == "SGD"
                ? optim.SGD(linear.parameters(), 0.1)
                : optim.Adam(linear.parameters(), 0.01);
            optimizer.step();

            Assert.False(Tensors.Identical(before, linear.weight.detach()), $"{optimizerName}.step() left the weights unchanged");
        }

        [Fact]
        public void TheLoadedNativeLibraryIsTheBuildOutputCopy()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return; // /proc/self/maps and the GLIBCXX patch are Linux-only.
            }

            using (var warmUp = torch.ones(1))
            {
                Assert.Equal(1f, warmUp.sum().item<float>());
            }

            string? loaded = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && fields[5].EndsWith("/libLibTorchSharp.so", StringComparison.Ordinal))
                .Select(fields => fields[5])
                .FirstOrDefault();

            Assert.NotNull(loaded);
            Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), loaded, StringComparison.Ordinal);

            // Where the system lacks the version, the copy that loaded must carry the weak flag the build set.
            if (!LibStdCxxProbe.SystemProvides("GLIBCXX_3.4.32", out _))
            {
                var entries = ElfVersionNeedPatcher.FindEntries(File.ReadAllBytes(loaded!), "GLIBCXX_3.4.32");
                Assert.Single(entries);
                Assert.True(entries[0].IsWeak);
            }
        }
    }
}
