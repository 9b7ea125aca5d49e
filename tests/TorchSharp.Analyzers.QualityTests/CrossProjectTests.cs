using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TorchSharp.Analyzers.QualityTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>
    /// Nothing throws in a solution of several projects (issue 13, item 3): every corpus source is split at each boundary
    /// between its types into a library and a consumer that references it as a compilation, as IDEs do; every analyzer runs
    /// over the consumer, and every fix offered there (and Fix All) runs in a two-project workspace.
    /// </summary>
    public class CrossProjectTests
    {
        /// <summary>The splits run in this many theory cases, each in parallel inside.</summary>
        private const int Batches = 4;

        private readonly ITestOutputHelper _output;

        public CrossProjectTests(ITestOutputHelper output) => _output = output;

        public static TheoryData<int> SplitBatches()
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < Batches; i++)
            {
                data.Add(i);
            }

            return data;
        }


        /// <summary>A library of modules, helpers and a predictor, written for this test; the consumer calls into every kind of it.</summary>
        internal const string Library = @"
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Lib
{
    public class Net : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc = nn.Linear(4, 4);
        private readonly Dropout _drop = nn.Dropout(0.5);
        public Net() : base(nameof(Net)) { RegisterComponents(); }
        public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
    }

    public class Bare : nn.Module<Tensor, Tensor>
    {
        protected readonly Linear Fc = nn.Linear(4, 4);
        public Bare() : base(nameof(Bare)) { }
        public Bare(Net inner) : base(nameof(Bare)) { inner.eval(); }
        public override Tensor forward(Tensor x) => Fc.call(x);
    }

    public static class Helpers
    {
        public static void Prepare(nn.Module module) { module.eval(); }
        public static void Resume(nn.Module module) { module.train(); }
        public static IDisposable NoGrad() => torch.no_grad();
        public static IDisposable Grad(bool training) => training ? torch.enable_grad() : torch.no_grad();
        public static void Freeze(nn.Module module) { foreach (var p in module.parameters()) p.requires_grad = false; }
        public static void Unfreeze(nn.Module module) { foreach (var p in module.parameters()) p.requires_grad = true; }
        public static Tensor Run(Net module, Tensor x) => module.call(x);
        public static Tensor Predict(Net module, Tensor x) => module.call(x);
        public static void Step(Net module, Tensor x) { module.call(x).sum().backward(); }
    }

    public class Predictor
    {
        public readonly Net Model;
        public Predictor(Net model) { Model = model; model.eval(); }
        public Tensor Predict(Tensor x) { using (torch.no_grad()) return Model.call(x); }
    }
}";

        /// <summary>Code that uses every kind of <see cref="Library"/> member with a module, a scope or a freeze.</summary>
        internal const string Consumer = @"
using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Lib;

class C
{
    private readonly Net _net = new Net();
    private readonly Predictor _predictor = new Predictor(new Net());

    Tensor Prepared(Tensor x) { var m = new Net(); Helpers.Prepare(m); using (torch.no_grad()) return m.call(x); }
    Tensor Scoped(Tensor x) { var m = new Net(); m.eval(); using (Helpers.NoGrad()) return m.call(x); }
    Tensor Conditional(Tensor x, bool training) { var m = new Net(); m.eval(); using (Helpers.Grad(training)) return m.call(x); }
    void Frozen() { var m = new Net(); Helpers.Freeze(m); var opt = torch.optim.Adam(m.parameters()); opt.step(); }
    void Unfrozen() { var m = new Net(); var opt = torch.optim.Adam(m.parameters().Where(p => p.requires_grad)); Helpers.Unfreeze(m); opt.step(); }
    Tensor Field(Tensor x) { using (torch.no_grad()) return _predictor.Model.call(x); }
    Tensor Predict(Tensor x) { _net.eval(); return Helpers.Run(_net, x); }
    Tensor Evaluate(Tensor x) { var m = new Net(); Helpers.Prepare(m); return Helpers.Predict(m, x); }
    void Train(Tensor x) { var m = new Net(); m.eval(); Helpers.Step(m, x); Helpers.Resume(m); m.call(x).sum().backward(); }
    void Backward(Tensor x) { var m = new Net(); using (Helpers.NoGrad()) { m.call(x).sum().backward(); } }
    void Discarded() { Helpers.NoGrad(); torch.no_grad(); }
    Tensor Construct(Tensor x) { var inner = new Net(); var outer = new Bare(inner); using (torch.no_grad()) return inner.call(x); }
    Func<Tensor, Tensor> Lambda() => x => { var m = new Net(); Helpers.Prepare(m); using (torch.no_grad()) return m.call(x); };
}

class Derived : Bare
{
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Derived() : base() { }
    public override Tensor forward(Tensor x) => _drop.call(Fc.call(x));
}

class Holder : nn.Module<Tensor, Tensor>
{
    private readonly Net _inner = new Net();
    private readonly Bare _bare;
    public Holder() : base(nameof(Holder)) { RegisterComponents(); _bare = new Derived(); }
    public override Tensor forward(Tensor x) => _bare.call(_inner.call(x));
}";

        [Fact]
        public async Task HandWrittenSolution_NoAnalyzerOrFixThrows()
        {
            var split = new ProjectSplit("hand-written", Library, Consumer);
            var (library, consumer) = ProjectSplits.Compile(split);
            Assert.Empty(Compilations.Errors(library));
            Assert.Empty(Compilations.Errors(consumer));
            var result = await Analysis.RunAsync(consumer, concurrent: true);
            Assert.True(result.Exceptions.IsEmpty, "an analyzer threw:" + Environment.NewLine + string.Join(Environment.NewLine, result.Exceptions));
            _output.WriteLine(Compilations.Describe(result.Ours, max: 40));

            var document = Fixes.CreateConsumerDocument(split);
            var analyzed = await Fixes.AnalyzeAsync(document.Project);
            Assert.True(analyzed.Exceptions.IsEmpty, "an analyzer threw in the workspace:" + Environment.NewLine + string.Join(Environment.NewLine, analyzed.Exceptions));
            var problems = await FixRobustness.RunAsync(document, analyzed.Diagnostics, maxDiagnostics: 40);
            Assert.True(problems.Count == 0, "a code fix threw:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        [Theory]
        [MemberData(nameof(SplitBatches))]
        public void SplitIntoTwoProjects_NoAnalyzerOrFixThrows(int batch)
        {
            var splits = Corpus.All.SelectMany(ProjectSplits.Of).Where((_, index) => index % Batches == batch).ToList();
            var failures = new ConcurrentQueue<string>();
            var withDiagnostics = 0;
            var fixedSplits = 0;
            var stopwatch = Stopwatch.StartNew();
            Parallel.ForEach(splits, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, split =>
            {
                try
                {
                    var (_, consumer) = ProjectSplits.Compile(split);
                    var result = Analysis.Run(consumer, concurrent: false);
                    if (!result.Exceptions.IsEmpty)
                    {
                        failures.Enqueue($"{split.Name}: an analyzer threw:{Environment.NewLine}{string.Join(Environment.NewLine, result.Exceptions)}");
                        return;
                    }

                    if (result.Ours.Any() && Interlocked.Increment(ref withDiagnostics) % 4 == 0)
                    {
                        Interlocked.Increment(ref fixedSplits);
                        var document = Fixes.CreateConsumerDocument(split);
                        var analyzed = Fixes.AnalyzeAsync(document.Project).GetAwaiter().GetResult();
                        if (!analyzed.Exceptions.IsEmpty)
                        {
                            failures.Enqueue($"{split.Name} (workspace): an analyzer threw:{Environment.NewLine}{string.Join(Environment.NewLine, analyzed.Exceptions)}");
                        }

                        foreach (var problem in FixRobustness.RunAsync(document, analyzed.Diagnostics, maxDiagnostics: 4).GetAwaiter().GetResult())
                        {
                            failures.Enqueue($"{split.Name}: {problem}");
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{split.Name}: {e}");
                }
            });

            _output.WriteLine($"batch {batch}: {splits.Count} splits, {withDiagnostics} with diagnostics, fixes run on {fixedSplits}, {stopwatch.ElapsedMilliseconds} ms");
            Assert.True(failures.IsEmpty, $"{failures.Count} failures; first ones:{Environment.NewLine}{string.Join(Environment.NewLine + Environment.NewLine, failures.Take(5))}");
            Assert.True(splits.Count > 50, $"batch {batch} has only {splits.Count} splits; the splitter is broken");

        }
    }
}
