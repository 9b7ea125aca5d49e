using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static TorchSharp.Analyzers.Tests.Rules.TORCH003.OptimizerOverFrozenParametersDiagnosticsTests;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<TorchSharp.Analyzers.Rules.UnfrozenAfterOptimizerAnalyzer>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH004
{
    /// <summary>TORCH004 positives and negatives: progressive unfreezing that leaves an optimizer behind.</summary>
    public class UnfrozenAfterOptimizerDiagnosticsTests
    {
        private const string Lazy = "it re-enumerates its lazy filter at every step(), so the next step() throws KeyNotFoundException";
        private const string Materialized = "the list it was given is fixed, so the unfrozen parameters are never updated";

        private static DiagnosticResult Expect(int location, string module, string optimizer, int line, string consequence)
            => Verify.Diagnostic(DiagnosticIds.UnfrozenAfterOptimizer).WithLocation(location).WithArguments(module, optimizer, line, consequence);

        private const string FreezeEncoder = @"
        var model = new Backbone();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = false;
        }";

        [Fact]
        public Task LazyFilterThenUnfreeze_ReportsKeyNotFound()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad));
        foreach (var p in model.encoder.parameters())
        {
            {|#0:p.requires_grad = true|};
        }
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Lazy));

        [Fact]
        public Task MaterializedFilterThenUnfreeze_ReportsNeverUpdated()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.SGD(model.parameters().Where(p => p.requires_grad).ToList(), 0.01);
        foreach (var p in model.parameters())
        {
            {|#0:p.requires_grad = true|};
        }
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task ToArrayCountsAsMaterialized()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToArray());
        {|#0:model.encoder.weight.requires_grad = true|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task UnfreezeInLaterEpoch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int epochs)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            if (epoch == 3)
            {
                foreach (var p in model.encoder.parameters())
                {
                    {|#0:p.requires_grad = true|};
                }
            }
            optimizer.step();
        }
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task AddParamGroupAfterUnfreeze_IsSilentOnlyWhenGroupedBefore()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        optimizer.add_param_group(new Adam.ParamGroup(model.encoder.parameters()));
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = true;
        }
    }"));

        [Fact]
        public Task AddParamGroupRightAfterTheUnfreeze_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int epochs)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            if (epoch == 3)
            {
                foreach (var p in model.encoder.parameters())
                {
                    p.requires_grad = true;
                }
                optimizer.add_param_group(new Adam.ParamGroup(model.encoder.parameters()));
            }
            optimizer.step();
        }
    }"));

        [Fact]
        public Task NewOptimizerAfterUnfreeze_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        optimizer.step();
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = true;
        }
        optimizer = optim.Adam(model.parameters());
        optimizer.step();
    }"));

        [Fact]
        public Task NewOptimizerPerStageInALoop_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int stages)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        for (var stage = 0; stage < stages; stage++)
        {
            optimizer.step();
            model.encoder.weight.requires_grad = true;
            optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        }
    }"));

        [Fact]
        public Task OptimizerDeclaredPerStageInsideTheLoop_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(string[] stages)
    {" + FreezeEncoder + @"
        foreach (var stage in stages)
        {
            model.encoder.weight.requires_grad = true;
            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
            optimizer.step();
        }
    }"));

        [Fact]
        public Task OptimizerDeclaredInsideTheLoopButSteppedBeforeItIsRebuilt_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(string[] stages)
    {" + FreezeEncoder + @"
        optim.Optimizer previous = null;
        foreach (var stage in stages)
        {
            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
            {|#0:model.encoder.weight.requires_grad = true|};
            optimizer.step();
            previous = optimizer;
        }
    }"), Expect(0, "model", "optimizer", 30, Materialized));

        [Fact]
        public Task StaleOptimizerNeverSteppedAgain_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        optimizer.step();
        model.encoder.weight.requires_grad = true;
    }"));

        [Fact]
        public Task StaleOptimizerHandedToATrainingHelper_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void TrainEpoch(optim.Optimizer optimizer) => optimizer.step();

    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        {|#0:model.encoder.weight.requires_grad = true|};
        TrainEpoch(optimizer);
    }"), Expect(0, "model", "optimizer", 29, Materialized));

        [Fact]
        public Task UnfilteredOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters());
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = true;
        }
    }"));

        [Fact]
        public Task NoUnfreeze_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        optimizer.step();
    }"));

        [Fact]
        public Task UnfreezeBeforeOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        foreach (var p in model.encoder.parameters())
        {
            p.requires_grad = true;
        }
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
    }"));

        [Fact]
        public Task FreezingMoreAfterOptimizer_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        model.head.weight.requires_grad = false;
    }"));

        [Fact]
        public Task OtherModelUnfrozen_NoCrossTalk()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var other = new Backbone();
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        foreach (var p in other.parameters())
        {
            p.requires_grad = true;
        }
    }"));

        [Fact]
        public Task TwoOptimizers_ReportsTheFilteredOne()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var full = optim.Adam(model.parameters());
        var filtered = optim.SGD(model.parameters().Where(p => p.requires_grad), 0.1);
        {|#0:model.encoder.weight.requires_grad_(true)|};
        filtered.step();
    }"), Expect(0, "model", "filtered", 28, Lazy));

        [Fact]
        public Task UnfreezeThroughHelper_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Unfreeze(nn.Module module)
    {
        foreach (var p in module.parameters())
        {
            p.requires_grad = true;
        }
    }

    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        {|#0:Unfreeze(model)|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 35, Materialized));

        [Fact]
        public Task HelperThatUnfreezesAndSteps_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void UnfreezeAndStep(Backbone model, optim.Optimizer optimizer)
    {
        foreach (var p in model.parameters())
        {
            p.requires_grad = true;
        }

        optimizer.step();
    }

    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        {|#0:UnfreezeAndStep(model, optimizer)|};
    }"), Expect(0, "model", "optimizer", 37, Materialized));

        [Fact]
        public Task StagesTrainedByAHelperThatNeverUnfreezes_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void RunStage(Backbone model, optim.Optimizer optimizer)
    {
        model.train();
        optimizer.step();
    }

    void FineTune(string[] stages)
    {" + FreezeEncoder + @"
        foreach (var stage in stages)
        {
            model.encoder.weight.requires_grad = true;
            var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
            RunStage(model, optimizer);
        }
    }"));

        [Fact]
        public Task HelperThatUnfreezesThreeCallsDown_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Unfreeze(Backbone model)
    {
        foreach (var p in model.parameters()) p.requires_grad = true;
    }

    static void Middle(Backbone model) => Unfreeze(model);
    static void Outer(Backbone model) => Middle(model);

    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        {|#0:Outer(model)|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 35, Materialized));

        // Summaries go three calls deep (the engine's MaxDepth), so that recursion ends; deeper helpers are not followed.
        [Fact]
        public Task HelperThatUnfreezesFourCallsDown_IsBeyondTheSummaries()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Unfreeze(Backbone model)
    {
        foreach (var p in model.parameters()) p.requires_grad = true;
    }

    static void Inner(Backbone model) => Unfreeze(model);
    static void Middle(Backbone model) => Inner(model);
    static void Outer(Backbone model) => Middle(model);

    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        Outer(model);
        optimizer.step();
    }"));

        [Fact]
        public Task UnfreezeOnOneBranch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(bool stage2)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad));
        if (stage2)
        {
            {|#0:model.encoder.weight.requires_grad = true|};
        }
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Lazy));

        [Fact]
        public Task NamedParametersFilteredOnTheTuple_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.NAdam(model.named_parameters().Where(np => np.parameter.requires_grad).ToList());
        {|#0:model.encoder.bias.requires_grad = true|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task OptimizerInField_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    private optim.Optimizer _optimizer;

    void FineTune()
    {" + FreezeEncoder + @"
        _optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        {|#0:model.encoder.weight.requires_grad = true|};
        _optimizer.step();
    }"), Expect(0, "model", "_optimizer", 29, Materialized));

        [Fact]
        public Task OptimizerPassedAwayNotStored_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    static void Use(optim.Optimizer optimizer) { }

    void FineTune()
    {" + FreezeEncoder + @"
        Use(optim.Adam(model.parameters().Where(p => p.requires_grad).ToList()));
        model.encoder.weight.requires_grad = true;
    }"));

        [Fact]
        public Task UnfreezeInTryBlock_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        try
        {
            {|#0:model.encoder.weight.requires_grad = true|};
        }
        finally
        {
            optimizer.zero_grad();
        }
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task UnfreezeInLambda_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        Action later = () => model.encoder.weight.requires_grad = true;
        later();
    }"));

        [Fact]
        public Task AliasUnfrozen_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        var net = model;
        {|#0:net.encoder.weight.requires_grad = true|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task ModelReplacedBeforeUnfreeze_IsSilent()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        model = new Backbone();
        model.encoder.weight.requires_grad = true;
    }"));

        [Fact]
        public Task AddParamGroupOnOneBranchOnly_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(bool grow)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad).ToList());
        if (grow)
        {
            optimizer.add_param_group(new Adam.ParamGroup(model.encoder.parameters()));
        }
        {|#0:model.encoder.weight.requires_grad = true|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task UnfreezeInSwitch_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune(int stage)
    {" + FreezeEncoder + @"
        var optimizer = optim.Adam(model.parameters().Where(p => p.requires_grad));
        switch (stage)
        {
            case 2:
                {|#0:model.encoder.weight.requires_grad = true|};
                break;
        }
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Lazy));

        [Fact]
        public Task OptimizerConstructor_Reports()
            => Verify.VerifyAnalyzerAsync(Code(@"
    void FineTune()
    {" + FreezeEncoder + @"
        var optimizer = new SGD(model.parameters().Where(p => p.requires_grad).ToList(), 0.1);
        {|#0:model.encoder.weight.requires_grad = true|};
        optimizer.step();
    }"), Expect(0, "model", "optimizer", 27, Materialized));

        [Fact]
        public Task WithoutTorchSharp_IsSilent()
        {
            var test = new Verify.Test { TestCode = "class C { void M() { } }" };
            test.TestState.AdditionalReferences.Clear();
            return test.RunAsync();
        }
    }
}
