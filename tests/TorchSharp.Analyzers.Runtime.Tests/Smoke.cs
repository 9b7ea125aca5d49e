using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime.Tests
{
    public class Smoke
    {
        [Fact]
        public void Explore()
        {
            var lin = nn.Linear(3, 2);
            var bn = nn.BatchNorm1d(2);
            var dr = nn.Dropout(0.5);
            var seq = nn.Sequential(("lin", lin), ("bn", bn), ("dr", dr));
            Console.WriteLine($"types: {seq.GetType()} {lin.GetType()} {bn.GetType()} {dr.GetType()}");
            Console.WriteLine($"modules: {string.Join(",", System.Linq.Enumerable.Select(seq.modules(), m => m.GetType().Name))}");
            dr.eval();
            Console.WriteLine($"after dr.eval: {seq.training} {lin.training} {bn.training} {dr.training}");
            seq.train(true);
            Console.WriteLine($"after seq.train(true): {seq.training} {lin.training} {bn.training} {dr.training}");
            Console.WriteLine($"grad {torch.is_grad_enabled()} inf {torch.is_inference_mode_enabled()}");
            using (var im = torch.inference_mode()) {
                Console.WriteLine($"in inference_mode: grad {torch.is_grad_enabled()} inf {torch.is_inference_mode_enabled()} {im.GetType()}");
            }
            Console.WriteLine($"after: grad {torch.is_grad_enabled()} inf {torch.is_inference_mode_enabled()}");
            foreach (var m in typeof(nn.Module).GetMethods()) if (m.Name is "train" or "eval" or "modules") Console.WriteLine(m);
            Console.WriteLine(typeof(nn.Module).GetProperty("training")!.GetGetMethod()!.IsVirtual);
            Console.WriteLine(System.IO.File.ReadAllText("/proc/self/maps").Contains("libLibTorchSharp"));
            foreach (var line in System.IO.File.ReadAllLines("/proc/self/maps")) if (line.Contains("libLibTorchSharp")) { Console.WriteLine(line); break; }
        }
    }
}
