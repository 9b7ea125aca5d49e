using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.OptimizerOverFrozenParametersAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH003
{
    /// <summary>TORCH003 positives and negatives: optimizers over frozen parameters.</summary>
    public class OptimizerOverFrozenParametersDiagnosticsTests
    {
        internal const string Some = "some of which are frozen (line {0}): TorchSharp keeps optimizer state for every parameter it is given (measured +264 MB against +8 MB); pass only the trainable ones";
        internal const string All = "all of which are frozen (line {0}): it will train nothing";

        internal static string Code(string members) => @"
using System;
using System.Linq;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

class Backbone : nn.Module<Tensor, Tensor>
{
    public readonly Linear encoder = nn.Linear(8, 8);
    public readonly Linear head = nn.Linear(8, 2);
    public Backbone() : base(nameof(Backbone)) { RegisterComponents(); }
    public override Tensor forward(Tensor x) => head.call(encoder.call(x));
}

class C
{
" + members + @"
}";

        internal static DiagnosticResult Expect(int location, string optimizer, string module, string why, int line)
            => Verify.Diagnostic(DiagnosticIds.OptimizerOverFrozenParameters).WithLocation(location).WithArguments(optimizer, module, string.Format(why, line));

        [Fact]
        public Task FreezeAllButHeadThenUnfilteredOptimizer_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!name.StartsWith(""head""))
            {
                p.requires_grad = false;
            }
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 27));

        [Fact]
        public Task FeatureExtractionWithFilteredOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!name.StartsWith(""head""))
            {
                p.requires_grad = false;
            }
        }
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
    }"));

        [Fact]
        public Task EveryParameterFrozen_ReportsNothingWillTrain()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }
        var optimizer = {|#0:optim.SGD(model.parameters(), 0.01)|};
    }"), Expect(0, "SGD", "model", All, 25));

        [Fact]
        public Task RequiresGradUnderscoreMethod_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.parameters())
        {
            p.requires_grad_(false);
        }
        var optimizer = {|#0:optim.AdamW(model.parameters())|};
    }"), Expect(0, "AdamW", "model", All, 25));

        [Fact]
        public Task SubmoduleFrozen_ReportsSome()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 25));

        [Fact]
        public Task SingleParameterFrozen_ReportsSome()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        model.encoder.weight.requires_grad = false;
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 23));

        [Fact]
        public Task ChildrenLoopFreezesSome_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var child in model.children())
        {
            foreach (var p in child.parameters())
            {
                p.requires_grad = false;
            }
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 27));

        [Fact]
        public Task LinqFilteredFreeze_ReportsSome()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.parameters().Take(2))
        {
            p.requires_grad = false;
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 25));

        [Fact]
        public Task NamedParametersTupleElement_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var np in model.named_parameters())
        {
            if (np.name.Contains(""encoder""))
            {
                np.parameter.requires_grad = false;
            }
        }
        var optimizer = {|#0:optim.Adam(model.named_parameters())|};
    }"), Expect(0, "Adam", "model", Some, 27));

        [Fact]
        public Task FrozenOnOneBranchOnly_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(bool featureExtraction)
    {
        var model = new Backbone();
        if (featureExtraction)
        {
            foreach (var p in model.encoder.parameters())
            {
                p.requires_grad = false;
            }
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 27));

        [Fact]
        public Task FreezeAfterOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        var optimizer = optim.Adam(model.parameters());
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
    }"));

        [Fact]
        public Task UnfrozenBeforeOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }
        foreach (var p in model.parameters())
        {
            p.requires_grad = true;
        }
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task ProgressiveUnfreezingLater_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int epochs)
    {
        var model = new Backbone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
        var optimizer = optim.Adam(model.parameters());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            if (epoch == 5)
            {
                foreach (var p in model.encoder.parameters())
                {
                    p.requires_grad = true;
                }
            }
            optimizer.step();
        }
    }"));

        [Fact]
        public Task ParamGroupsWithUnfilteredParameters_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        var other = new Backbone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
        var optimizer = {|#0:optim.Adam(new[] { new Adam.ParamGroup(model.parameters(), lr: 0.01), new Adam.ParamGroup(other.parameters(), lr: 0.001) })|};
    }"), Expect(0, "Adam", "model", Some, 26));

        [Fact]
        public Task TwoModelsTwoOptimizers_NoCrossTalk()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var frozen = new Backbone();
        var trained = new Backbone();
        foreach (var p in frozen.parameters())
        {
            p.requires_grad = false;
        }
        var first = optim.Adam(trained.parameters());
        var second = {|#0:optim.Adam(frozen.parameters())|};
    }"), Expect(0, "Adam", "frozen", All, 26));

        [Fact]
        public Task OptimizerConstructorFromModules_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        model.encoder.weight.requires_grad = false;
        var optimizer = {|#0:new SGD(model.parameters(), 0.1)|};
    }"), Expect(0, "SGD", "model", Some, 23));

        [Fact]
        public Task HelperThatFreezes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void FreezeEncoder(Backbone model)
    {
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }
    }

    void FineTune()
    {
        var model = new Backbone();
        FreezeEncoder(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 31));

        [Fact]
        public Task HelperThatFreezesEverything_ReportsAll()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Freeze(nn.Module model)
    {
        foreach (var p in model.parameters())
        {
            p.requires_grad = false;
        }
    }

    void FineTune()
    {
        var model = new Backbone();
        Freeze(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", All, 31));

        [Fact]
        public Task HelperTwoCallsDeepThatFreezes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void FreezeEncoder(Backbone model)
    {
        model.encoder.weight.requires_grad = false;
    }

    static void Prepare(Backbone model, bool log)
    {
        if (log) Console.WriteLine(model);
        FreezeEncoder(model);
    }

    void FineTune()
    {
        var model = new Backbone();
        Prepare(model, true);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 34));

        [Fact]
        public Task ConstructorThatFreezesTheModuleItIsGiven_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    sealed class FrozenEncoder
    {
        public FrozenEncoder(Backbone model)
        {
            foreach (var p in model.encoder.parameters())
            {
                p.requires_grad = false;
            }
        }
    }

    void FineTune()
    {
        var model = new Backbone();
        var frozen = new FrozenEncoder(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 34));

        [Fact]
        public Task ConstructorChainedToOneThatFreezes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    class FrozenEncoder
    {
        public FrozenEncoder(Backbone model) => model.encoder.weight.requires_grad = false;
    }

    sealed class Wrapper : FrozenEncoder
    {
        public Wrapper(Backbone model, int size) : base(model) { }
    }

    void FineTune()
    {
        var model = new Backbone();
        var wrapper = new Wrapper(model, 3);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 33));

        [Fact]
        public Task HelperCallingATargetTypedConstructorThatFreezes_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    sealed class FrozenEncoder
    {
        public FrozenEncoder(Backbone model) => model.encoder.weight.requires_grad = false;
    }

    static void Prepare(Backbone model)
    {
        FrozenEncoder frozen = new(model);
    }

    void FineTune()
    {
        var model = new Backbone();
        Prepare(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 33));

        [Fact]
        public Task HelperThatFreezesWithRequiresGradUnderscore_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void FreezeEncoder(Backbone model) => model.encoder.weight.requires_grad_(false);

    void FineTune()
    {
        var model = new Backbone();
        FreezeEncoder(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 25));

        [Fact]
        public Task HelperThatFreezesWithACommentBeforeTheAssignment_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void FreezeEncoder(Backbone model)
    {
        model.encoder.weight.requires_grad // the pretrained part
            = false;
    }

    void FineTune()
    {
        var model = new Backbone();
        FreezeEncoder(model);
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 29));

        [Fact]
        public Task TargetTypedConstructorThatFreezesAsAnArgument_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    sealed class FrozenEncoder
    {
        public FrozenEncoder(Backbone model) => model.encoder.weight.requires_grad = false;
    }

    static void Keep(FrozenEncoder frozen) { }

    void FineTune()
    {
        var model = new Backbone();
        Keep(new(model));
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 30));

        [Fact]
        public Task HelperThatOnlyUnfreezes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void UnfreezeHead(Backbone model)
    {
        model.head.weight.requires_grad = true;
    }

    void FineTune()
    {
        var model = new Backbone();
        UnfreezeHead(model);
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task HelperThatWritesAComputedValue_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void TrainOnly(Backbone model, string prefix)
    {
        foreach (var (name, p) in model.named_parameters())
        {
            p.requires_grad = name.StartsWith(prefix, StringComparison.Ordinal);
        }
    }

    void FineTune()
    {
        var model = new Backbone();
        TrainOnly(model, ""head"");
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task HelperThatUnfreezesAfterFreeze_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Unfreeze(nn.Module model)
    {
        foreach (var p in model.parameters())
        {
            p.requires_grad = true;
        }
    }

    void FineTune()
    {
        var model = new Backbone();
        model.encoder.weight.requires_grad = false;
        Unfreeze(model);
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task ModulePassedToUnknownCode_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(Action<nn.Module> configure)
    {
        var model = new Backbone();
        model.encoder.weight.requires_grad = false;
        configure(model);
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task NoFreezeAtAll_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void Train()
    {
        var model = new Backbone();
        var optimizer = optim.Adam(model.parameters());
    }"));

        [Fact]
        public Task ParameterWithUnknownFreezeState_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    optim.Optimizer Build(Backbone model) => optim.Adam(model.parameters());"));

        [Fact]
        public Task FreezeInsideLoopOverEpochs_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int stages)
    {
        var model = new Backbone();
        for (var stage = 0; stage < stages; stage++)
        {
            foreach (var p in model.encoder.parameters())
            {
                p.requires_grad = false;
            }
            var optimizer = {|#0:optim.Adam(model.parameters())|};
        }
    }"), Expect(0, "Adam", "model", Some, 27));

        [Fact]
        public Task FreezeInTryFinally_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        try
        {
            model.encoder.weight.requires_grad = false;
        }
        finally
        {
            Console.WriteLine(""frozen"");
        }
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 25));

        [Fact]
        public Task FieldModelFrozenInMethod_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private readonly Backbone _model = new Backbone();

    optim.Optimizer Prepare()
    {
        foreach (var p in _model.encoder.parameters())
        {
            p.requires_grad = false;
        }
        return {|#0:optim.Adam(_model.parameters())|};
    }"), Expect(0, "Adam", "_model", Some, 26));

        [Fact]
        public Task InsideLambda_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    Func<optim.Optimizer> Make()
    {
        return () =>
        {
            var model = new Backbone();
            model.encoder.weight.requires_grad = false;
            return {|#0:optim.Adam(model.parameters())|};
        };
    }"), Expect(0, "Adam", "model", Some, 25));

        [Fact]
        public Task AliasOfModule_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {
        var model = new Backbone();
        var net = model;
        net.encoder.weight.requires_grad = false;
        var optimizer = {|#0:optim.Adam(model.parameters())|};
    }"), Expect(0, "Adam", "model", Some, 24));
    }
}
