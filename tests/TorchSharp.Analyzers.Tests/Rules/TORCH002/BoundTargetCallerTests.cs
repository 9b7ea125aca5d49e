using System.Threading.Tasks;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH002.ConstructorCallerTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>
    /// Calls that bind to a form of the method other than its declaration: an extension method called on its receiver
    /// (bound to the reduced method), and a method of a generic interface implemented for one type argument (bound to the
    /// interface's definition). Both are calls of the method the flow follows, in the default and in the exhaustive mode.
    /// </summary>
    public class BoundTargetCallerTests
    {
        [Fact]
        public Task ExtensionMethodEveryCallOfWhichIsInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
public static class NetExtensions
{
    public static Tensor Apply(this Net model, Tensor x) { model.eval(); return model.call(x); }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return m.Apply(x); } }
}");

        [Fact]
        public Task ExtensionMethodCalledOutsideNoGradToo_NamesTheCall()
            => Verify.VerifyAnalyzerAsync(Header + @"
public static class NetExtensions
{
    public static Tensor Apply(this Net model, Tensor x) { model.eval(); return {|#0:model.call(x)|}; }
}

public static class Use
{
    public static Tensor Run(Net m, Tensor x) { using (torch.no_grad()) { return {|#2:m.Apply(x)|}; } }
    public static Tensor Open(Net m, Tensor x) => {|#1:m.Apply(x)|};
}", UnprotectedCallExpectation.At(1, 0, 2, "Apply()", "model", "line 16", "it is in eval mode", "line 21"));

        [Fact]
        public Task GenericInterfaceMethodEveryCallOfWhichIsInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
public interface IModel<T> { T Apply(T x); }

public sealed class Predictor : IModel<Tensor>
{
    private readonly Net _model = new Net();
    public Predictor() { _model.eval(); }
    public Tensor Apply(Tensor x) => _model.call(x);
}

public static class Use
{
    public static Tensor Run(IModel<Tensor> p, Tensor x) { using (torch.no_grad()) { return p.Apply(x); } }
}");

        [Fact]
        public Task OverrideOfABaseMethodThatImplementsAnInterface_EveryCallInsideNoGrad_IsSilent()
            => Verify.VerifyAnalyzerAsync(Header + @"
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
    public static Tensor Run(IRunner r, Net m, Tensor x) { using (torch.no_grad()) { return r.Apply(m, x); } }
}");

        [Fact]
        public Task OverrideOfABaseMethodThatImplementsAnInterface_ACallThroughTheInterfaceOutsideNoGrad_NamesIt()
            => Verify.VerifyAnalyzerAsync(Header + @"
public interface IRunner { Tensor Apply(Net m, Tensor x); }

public class BaseRunner : IRunner
{
    public virtual Tensor Apply(Net m, Tensor x) => x;
}

public sealed class Derived : BaseRunner
{
    public override Tensor Apply(Net m, Tensor x) { m.eval(); return {|#0:m.call(x)|}; }
}

public static class Use
{
    public static Tensor Run(Derived r, Net m, Tensor x) { using (torch.no_grad()) { return {|#2:r.Apply(m, x)|}; } }
    public static Tensor Open(IRunner r, Net m, Tensor x) => {|#1:r.Apply(m, x)|};
}", UnprotectedCallExpectation.At(1, 0, 2, "Apply()", "m", "line 23", "it is in eval mode", "line 28"));
    }
}
