using System.Collections.Generic;

namespace TorchSharp.Analyzers.QualityTests.Infrastructure
{
    /// <summary>
    /// Sources whose calls are not all written with the callee's name, or not as calls at all: method groups and
    /// delegates, local functions, calls through <c>this.</c>, <c>base.</c>, an interface (explicitly implemented too),
    /// constructor chains (<c>: this(..)</c>, <c>: base(..)</c>, a primary-constructor base), type aliases, extension
    /// methods and names written with Unicode escapes. Where the text tier could miss a caller, the exhaustive run (which
    /// binds every call) sees it, so <see cref="ShortcutEquivalenceTests"/> compares both on each of them.
    /// </summary>
    internal static class IndirectCallSources
    {
        private const string Header = @"using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Net() : base(nameof(Net)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}
";

        /// <summary>One compilation each: a name and a whole file.</summary>
        public static IReadOnlyList<(string Name, string Code)> Single { get; } = new List<(string, string)>
        {
            ("constructor chained with this(..)", Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = model.call(x); }
    public Scorer(Net model) : this(model, torch.zeros(4)) { }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return new Scorer(m, x).Score; } }
}"),
            ("base constructor given a new module through base(..)", Header + @"
public abstract class Evaluator
{
    public Tensor Out;
    protected Evaluator(Net model, Tensor x) { using (torch.no_grad()) { Out = model.call(x); } }
}

public sealed class Mine : Evaluator
{
    public Mine(Tensor x) : base(new Net(), x) { }
}"),
            ("base constructor called by a primary-constructor base", Header + @"
public class Evaluator
{
    public Tensor Out;
    public Evaluator(Net model, Tensor x) { using (torch.no_grad()) { Out = model.call(x); } }
}

public sealed class Mine(Net model, Tensor x) : Evaluator(model, x);

public static class Use
{
    public static Tensor Run(Tensor x) => new Evaluator(new Net(), x).Out;
}"),
            ("constructor created through a using alias", @"using Sc = Scorer;
" + Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = model.call(x); }
}

public static class Use
{
    public static Tensor Protected(Net m, Tensor x) { using (torch.no_grad()) { return new Scorer(m, x).Score; } }
    public static Tensor Open(Net m, Tensor x) => new Sc(m, x).Score;
}"),
            ("method called only from a constructor that every caller protects", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Tensor Out;
    public Runner(Tensor x) { _model.eval(); Out = Infer(x); }
    private Tensor Infer(Tensor x) => _model.call(x);
}

public static class Use
{
    public static Tensor Run(Tensor x) { using (torch.no_grad()) { return new Runner(x).Out; } }
}"),
            ("explicit interface implementation called through the interface", Header + @"
public interface IPredictor { Tensor Predict(Tensor x); }

public sealed class Predictor : IPredictor
{
    private readonly Net _model = new Net();
    public Predictor() { _model.eval(); }
    Tensor IPredictor.Predict(Tensor x) => _model.call(x);
}

public static class Use
{
    public static Tensor Run(IPredictor p, Tensor x) { using (torch.no_grad()) { return p.Predict(x); } }
}"),
            ("implicit interface implementation called through the interface", Header + @"
public interface IPredictor { Tensor Predict(Tensor x); }

public sealed class Predictor : IPredictor
{
    private readonly Net _model = new Net();
    public Predictor() { _model.eval(); }
    public Tensor Predict(Tensor x) => _model.call(x);
}

public static class Use
{
    public static Tensor Run(IPredictor p, Tensor x) { using (torch.no_grad()) { return p.Predict(x); } }
}"),
            ("generic interface implementation called through the interface", Header + @"
public interface IModel<T> { T Predict(T x); }

public sealed class Predictor : IModel<Tensor>
{
    private readonly Net _model = new Net();
    public Predictor() { _model.eval(); }
    public Tensor Predict(Tensor x) => _model.call(x);
}

public static class Use
{
    public static Tensor Run(IModel<Tensor> p, Tensor x) { using (torch.no_grad()) { return p.Predict(x); } }
}"),
            ("override called through base. and this.", Header + @"
public class BaseRunner
{
    public virtual Tensor Predict(Net m, Tensor x) { m.eval(); return m.call(x); }
}

public sealed class Derived : BaseRunner
{
    public override Tensor Predict(Net m, Tensor x) { m.eval(); return m.call(x); }
    public Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return base.Predict(m, x); } }
    public Tensor RunThis(Net m, Tensor x) { using (torch.no_grad()) { return this.Predict(m, x); } }
}"),
            ("extension method called in its reduced form", Header + @"
public static class NetExtensions
{
    public static Tensor Score(this Net model, Tensor x) { model.eval(); return model.call(x); }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return m.Score(x); } }
}"),
            ("method group as an argument and as a returned delegate", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => _model.call(x);
    public List<Tensor> All(List<Tensor> xs) { using (torch.no_grad()) { return xs.Select(Predict).ToList(); } }
    public Func<Tensor, Tensor> Get() => Predict;
}"),
            ("method group as an argument and in a delegate variable", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => _model.call(x);
    public List<Tensor> All(List<Tensor> xs) { using (torch.no_grad()) { return xs.Select(this.Predict).ToList(); } }
    public Tensor One(Tensor x) { Func<Tensor, Tensor> f = Predict; return f(x); }
}"),
            ("method group in an explicit delegate creation and a conditional", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => _model.call(x);
    private Tensor Identity(Tensor x) => x;
    public List<Tensor> All(List<Tensor> xs) { using (torch.no_grad()) { return xs.Select(new Func<Tensor, Tensor>(Predict)).ToList(); } }
    public Func<Tensor, Tensor> Pick(bool fast) => fast ? Identity : Predict;
}"),
            ("method passed as a delegate to a helper that calls it", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => _model.call(x);
    private static Tensor Apply(Func<Tensor, Tensor> f, Tensor x) => f(x);
    public Tensor Run(Tensor x) { using (torch.no_grad()) { return Apply(Predict, x); } }
}"),
            ("local function used as a method group and called", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public List<Tensor> All(List<Tensor> xs)
    {
        _model.eval();
        Tensor Infer(Tensor x) => _model.call(x);
        using (torch.no_grad())
        {
            var first = Infer(xs[0]);
            return xs.Select(Infer).Append(first).ToList();
        }
    }
}"),
            ("forward as a method group", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public List<Tensor> All(List<Tensor> xs) { Func<Tensor, Tensor> f = _model.forward; return xs.Select(f).ToList(); }
}"),
            ("names written with Unicode escapes", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Runner() { _model.eval(); }
    public Tensor Predict(Tensor x) => _model.call(x);
    public Tensor Run(Tensor x) { using (torch.no_grad()) { return Pr\u0065dict(x); } }
}"),
            ("a forward pass written with a Unicode escape", Header + @"
public static class Use
{
    public static Tensor Run(Tensor x)
    {
        var model = new Net();
        using (torch.no_grad()) { return model.c\u0061ll(x); }
    }
}"),
            ("a method group written with a Unicode escape", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    private Tensor Predict(Tensor x) => _model.call(x);
    public List<Tensor> All(List<Tensor> xs) { using (torch.no_grad()) { return xs.Select(Predict).ToList(); } }
    public Func<Tensor, Tensor> Get() => Pr\u0065dict;
}"),
            ("a field's mode changed through a name written with a Unicode escape", Header + @"
public sealed class Runner
{
    private readonly Net _model = new Net();
    public Runner() { _model.eval(); }
    public Tensor Infer(Tensor x) => _model.call(x);
    public void Train() { _m\u006fdel.train(); }
}"),
            ("requires_grad written with a Unicode escape", Header + @"
public static class Training
{
    public static void Run()
    {
        var model = new Net();
        foreach (var p in model.parameters()) { p.requires\u005fgrad = false; }
        var optimizer = torch.optim.Adam(model.parameters());
        optimizer.step();
    }
}"),
            ("a helper that writes requires_grad with a Unicode escape", Header + @"
public static class Training
{
    private static void Freeze(Net m) { foreach (var p in m.parameters()) { p.requires\u005fgrad = false; } }
    public static void Run()
    {
        var model = new Net();
        Freeze(model);
        var optimizer = torch.optim.Adam(model.parameters());
        optimizer.step();
    }
}"),
            ("forward called with a Unicode escape", Header + @"
public static class Use
{
    public static Tensor Run(Net model, Tensor x) => model.f\u006frward(x);
}"),
            ("a hook registered with a Unicode escape", Header + @"
public static class Use
{
    public static Tensor Run(Net model, Tensor x)
    {
        model.register_forward_h\u006fok((m, input, output) => output);
        return model.forward(x);
    }
}"),
            ("a root created with a class name written with a Unicode escape", Header + @"
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Block() : base(nameof(Block)) { }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}

public static class App
{
    public static void Main() { var b = new Bl\u006fck(); b.eval(); }
}"),
            ("module created through a using alias and used as a root", @"using B = Block;
" + Header + @"
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Block() : base(nameof(Block)) { }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}

public static class App
{
    public static void Main() { var b = new B(); b.eval(); }
}"),
        };

        /// <summary>One compilation of several files each: a name and its files.</summary>
        public static IReadOnlyList<(string Name, IReadOnlyList<string> Files)> Multiple { get; } = new List<(string, IReadOnlyList<string>)>
        {
            ("a new() given to a method declared in another file, which uses it as a root", new[]
            {
                Header + @"
public sealed class Block : nn.Module<Tensor, Tensor>
{
    private readonly Linear _fc = nn.Linear(4, 4);
    private readonly Dropout _drop = nn.Dropout(0.5);
    public Block() : base(nameof(Block)) { }
    public override Tensor forward(Tensor x) => _drop.call(_fc.call(x));
}

public static class Trainer
{
    public static void Prepare(Block block) { block.eval(); }
}",
                @"public static class App
{
    public static void Main() { Trainer.Prepare(new()); }
}",
            }),
            ("callers of a constructor in another file, one through an alias", new[]
            {
                Header + @"
public sealed class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = model.call(x); }
}

public static class Use
{
    public static Tensor Protected(Net m, Tensor x) { using (torch.no_grad()) { return new Scorer(m, x).Score; } }
}",
                @"using Sc = Scorer;
using TorchSharp;
using static TorchSharp.torch;

public static class Other
{
    public static Tensor Open(Net m, Tensor x) => new Sc(m, x).Score;
}",
            }),
            ("a constructor's callers of every kind in two files, some protected: the calls named in the same order", new[]
            {
                Header + @"
public class Scorer
{
    public Tensor Score;
    public Scorer(Net model, Tensor x) { model.eval(); Score = model.call(x); }
    public Scorer(Net model) : this(model, torch.zeros(4)) { }
}

public sealed class Special : Scorer
{
    public Special(Net model, Tensor x) : base(model, x) { }
}

public static class Use
{
    public static Tensor Protected(Net m, Tensor x) { using (torch.no_grad()) { Scorer s = new(m, x); return s.Score; } }
    public static Tensor Open(Net m, Tensor x) { Scorer s = new(m, x); return s.Score; }
}",
                @"using TorchSharp;
using static TorchSharp.torch;

public static class Other
{
    public static Tensor Named(Net m, Tensor x) => new Scorer(m, x).Score;
    public static Tensor Guarded(Net m, Tensor x) { using (torch.no_grad()) { return new Special(m, x).Score; } }
}",
            }),
            ("a virtual method's callers through the base, the override and an interface, in two files", new[]
            {
                Header + @"
public interface IRunner { Tensor Apply(Net m, Tensor x); }

public class BaseRunner : IRunner
{
    public virtual Tensor Apply(Net m, Tensor x) => x;
}

public sealed class Derived : BaseRunner
{
    public override Tensor Apply(Net m, Tensor x) { m.eval(); return m.call(x); }
}

public static class Use
{
    public static Tensor ThroughBase(BaseRunner r, Net m, Tensor x) { using (torch.no_grad()) { return r.Apply(m, x); } }
    public static Tensor ThroughDerived(Derived r, Net m, Tensor x) => r.Apply(m, x);
}",
                @"using TorchSharp;
using static TorchSharp.torch;

public static class Other
{
    public static Tensor ThroughInterface(IRunner r, Net m, Tensor x) => r.Apply(m, x);
    public static Tensor Guarded(IRunner r, Net m, Tensor x) { using (torch.no_grad()) { return r.Apply(m, x); } }
}",
            }),
        };
    }
}
