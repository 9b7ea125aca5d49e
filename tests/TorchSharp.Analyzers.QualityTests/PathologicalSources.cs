using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TorchSharp.Analyzers.QualityTests
{
    /// <summary>Code shaped to break flow analyses: deep nesting, huge methods, recursion, goto, unsafe, iterators, async, partial and generic modules, incomplete code.</summary>
    internal static class PathologicalSources
    {
        private const string Usings = @"using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
";

        private const string Net = @"
public sealed class Net : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc = nn.Linear(4, 4);
    private readonly Dropout drop = nn.Dropout(0.5);
    public Net() : base(nameof(Net)) => RegisterComponents();
    public override Tensor forward(Tensor x) => drop.call(fc.call(x));
}
";

        /// <summary>Name and files of each case.</summary>
        public static IEnumerable<(string Name, string[] Files)> All()
        {
            yield return ("deep nesting of ifs, loops and using scopes", new[] { Usings + Net + DeepNesting(150) });
            yield return ("deeply nested lambdas", new[] { Usings + Net + NestedLambdas(60) });
            yield return ("a huge method (4,000 statements)", new[] { Usings + Net + HugeMethod(4000) });
            yield return ("a long else-if chain (1,500 branches)", new[] { Usings + Net + ElseIfChain(1500) });
            yield return ("a deep binary expression", new[] { Usings + Net + DeepExpression(2000) });
            yield return ("many modules in one method (300 locals)", new[] { Usings + Net + ManyModules(300) });
            yield return ("recursion between helpers that take the module", new[] { Usings + Net + Recursion });
            yield return ("goto loops and labels", new[] { Usings + Net + Goto });
            yield return ("unsafe code", new[] { Usings + Net + Unsafe });
            yield return ("iterators", new[] { Usings + Net + Iterators });
            yield return ("async methods", new[] { Usings + Net + Async });
            yield return ("partial module classes in two files", new[] { Usings + PartialA, Usings + PartialB });
            yield return ("generics over modules", new[] { Usings + Net + Generics });
            yield return ("cycles in types and constructors (compile errors)", new[] { Usings + Cycles });
            yield return ("exceptions, finally and switch", new[] { Usings + Net + Exceptions });
            yield return ("incomplete code", new[] { Usings + Net + Incomplete });
            yield return ("incomplete module class", new[] { Usings + IncompleteModule });
            yield return ("top-level statements", new[] { Usings + TopLevel + Net });
            yield return ("only garbage", new[] { "}}}{{{ class ( using static ; torch.no_grad( model.call(" });
            yield return ("empty file", new[] { string.Empty });
        }

        private static string DeepNesting(int depth)
        {
            var b = new StringBuilder("class Deep\n{\n    Tensor Run(Net model, Tensor x, int n)\n    {\n");
            for (var i = 0; i < depth; i++)
            {
                b.Append((i % 5) switch
                {
                    0 => "if (n > " + i + ") {\n",
                    1 => "for (var i" + i + " = 0; i" + i + " < n; i" + i + "++) {\n",
                    2 => "using (torch.no_grad()) {\n",
                    3 => "while (n-- > 0) { model.eval();\n",
                    _ => "try { model.train();\n",
                });
                b.Append("x = model.call(x);\n");
            }

            for (var i = depth - 1; i >= 0; i--)
            {
                b.Append(i % 5 == 4 ? "} finally { x.backward(); }\n" : "}\n");
            }

            return b.Append("return model.call(x);\n    }\n}\n").ToString();
        }

        private static string NestedLambdas(int depth)
        {
            var b = new StringBuilder("class Lambdas\n{\n    void Run(Net model, Tensor x)\n    {\n        Func<Tensor, Tensor> f0 = t => model.call(t);\n");
            for (var i = 1; i < depth; i++)
            {
                b.Append($"        Func<Tensor, Tensor> f{i} = t => {{ using (torch.no_grad()) {{ model.eval(); return f{i - 1}(model.call(t)); }} }};\n");
            }

            return b.Append($"        f{depth - 1}(x).backward();\n    }}\n}}\n").ToString();
        }

        private static string HugeMethod(int statements)
        {
            var b = new StringBuilder("class Huge\n{\n    void Run(Tensor x, int n)\n    {\n        var model = new Net();\n        var optimizer = optim.Adam(model.parameters());\n");
            for (var i = 0; i < statements; i++)
            {
                b.Append((i % 8) switch
                {
                    0 => "        model.eval();\n",
                    1 => "        using (torch.no_grad()) { x = model.call(x); }\n",
                    2 => "        model.train();\n",
                    3 => "        var l" + i + " = model.call(x).sum(); l" + i + ".backward();\n",
                    4 => "        optimizer.step();\n",
                    5 => "        if (n > " + i + ") model.eval(); else model.train();\n",
                    6 => "        x = model.call(x);\n",
                    _ => "        foreach (var p in model.parameters()) p.requires_grad = " + (i % 16 == 7 ? "false" : "true") + ";\n",
                });
            }

            return b.Append("    }\n}\n").ToString();
        }

        private static string ElseIfChain(int branches)
        {
            var b = new StringBuilder("class Chain\n{\n    Tensor Run(Net model, Tensor x, int n)\n    {\n        if (n == 0) model.eval();\n");
            for (var i = 1; i < branches; i++)
            {
                b.Append($"        else if (n == {i}) {{ {(i % 2 == 0 ? "model.eval();" : "model.train();")} x = model.call(x); }}\n");
            }

            return b.Append("        using var scope = torch.no_grad();\n        return model.call(x);\n    }\n}\n").ToString();
        }

        private static string DeepExpression(int terms)
            => "class Expr\n{\n    Tensor Run(Net model, Tensor x)\n    {\n        using var g = torch.no_grad();\n        return "
               + string.Join(" + ", Enumerable.Range(0, terms).Select(i => i % 50 == 0 ? "model.call(x)" : "x"))
               + ";\n    }\n}\n";

        private static string ManyModules(int count)
        {
            var b = new StringBuilder("class Many\n{\n    void Run(Tensor x)\n    {\n");
            for (var i = 0; i < count; i++)
            {
                b.Append($"        var m{i} = new Net(); if (x.numel() > {i}) m{i}.eval(); var o{i} = optim.SGD(m{i}.parameters(), 0.1);\n");
                b.Append($"        using (torch.no_grad()) {{ x = m{i}.call(x); }}\n");
            }

            return b.Append("    }\n}\n").ToString();
        }

        private const string Recursion = @"
class Recursion
{
    static void A(Net model, int n) { if (n > 0) { model.eval(); B(model, n - 1); } else { model.train(); } }
    static void B(Net model, int n) { if (n > 0) { A(model, n - 1); } C(model); }
    static void C(Net model) { A(model, 3); }
    static Tensor Self(Net model, Tensor x) => Self(model, model.call(x));
    static Net Make() => Make();
    Tensor Predict(Tensor x)
    {
        var model = new Net();
        A(model, 10);
        using (torch.no_grad()) { return Self(model, model.call(x)); }
    }
    Tensor PredictFresh(Tensor x) { var m = Make(); A(m, 1); return m.call(x); }
}
";

        private const string Goto = @"
class Goto
{
    Tensor Predict(Net model, Tensor x, int n)
    {
        var scope = torch.no_grad();
    again:
        if (n-- > 0) { model.eval(); goto middle; }
        model.train();
    middle:
        x = model.call(x);
        if (n > 3) goto again;
        if (n > 1) goto end;
        scope.Dispose();
        x.backward();
    end:
        switch (n) { case 1: goto case 2; case 2: model.eval(); goto default; default: break; }
        return model.call(x);
    }
}
";

        private const string Unsafe = @"
unsafe class Unsafe
{
    private readonly Net _model = new Net();
    unsafe Tensor Predict(Tensor x, int* p, float[] data)
    {
        fixed (float* f = data)
        {
            *p = (int)*f;
            var q = stackalloc int[4];
            q[0] = *p;
            using (torch.no_grad()) { return _model.call(x); }
        }
    }
    delegate*<Net, Tensor, Tensor> Pointer() => &Call;
    static Tensor Call(Net m, Tensor x) => m.call(x);
}
";

        private const string Iterators = @"
class Iterators
{
    IEnumerable<Tensor> Predict(Net model, IEnumerable<Tensor> batches)
    {
        using var scope = torch.no_grad();
        foreach (var b in batches) { yield return model.call(b); model.train(); }
        model.eval();
        yield break;
    }
    IEnumerable<Tensor> Train(Net model, IEnumerable<Tensor> batches)
    {
        var opt = optim.Adam(model.parameters());
        foreach (var b in batches) { var l = model.call(b).sum(); l.backward(); opt.step(); yield return l; }
    }
    async IAsyncEnumerable<Tensor> PredictAsync(Net model, Tensor x) { await Task.Yield(); torch.no_grad(); yield return model.call(x); }
}
";

        private const string Async = @"
class Async
{
    async Task<Tensor> PredictAsync(Net model, Tensor x)
    {
        model.eval();
        await Task.Delay(1);
        using (torch.no_grad())
        {
            await Task.Yield();
            return model.call(x);
        }
    }
    async Task TrainAsync(Net model, Tensor x)
    {
        var opt = optim.SGD(model.parameters(), 0.1);
        for (var i = 0; i < 3; i++)
        {
            await Task.Yield();
            var loss = model.call(x).sum();
            loss.backward();
            opt.step();
            model.eval();
        }
        Func<Task> f = async () => { using var s = torch.inference_mode(); await Task.Yield(); model.call(x); };
        await f();
    }
}
";

        private const string PartialA = @"
public partial class PartialNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc = nn.Linear(4, 4);
    private Dropout drop;
    public PartialNet() : base(nameof(PartialNet)) { drop = nn.Dropout(0.1); Init(); }
    partial void Init();
}
";

        private const string PartialB = @"
public partial class PartialNet
{
    private readonly List<Linear> heads = new();
    partial void Init() { RegisterComponents(); drop = nn.Dropout(0.2); }
    public override Tensor forward(Tensor x) => drop.call(fc.call(x));
    public Tensor Predict(Tensor x) { using (torch.no_grad()) return this.call(x); }
}
";

        private const string Generics = @"
class Holder<TModule> where TModule : nn.Module<Tensor, Tensor>, new()
{
    private readonly TModule _model = new TModule();
    public Tensor Predict(Tensor x) { using (torch.no_grad()) return _model.call(x); }
    public static T Make<T>() where T : nn.Module<Tensor, Tensor>, new() { var m = new T(); m.eval(); return m; }
}
public class Wrapper<T> : nn.Module<Tensor, Tensor> where T : nn.Module<Tensor, Tensor>
{
    private readonly T _inner;
    private readonly Wrapper<Wrapper<T>>? _self;
    public Wrapper(T inner) : base(""w"") { _inner = inner; RegisterComponents(); }
    public override Tensor forward(Tensor x) => _inner.call(x);
}
class UseGenerics
{
    Tensor Run(Tensor x)
    {
        var w = new Wrapper<Wrapper<Net>>(new Wrapper<Net>(new Net()));
        var opt = optim.Adam(w.parameters());
        foreach (var p in w.parameters()) p.requires_grad = false;
        var opt2 = optim.Adam(w.parameters());
        using (torch.no_grad()) return Holder<Net>.Make<Net>().call(w.call(x));
    }
}
";

        private const string Cycles = @"
public class A : B { public A() : this(1) { } public A(int x) : this() { RegisterComponents(); } }
public class B : A { public B() : base() { } }
public class M<T> : nn.Module<Tensor, Tensor> { private readonly M<M<T>> _next; public M() : base(""m"") { _next = new M<M<T>>(); RegisterComponents(); } public override Tensor forward(Tensor x) => _next.call(x); }
public class Self : Self { }
class Use { Tensor Run(Tensor x) { var m = new M<int>(); m.eval(); using (torch.no_grad()) return m.call(x); } }
";

        private const string Exceptions = @"
class Exceptions
{
    Tensor Predict(Net model, Tensor x, int n)
    {
        IDisposable? scope = null;
        try
        {
            scope = torch.no_grad();
            model.eval();
            if (n > 0) throw new InvalidOperationException();
            return model.call(x);
        }
        catch (InvalidOperationException) when (n > 5)
        {
            model.train();
            return model.call(x);
        }
        catch
        {
            throw;
        }
        finally
        {
            scope?.Dispose();
            model.call(x).backward();
        }
    }
    Tensor Switch(Net model, Tensor x, object o) => o switch
    {
        int i when i > 0 => model.call(x),
        string => model.eval().call(x),
        _ => throw new ArgumentException(),
    };
}
";

        private const string Incomplete = @"
class Incomplete
{
    Tensor Predict(Net model, Tensor x)
    {
        using (torch.no_grad(
        {
            model.
            return model.call(x
    }
    void Train(Net model
    {
        var opt = optim.Adam(model.parameters().Where(p => p.);
        foreach (var p in ) p.requires_grad = ;
        model.call().backward(
        opt.step(;
    void Broken() => torch.no_grad()
    Tensor Field = model.call(
";

        private const string IncompleteModule = @"
public class Broken : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc = nn.Linear(4,
    private readonly List<Dropout> drops = new() { nn.Dropout(
    private Dropout d
    public Broken() : base(nameof(Broken)) { RegisterComponents(; d = nn.Dropout(0.1) }
    public override Tensor forward(Tensor x) => d.call(fc.call(x)
    public Broken(int x) : this() { register_module(""d"", ); }
";

        private const string TopLevel = @"
var model = new Net();
var scope = torch.no_grad();
var y = model.call(torch.ones(4));
y.backward();
foreach (var p in model.parameters()) p.requires_grad = false;
var opt = optim.Adam(model.parameters());
static Tensor Local(Net m, Tensor x) { torch.inference_mode(); return m.call(x); }
";
    }
}
