using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TorchSharp.Analyzers.CodeFixes;
using Xunit;
using Verify = TorchSharp.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    TorchSharp.Analyzers.Rules.MissingEvalAnalyzer,
    TorchSharp.Analyzers.CodeFixes.MissingEvalCodeFixProvider>;

namespace TorchSharp.Analyzers.Tests.Rules.TORCH001
{
    /// <summary>TORCH001 fix: where <c>eval()</c> goes, the receiver forms it copies, trivia, Fix All, places where it does not fit.</summary>
    public class MissingEvalCodeFixTests
    {
        private const string Key = MissingEvalCodeFixProvider.InsertEvalKey;

        /// <summary>What TORCH001 says stays in training behaviour for <c>Net</c> below.</summary>
        private const string DropoutInTraining = "its Dropout stays active";

        /// <summary>A module with a Dropout, registered: eval() matters for it.</summary>
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

        /// <summary>TORCH001 at markup <paramref name="location"/> for a module created on the line of <paramref name="source"/> that holds <paramref name="creation"/>.</summary>
        private static DiagnosticResult Created(int location, string module, string source, string creation = "new Net()", string consequence = DropoutInTraining)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location)
                .WithArguments(module, "created at line " + LineOf(source, creation), consequence);

        private static DiagnosticResult Reason(int location, string module, string reason, string consequence = DropoutInTraining)
            => Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(location).WithArguments(module, reason, consequence);

        /// <summary>The 1-based line of the first occurrence of <paramref name="text"/>.</summary>
        private static int LineOf(string source, string text)
        {
            var index = source.IndexOf(text, StringComparison.Ordinal);
            Assert.True(index >= 0, "'" + text + "' is not in the source");
            return source.Substring(0, index).Split('\n').Length;
        }

        [Fact]
        public Task NoGradBlock_InsertsEvalBeforeTheUsing()
        {
            var source = Method(@"        var model = new Net();
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }"),
                Key);
        }

        [Fact]
        public Task Sequential_InsertsEvalBeforeTheUsing()
        {
            var source = Method(@"        var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
        using (torch.no_grad())
        {
            var y = {|#0:model.call(x)|};
            return y.argmax(1);
        }");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source, "torch.nn.Sequential") },
                Method(@"        var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
        model.eval();
        using (torch.no_grad())
        {
            var y = model.call(x);
            return y.argmax(1);
        }"),
                Key);
        }

        [Fact]
        public Task NestedScopes_InsertsBeforeTheOutermost()
        {
            var source = Method(@"        var model = new Net();
        using (torch.no_grad())
        {
            if (flag)
            {
                using (torch.set_grad_enabled(false))
                {
                    x = {|#0:model.call(x)|};
                }
            }
        }
        return x;");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            if (flag)
            {
                using (torch.set_grad_enabled(false))
                {
                    x = model.call(x);
                }
            }
        }
        return x;"),
                Key);
        }

        [Fact]
        public Task UsingDeclaration_InsertsBeforeTheDeclaration()
        {
            var source = Method(@"        var model = new Net();
        using var noGrad = torch.no_grad();
        Console.WriteLine(""scoring"");
        var y = {|#0:model.call(x)|};
        return y.argmax(1);");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();
        model.eval();
        using var noGrad = torch.no_grad();
        Console.WriteLine(""scoring"");
        var y = model.call(x);
        return y.argmax(1);"),
                Key);
        }

        [Fact]
        public Task UsingStaticInferenceMode_InsertsBeforeTheUsing()
        {
            var source = Method(@"        var model = new Net();
        using (var scope = inference_mode())
        {
            return {|#0:model.forward(x)|};
        }");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();
        model.eval();
        using (var scope = inference_mode())
        {
            return model.forward(x);
        }"),
                Key);
        }

        [Fact]
        public Task ModuleCreatedInsideTheScope_InsertsBeforeTheStatementAndKeepsItsComment()
        {
            var source = Method(@"        using (torch.no_grad())
        {
            var model = new Net();
            // forward pass
            return {|#0:model.call(x)|}; // logits
        }");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        using (torch.no_grad())
        {
            var model = new Net();
            model.eval();
            // forward pass
            return model.call(x); // logits
        }"),
                Key);
        }

        [Fact]
        public Task ModuleAssignedInsideTheScope_InsertsAfterTheAssignment()
        {
            var source = Method(@"        Net model;
        using (torch.no_grad())
        {
            model = new Net();
            x = {|#0:model.call(x)|};
        }
        return x;");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        Net model;
        using (torch.no_grad())
        {
            model = new Net();
            model.eval();
            x = model.call(x);
        }
        return x;"),
                Key);
        }

        [Fact]
        public Task CastReceiver_CopiedAsWritten()
        {
            // The analyzer names the receiver as written, parentheses included, so that "call X.eval() first" is code.
            var source = Method(@"        var model = new Net();
        using (torch.no_grad())
        {
            return {|#0:((Net)(object)model).call(x)|};
        }");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "((Net)(object)model)", source) },
                Method(@"        var model = new Net();
        ((Net)(object)model).eval();
        using (torch.no_grad())
        {
            return ((Net)(object)model).call(x);
        }"),
                Key);
        }

        [Fact]
        public Task CommentsAroundTheScope_AreKept()
        {
            var source = Method(@"        var model = new Net();

        // inference only
        using (torch.no_grad()) // no graph
        {
            return {|#0:model.call(x)|};
        } // done");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();

        model.eval();
        // inference only
        using (torch.no_grad()) // no graph
        {
            return model.call(x);
        } // done"),
                Key);
        }

        [Fact]
        public Task Parameter_InsertsEvalOnTheParameter()
            => Verify.VerifyCodeFixAsync(
                @"using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }
    }
}",
                new[] { Reason(0, "model", "received as parameter 'model', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining) },
                @"using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }
    }
}",
                Key);

        [Fact]
        public Task Field_InsertsEvalOnTheField()
        {
            var source = @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private Net _model;

    Tensor Run(Tensor x)
    {
        _model = new Net();
        using (torch.no_grad())
        {
            return {|#0:_model.call(x)|};
        }
    }
}";
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "_model", source) },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private Net _model;

    Tensor Run(Tensor x)
    {
        _model = new Net();
        _model.eval();
        using (torch.no_grad())
        {
            return _model.call(x);
        }
    }
}",
                Key);
        }

        [Fact]
        public Task ThisMemberAccess_CopiedAsWritten()
        {
            var source = @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private Net encoder;

    Tensor Run(Tensor x)
    {
        this.encoder = new Net();
        using (torch.no_grad())
        {
            return {|#0:this.encoder.call(x)|};
        }
    }
}";
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "this.encoder", source) },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private Net encoder;

    Tensor Run(Tensor x)
    {
        this.encoder = new Net();
        this.encoder.eval();
        using (torch.no_grad())
        {
            return this.encoder.call(x);
        }
    }
}",
                Key);
        }

        [Fact]
        public Task Property_InsertsEvalOnTheProperty()
        {
            var source = @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    public Net Model { get; set; }

    Tensor Run(Tensor x)
    {
        Model = new Net();
        using (torch.no_grad())
        {
            return {|#0:Model.call(x)|};
        }
    }
}";
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "Model", source) },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    public Net Model { get; set; }

    Tensor Run(Tensor x)
    {
        Model = new Net();
        Model.eval();
        using (torch.no_grad())
        {
            return Model.call(x);
        }
    }
}",
                Key);
        }

        [Fact]
        public Task InferenceMethodByName_InsertsBeforeTheStatement()
        {
            var source = @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x)
    {
        var logits = {|#0:_model.call(x)|};
        return logits.argmax(1);
    }
}";
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "_model", source, "= new Net()") },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x)
    {
        _model.eval();
        var logits = _model.call(x);
        return logits.argmax(1);
    }
}",
                Key);
        }

        [Fact]
        public Task ExpressionBodiedMethod_GetsABlockBody()
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
                new[] { Created(0, "_model", source, "= new Net()") },
                @"using TorchSharp;
using static TorchSharp.torch;

" + NetClass + @"

class C
{
    private readonly Net _model = new Net();

    public Tensor Predict(Tensor x)
    {
        _model.eval();
        return _model.call(x);
    }
}",
                Key);
        }

        [Fact]
        public Task EmbeddedUsing_InsertsBeforeTheIf()
        {
            var source = Method(@"        var model = new Net();
        if (flag)
            using (torch.no_grad())
                x = {|#0:model.call(x)|};
        return x;");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        var model = new Net();
        model.eval();
        if (flag)
            using (torch.no_grad())
                x = model.call(x);
        return x;"),
                Key);
        }

        [Fact]
        public Task SwitchSection_InsertsInsideTheSection()
        {
            var source = Method(@"        switch (flag)
        {
            case true:
                var model = new Net();
                using (torch.no_grad())
                {
                    x = {|#0:model.call(x)|};
                }
                break;
        }
        return x;");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        switch (flag)
        {
            case true:
                var model = new Net();
                model.eval();
                using (torch.no_grad())
                {
                    x = model.call(x);
                }
                break;
        }
        return x;"),
                Key);
        }

        [Fact]
        public Task StatementLambda_InsertsInsideTheLambda()
        {
            var source = Method(@"        Func<Tensor, Tensor> predict = t =>
        {
            var model = new Net();
            using (torch.no_grad())
            {
                return {|#0:model.call(t)|};
            }
        };
        return predict(x);");
            return Verify.VerifyCodeFixAsync(
                source,
                new[] { Created(0, "model", source) },
                Method(@"        Func<Tensor, Tensor> predict = t =>
        {
            var model = new Net();
            model.eval();
            using (torch.no_grad())
            {
                return model.call(t);
            }
        };
        return predict(x);"),
                Key);
        }

        [Fact]
        public Task ConditionalAccess_InsertsConditionalEval()
            => Verify.VerifyCodeFixAsync(
                @"using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            return model?{|#0:.call(x)|};
        }
    }
}",
                new[] { Reason(0, "model", "received as parameter 'model', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining) },
                @"using TorchSharp;
using static TorchSharp.torch;

class C
{
    Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model?.eval();
        using (torch.no_grad())
        {
            return model?.call(x);
        }
    }
}",
                Key);

        [Fact]
        public Task ReceiverWithSideEffects_NoFix()
        {
            var source = Method(@"        using (torch.no_grad())
        {
            return {|#0:new Net().call(x)|};
        }");
            return Verify.VerifyCodeFixAsync(source, new[] { Created(0, "new Net()", source) }, source, Key);
        }

        [Fact]
        public Task CSharp7_InsertsEval()
        {
            var source = Method(@"        var model = new Net();
        using (torch.no_grad())
        {
            return {|#0:model.call(x)|};
        }");
            var test = new Verify.Test
            {
                TestCode = source,
                FixedCode = Method(@"        var model = new Net();
        model.eval();
        using (torch.no_grad())
        {
            return model.call(x);
        }"),
                CodeActionEquivalenceKey = Key,
                LanguageVersion = LanguageVersion.CSharp7_3,
            };
            test.ExpectedDiagnostics.Add(Created(0, "model", source));
            return test.RunAsync();
        }

        [Fact]
        public Task TopLevelStatements_InsertsBeforeTheUsing()
        {
            var source = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
using (torch.no_grad())
{
    var y = {|#0:model.call(torch.ones(1, 4))|};
    System.Console.WriteLine(y.argmax(1).item<long>());
}
";
            var test = new Verify.Test
            {
                TestCode = source,
                FixedCode = @"using TorchSharp;

var model = torch.nn.Sequential((""lin"", torch.nn.Linear(4, 4)), (""drop"", torch.nn.Dropout(0.5)));
model.eval();
using (torch.no_grad())
{
    var y = model.call(torch.ones(1, 4));
    System.Console.WriteLine(y.argmax(1).item<long>());
}
",
                CodeActionEquivalenceKey = Key,
            };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.ExpectedDiagnostics.Add(Created(0, "model", source, "torch.nn.Sequential"));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_OneEvalPerModuleAndRegion()
        {
            var source = Method(@"        var model = new Net();
        var head = new Net();
        using (torch.no_grad())
        {
            var a = {|#0:model.call(x)|};
            var b = {|#1:head.call(a)|};
            return {|#2:model.call(b)|};
        }");
            var test = new Verify.Test
            {
                TestCode = source,
                FixedCode = Method(@"        var model = new Net();
        var head = new Net();
        model.eval();
        head.eval();
        using (torch.no_grad())
        {
            var a = model.call(x);
            var b = head.call(a);
            return model.call(b);
        }"),
                CodeActionEquivalenceKey = Key,
            };
            test.ExpectedDiagnostics.Add(Created(0, "model", source));
            test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticIds.MissingEval).WithLocation(1).WithArguments("head", "created at line " + LineOf(source, "var head"), DropoutInTraining));
            test.ExpectedDiagnostics.Add(Created(2, "model", source));
            return test.RunAsync();
        }

        [Fact]
        public Task FixAll_AcrossMethodsAndDocuments()
        {
            const string first = @"using TorchSharp;
using static TorchSharp.torch;

class A
{
    Tensor One(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.no_grad())
        {
            x = {|#0:model.call(x)|};
            return {|#1:model.call(x)|};
        }
    }

    Tensor Two(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        using var noGrad = torch.no_grad();
        return {|#2:net.forward(x)|};
    }
}";
            const string second = @"using TorchSharp;
using static TorchSharp.torch;

class B
{
    Tensor Three(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        using (torch.inference_mode())
        {
            return {|#3:model.call(x)|};
        }
    }
}";
            var test = new Verify.Test { CodeActionEquivalenceKey = Key };
            test.TestState.Sources.Add(first);
            test.TestState.Sources.Add(second);
            test.FixedState.Sources.Add(@"using TorchSharp;
using static TorchSharp.torch;

class A
{
    Tensor One(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.no_grad())
        {
            x = model.call(x);
            return model.call(x);
        }
    }

    Tensor Two(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        net.eval();
        using var noGrad = torch.no_grad();
        return net.forward(x);
    }
}");
            test.FixedState.Sources.Add(@"using TorchSharp;
using static TorchSharp.torch;

class B
{
    Tensor Three(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using (torch.inference_mode())
        {
            return model.call(x);
        }
    }
}");
            test.ExpectedDiagnostics.Add(Reason(0, "model", "received as parameter 'model', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining));
            test.ExpectedDiagnostics.Add(Reason(1, "model", "received as parameter 'model', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining));
            test.ExpectedDiagnostics.Add(Reason(2, "net", "received as parameter 'net', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining));
            test.ExpectedDiagnostics.Add(Reason(3, "model", "received as parameter 'model', and no caller puts it in eval mode", MissingEvalDiagnosticsTests.UnknownInTraining));
            return test.RunAsync();
        }
    }
}
