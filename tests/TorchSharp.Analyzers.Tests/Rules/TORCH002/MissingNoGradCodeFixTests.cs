using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingNoGradAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingNoGradCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH002
{
    /// <summary>TORCH002 fixes: the three actions, the wrapped region, trivia, imports, Fix All, places where a shape does not fit.</summary>
    public class MissingNoGradCodeFixTests
    {
        private const string Block = MissingNoGradCodeFixProvider.UsingBlockKey;
        private const string Declaration = MissingNoGradCodeFixProvider.UsingDeclarationKey;
        private const string InferenceMode = MissingNoGradCodeFixProvider.InferenceModeKey;

        /// <summary>A module with a Dropout, registered.</summary>
        private const string NetClass = @"class Net : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Linear lin = nn.Linear(4, 2);
    private readonly TorchSharp.Modules.Dropout drop = nn.Dropout(0.5);

    public Net() : base(nameof(Net)) => RegisterComponents();

    public override Tensor forward(Tensor x) => drop.call(lin.call(x));
}";

        private static string Method(string body) => @"using System;
using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    Tensor Run(Tensor x, bool flag)
    {
" + body + @"
    }
}";

        private static DiagnosticResult InEval(int location, string module = "model")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "it is in eval mode");

        private static DiagnosticResult InferenceMethod(int location, string module, string method)
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "'" + method + "' is an inference method");

        [Fact]
        public Task UsingBlock_WrapsTheRegionUpToTheLastUse()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        return y.argmax(1);"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            return y.argmax(1);
        }"),
                Block);

        [Fact]
        public Task UsingBlock_StopsAfterTheLastUseOfTheRegionsVariables()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        var label = y.argmax(1);
        Console.WriteLine(label.ToString());
        Console.WriteLine(""done"");
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            var label = y.argmax(1);
            Console.WriteLine(label.ToString());
        }
        Console.WriteLine(""done"");
        return x;"),
                Block);

        [Fact]
        public Task UsingBlock_LaterUseInALambda_ExtendsTheRegion()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        Console.WriteLine(""scored"");
        Func<Tensor> result = () => y;
        return result();"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            Console.WriteLine(""scored"");
            Func<Tensor> result = () => y;
            return result();
        }"),
                Block);

        [Fact]
        public Task UsingBlock_UsingDeclarationInTheRegion_WrapsToTheEndOfTheBlock()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        using var probabilities = {|#0:model.call(x)|}.softmax(1);
        Console.WriteLine(""scored"");
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            using var probabilities = model.call(x).softmax(1);
            Console.WriteLine(""scored"");
            return x;
        }"),
                Block);

        [Fact]
        public Task UsingBlock_SingleStatement()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        Console.WriteLine({|#0:model.call(x)|}.argmax(1).ToString());
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            Console.WriteLine(model.call(x).argmax(1).ToString());
        }
        return x;"),
                Block);

        [Fact]
        public Task UsingBlock_KeepsComments()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();

        // score the batch
        var y = {|#0:model.call(x)|}; // logits
        /* best class */ return y.argmax(1); // done"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();

        // score the batch
        using (torch.no_grad())
        {
            var y = model.call(x); // logits
            /* best class */
            return y.argmax(1); // done
        }"),
                Block);

        [Fact]
        public Task UsingBlock_DirectivesInsideTheRegionStayBalanced()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
#if DEBUG
        Console.WriteLine(y.ToString());
#endif
        return y.argmax(1);"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
#if DEBUG
        Console.WriteLine(y.ToString());
#endif
            return y.argmax(1);
        }"),
                Block);

        [Fact]
        public Task UsingBlock_ConditionalAroundTheRegion_StaysAroundIt()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
#if !DEBUG
        var y = {|#0:model.call(x)|};
        Console.WriteLine(y.ToString());
#else
        var y = x;
#endif
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
#if !DEBUG
        using (torch.no_grad())
        {
            var y = model.call(x);
            Console.WriteLine(y.ToString());
        }
#else
        var y = x;
#endif
        return x;"),
                Block);

        [Fact]
        public Task UsingBlock_ConditionalCutInHalf_NoFix()
        {
            var source = Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
#if !DEBUG
        Console.WriteLine(y.ToString());
        Console.WriteLine(""release build"");
#endif
        return x;");
            return Verify.VerifyCodeFixAsync(source, new[] { InEval(0) }, source, Block);
        }

        [Fact]
        public Task ImplicitThisReceiver_UsingBlock()
        {
            // Inside the module itself: `call(x)` runs on `this`.
            const string before = @"using TorchSharp;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Dropout drop = nn.Dropout(0.5);

    public Net() : base(nameof(Net)) => RegisterComponents();

    public override Tensor forward(Tensor x) => drop.call(x);

    public Tensor Labels(Tensor x)
    {
        eval();
        return {|#0:call(x)|}.argmax(1);
    }
}";
            const string after = @"using TorchSharp;
using static TorchSharp.torch;

class Net : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Dropout drop = nn.Dropout(0.5);

    public Net() : base(nameof(Net)) => RegisterComponents();

    public override Tensor forward(Tensor x) => drop.call(x);

    public Tensor Labels(Tensor x)
    {
        eval();
        using (torch.no_grad())
        {
            return call(x).argmax(1);
        }
    }
}";
            return Verify.VerifyCodeFixAsync(before, new[] { InEval(0, "this") }, after, Block);
        }

        [Fact]
        public Task UsingDeclaration_InsertedBeforeTheRegion()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();

        // score the batch
        var y = {|#0:model.call(x)|};
        return y.argmax(1);"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();

        using var noGrad = torch.no_grad();
        // score the batch
        var y = model.call(x);
        return y.argmax(1);"),
                Declaration);

        [Fact]
        public Task InferenceMode_InsertedBeforeTheRegion()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        return y.argmax(1);"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using var inferenceMode = torch.inference_mode();
        var y = model.call(x);
        return y.argmax(1);"),
                InferenceMode);

        [Fact]
        public Task UsingDeclaration_NameInUse_PicksAFreeOne()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var noGrad = !torch.is_grad_enabled();
        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        return noGrad ? y : y.argmax(1);"),
                new[] { InEval(0) },
                Method(@"        var noGrad = !torch.is_grad_enabled();
        var model = new Net();
        model.eval();
        using var noGrad2 = torch.no_grad();
        var y = model.call(x);
        return noGrad ? y : y.argmax(1);"),
                Declaration);

        [Fact]
        public Task EmbeddedStatement_WrapsTheStatementAroundIt()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        if (flag)
            x = {|#0:model.call(x)|};
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            if (flag)
                x = model.call(x);
        }
        return x;"),
                Block);

        [Fact]
        public Task LoopBody_WrapsInsideTheLoop()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        for (var i = 0; i < 3; i++)
        {
            var y = {|#0:model.call(x)|};
            Console.WriteLine(y.argmax(1).ToString());
        }
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        for (var i = 0; i < 3; i++)
        {
            using (torch.no_grad())
            {
                var y = model.call(x);
                Console.WriteLine(y.argmax(1).ToString());
            }
        }
        return x;"),
                Block);

        [Fact]
        public Task SwitchSection_UsingBlock()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        model.eval();
        switch (flag)
        {
            case true:
                var y = {|#0:model.call(x)|};
                x = y.argmax(1);
                break;
        }
        return x;"),
                new[] { InEval(0) },
                Method(@"        var model = new Net();
        model.eval();
        switch (flag)
        {
            case true:
                using (torch.no_grad())
                {
                    var y = model.call(x);
                    x = y.argmax(1);
                }
                break;
        }
        return x;"),
                Block);

        [Fact]
        public Task SwitchSection_NoUsingDeclaration()
        {
            // CS8647: a using declaration cannot stand directly in a switch section.
            var source = Method(@"        var model = new Net();
        model.eval();
        switch (flag)
        {
            case true:
                x = {|#0:model.call(x)|};
                break;
        }
        return x;");
            return Verify.VerifyCodeFixAsync(source, new[] { InEval(0) }, source, Declaration);
        }

        [Fact]
        public Task CSharp7_NoUsingDeclaration()
        {
            var source = Method(@"        var model = new Net();
        model.eval();
        return {|#0:model.call(x)|};");
            var test = new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = InferenceMode, LanguageVersion = LanguageVersion.CSharp7_3 };
            test.ExpectedDiagnostics.Add(InEval(0));
            return test.RunAsync();
        }

        [Fact]
        public Task CSharp7_UsingBlock()
        {
            var test = new Verify.Test
            {
                TestCode = Method(@"        var model = new Net();
        model.eval();
        return {|#0:model.call(x)|};"),
                FixedCode = Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }"),
                CodeActionEquivalenceKey = Block,
                LanguageVersion = LanguageVersion.CSharp7_3,
            };
            test.ExpectedDiagnostics.Add(InEval(0));
            return test.RunAsync();
        }

        [Fact]
        public Task AwaitInTheRegion_NoFix()
        {
            // Grad mode is thread-local: a scope held across await would be restored on another thread.
            var source = @"using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    async Task<Tensor> Run(Tensor x)
    {
        var model = new Net();
        model.eval();
        var y = {|#0:model.call(x)|};
        await Task.Yield();
        return y;
    }
}";
            return Task.WhenAll(
                Verify.VerifyCodeFixAsync(source, new[] { InEval(0) }, source, Block),
                Verify.VerifyCodeFixAsync(source, new[] { InEval(0) }, source, Declaration));
        }

        private static DiagnosticResult OutputEnds(int location, string consumer, string module = "model")
            => Verify.Diagnostic(DiagnosticIds.MissingNoGrad).WithLocation(location).WithArguments(module, "its output is only read through " + consumer);

        [Fact]
        public Task OutputEndsTheGraph_AccuracyAfterTrainingStep_WrapsOnlyTheAccuracyStatements()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), x).backward();
        optimizer.step();
        var predicted = {|#0:model.call(x)|}.argmax(1);
        Console.WriteLine(predicted.ToString());
        return x;"),
                new[] { OutputEnds(0, "argmax()") },
                Method(@"        var model = new Net();
        var optimizer = optim.Adam(model.parameters());
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), x).backward();
        optimizer.step();
        using (torch.no_grad())
        {
            var predicted = model.call(x).argmax(1);
            Console.WriteLine(predicted.ToString());
        }
        return x;"),
                Block);

        [Fact]
        public Task OutputEndsTheGraph_DeclarationUsedLaterInMethod_CompilesAfterTheFix()
            => Verify.VerifyCodeFixAsync(
                Method(@"        var model = new Net();
        var logits = {|#0:model.call(x)|};
        var labels = logits.argmax(1);
        Console.WriteLine(flag);
        return labels;"),
                new[] { OutputEnds(0, "argmax()") },
                Method(@"        var model = new Net();
        using (torch.no_grad())
        {
            var logits = model.call(x);
            var labels = logits.argmax(1);
            Console.WriteLine(flag);
            return labels;
        }"),
                Block);

        [Fact]
        public Task OutputEndsTheGraph_RegionWouldCoverTheTrainingStep_NoFix()
        {
            // PPO: the old log-probs are read inside the update loop; a scope over it would make backward() throw.
            var source = Method(@"        var policy = new Net();
        var optimizer = optim.Adam(policy.parameters());
        var old = {|#0:policy.call(x)|}.log_softmax(-1).detach();
        for (var epoch = 0; epoch < 4; epoch++)
        {
            var ratio = (policy.call(x).log_softmax(-1) - old).exp();
            optimizer.zero_grad();
            ratio.mean().backward();
            optimizer.step();
        }
        return x;");
            var expected = new[] { OutputEnds(0, "detach()", "policy") };
            return Task.WhenAll(
                Verify.VerifyCodeFixAsync(source, expected, source, Block),
                Verify.VerifyCodeFixAsync(source, expected, source, Declaration),
                Verify.VerifyCodeFixAsync(source, expected, source, InferenceMode));
        }

        [Fact]
        public Task InferenceMethodByName_ExpressionBody_GetsABlockBody()
        {
            var source = @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x) => {|#0:_model.call(x)|};
}";
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { InferenceMethod(0, "_model", "Predict") },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x)
    {
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }
}",
                Block);
        }

        [Fact]
        public Task FileWithoutUsingTorchSharp_GetsTheUsing()
            => Verify.VerifyCodeFixAsync(
                @"using System;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        var y = {|#0:model.call(x)|};
        return y;
    }
}",
                new[] { InEval(0) },
                @"using System;
using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            return y;
        }
    }
}",
                Block);

        [Fact]
        public Task TopLevelStatements_UsingBlock()
        {
            var test = new Verify.Test
            {
                TestCode = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
model.eval();
var y = {|#0:model.call(torch.ones(1, 4))|};
System.Console.WriteLine(y.argmax(1).item<long>());
System.Console.WriteLine(""done"");
",
                FixedCode = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
model.eval();
using (torch.no_grad())
{
    var y = model.call(torch.ones(1, 4));
    System.Console.WriteLine(y.argmax(1).item<long>());
}
System.Console.WriteLine(""done"");
",
                CodeActionEquivalenceKey = Block,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(InEval(0));
            return test.RunAsync();
        }

        [Fact]
        public Task TopLevelStatements_UsingDeclaration()
        {
            var test = new Verify.Test
            {
                TestCode = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
model.eval();
var y = {|#0:model.call(torch.ones(1, 4))|};
System.Console.WriteLine(y.argmax(1).item<long>());
",
                FixedCode = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
model.eval();
using var noGrad = torch.no_grad();
var y = model.call(torch.ones(1, 4));
System.Console.WriteLine(y.argmax(1).item<long>());
",
                CodeActionEquivalenceKey = Declaration,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(InEval(0));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_UsingBlock_WrapsEachRegionOnce()
        {
            var test = new Verify.Test
            {
                TestCode = Method(@"        var model = new Net();
        model.eval();
        var a = {|#0:model.call(x)|};
        var b = {|#1:model.call(a)|};
        Console.WriteLine(b.argmax(1).ToString());
        if (flag)
        {
            return {|#2:model.call(x)|};
        }
        return x;"),
                FixedCode = Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            var a = model.call(x);
            var b = model.call(a);
            Console.WriteLine(b.argmax(1).ToString());
        }
        if (flag)
        {
            using (torch.no_grad())
            {
                return model.call(x);
            }
        }
        return x;"),
                CodeActionEquivalenceKey = Block,
            };
            test.ExpectedDiagnostics.Add(InEval(0));
            test.ExpectedDiagnostics.Add(InEval(1));
            test.ExpectedDiagnostics.Add(InEval(2));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_UsingDeclaration_OnePerBlock()
        {
            var test = new Verify.Test
            {
                TestCode = Method(@"        var model = new Net();
        model.eval();
        var a = {|#0:model.call(x)|};
        if (flag)
        {
            return {|#1:model.call(a)|};
        }
        return {|#2:model.call(x)|};"),
                FixedCode = Method(@"        var model = new Net();
        model.eval();
        using var noGrad = torch.no_grad();
        var a = model.call(x);
        if (flag)
        {
            return model.call(a);
        }
        return model.call(x);"),
                CodeActionEquivalenceKey = Declaration,
            };
            test.ExpectedDiagnostics.Add(InEval(0));
            test.ExpectedDiagnostics.Add(InEval(1));
            test.ExpectedDiagnostics.Add(InEval(2));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_AcrossMethodsAndDocuments()
        {
            var test = new Verify.Test { CodeActionEquivalenceKey = Block };
            test.TestState.Sources.Add(@"using TorchSharp;
using static TorchSharp.torch;

class A
{
    Tensor One(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        var y = {|#0:model.call(x)|};
        return {|#1:model.call(y)|};
    }

    Tensor Two(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        net.eval();
        return {|#2:net.forward(x)|};
    }
}");
            test.TestState.Sources.Add(@"using static TorchSharp.torch;

class B
{
    Tensor Three(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        return {|#3:model.call(x)|};
    }
}");
            test.FixedState.Sources.Add(@"using TorchSharp;
using static TorchSharp.torch;

class A
{
    Tensor One(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            return model.call(y);
        }
    }

    Tensor Two(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        net.eval();
        using (torch.no_grad())
        {
            return net.forward(x);
        }
    }
}");
            test.FixedState.Sources.Add(@"using TorchSharp;
using static TorchSharp.torch;

class B
{
    Tensor Three(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }
}");
            test.ExpectedDiagnostics.Add(InEval(0));
            test.ExpectedDiagnostics.Add(InEval(1));
            test.ExpectedDiagnostics.Add(InEval(2, "net"));
            test.ExpectedDiagnostics.Add(InEval(3));
            return test.RunAsync();
        }
    }
}
