namespace TorchSharp.Analyzers.Bench.Corpus
{
    /// <summary>
    /// A local stand-in for the part of the TorchSharp API the generated code uses, in namespace <c>Fake</c>: the
    /// "no TorchSharp" corpora compile the very same text against it, so the compiler does the same binding work while
    /// the compilation references no TorchSharp assembly.
    /// </summary>
    internal static class FakeTorch
    {
        public const string Path = "Fake/FakeTorch.cs";

        public const string Source = @"using System;
using System.Collections.Generic;
using System.Linq;
using Fake.Modules;

namespace Fake
{
    public static partial class torch
    {
        public static readonly Device CPU = new Device(""cpu"");
        public static readonly Device CUDA = new Device(""cuda"");

        public static DisposeScope NewDisposeScope() => new DisposeScope();

        public static IDisposable no_grad() => new DisposeScope();

        public static IDisposable inference_mode(bool mode = true) => new DisposeScope();

        public static Tensor tensor(float[] values) => new Tensor(values.LongLength);

        public sealed class Device
        {
            public Device(string name) => Name = name;

            public string Name { get; }
        }

        public sealed class DisposeScope : IDisposable
        {
            public void Dispose()
            {
            }
        }

        public static class cuda
        {
            public static bool is_available() => false;
        }

        public class Tensor : IDisposable
        {
            public Tensor(params long[] shape) => this.shape = shape;

            public long[] shape { get; }

            public bool requires_grad { get; set; }

            public Tensor this[long index] => new Tensor(shape.Skip(1).ToArray());

            public Tensor this[long first, long second] => new Tensor();

            public static Tensor operator *(Tensor left, Tensor right) => new Tensor(left.shape);

            public static Tensor operator *(Tensor left, double right) => new Tensor(left.shape);

            public static Tensor operator +(Tensor left, Tensor right) => new Tensor(left.shape);

            public Tensor MoveToOuterDisposeScope() => this;

            public Tensor to(Device device) => this;

            public void backward()
            {
            }

            public T item<T>() where T : unmanaged => default;

            public Tensor argmax(long dim) => new Tensor(shape.Take((int)dim).ToArray());

            public Tensor eq(Tensor other) => new Tensor(shape);

            public Tensor sum() => new Tensor();

            public Tensor softmax(long dim) => new Tensor(shape);

            public Tensor reshape(params long[] newShape) => new Tensor(newShape);

            public Tensor unsqueeze(long dim) => new Tensor(new long[] { 1 }.Concat(shape).ToArray());

            public Tensor detach() => new Tensor(shape);

            public long numel() => shape.Aggregate(1L, (a, b) => a * b);

            public void Dispose()
            {
            }
        }

        public static partial class nn
        {
            public static Linear Linear(long inputSize, long outputSize) => new Linear(inputSize, outputSize);

            public static BatchNorm1d BatchNorm1d(long features) => new BatchNorm1d(features);

            public static Dropout Dropout(double probability) => new Dropout(probability);

            public static ReLU ReLU() => new ReLU();

            public static Sequential Sequential(params (string name, Module<Tensor, Tensor> submodule)[] modules) => new Sequential(modules);

            public static CrossEntropyLoss CrossEntropyLoss() => new CrossEntropyLoss();

            public abstract class Module : IDisposable
            {
                private readonly string name;
                private readonly List<Parameter> own = new List<Parameter>();
                private readonly List<(string, Module)> children = new List<(string, Module)>();

                protected Module(string name) => this.name = name;

                public bool training { get; private set; } = true;

                public string GetName() => name;

                protected void RegisterComponents()
                {
                    foreach (var field in GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
                    {
                        if (field.GetValue(this) is Module module)
                        {
                            children.Add((field.Name, module));
                        }
                    }
                }

                protected void AddParameter(Parameter parameter) => own.Add(parameter);

                public IEnumerable<Parameter> parameters() => named_parameters().Select(p => p.parameter);

                public IEnumerable<(string name, Parameter parameter)> named_parameters()
                {
                    foreach (var parameter in own)
                    {
                        yield return (""weight"", parameter);
                    }

                    foreach (var (childName, child) in children)
                    {
                        foreach (var (name, parameter) in child.named_parameters())
                        {
                            yield return (childName + ""."" + name, parameter);
                        }
                    }
                }

                public Module train(bool mode = true)
                {
                    training = mode;
                    foreach (var (_, child) in children)
                    {
                        child.train(mode);
                    }

                    return this;
                }

                public Module eval() => train(false);

                public Module save(string path) => this;

                public Module load(string path) => this;

                public void Dispose()
                {
                }
            }

            public abstract class Module<T, TResult> : Module
            {
                protected Module(string name)
                    : base(name)
                {
                }

                public abstract TResult forward(T input);

                public TResult call(T input) => forward(input);
            }

            public abstract class Module<T1, T2, TResult> : Module
            {
                protected Module(string name)
                    : base(name)
                {
                }

                public abstract TResult forward(T1 input, T2 target);

                public TResult call(T1 input, T2 target) => forward(input, target);
            }

            public static class functional
            {
                public static Tensor relu(Tensor x) => new Tensor(x.shape);

                public static Tensor cross_entropy(Tensor input, Tensor target) => new Tensor();
            }

            public static class utils
            {
                public static double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm) => parameters.Count() * max_norm;
            }
        }

        public static class optim
        {
            public static Optimizer Adam(IEnumerable<Parameter> parameters, double lr = 0.001) => new Optimizer(parameters);

            public static Optimizer AdamW(IEnumerable<Parameter> parameters, double lr = 0.001) => new Optimizer(parameters);

            public static Optimizer SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0.0) => new Optimizer(parameters);

            public class Optimizer : IDisposable
            {
                private readonly IEnumerable<Parameter> parameters;

                public Optimizer(IEnumerable<Parameter> parameters) => this.parameters = parameters;

                public void zero_grad()
                {
                }

                public Tensor? step() => parameters.Any() ? null : null;

                public void Dispose()
                {
                }
            }

            public static class lr_scheduler
            {
                public static LRScheduler StepLR(Optimizer optimizer, int step_size, double gamma = 0.1) => new LRScheduler();

                public sealed class LRScheduler
                {
                    public void step()
                    {
                    }
                }
            }
        }
    }
}

namespace Fake.Modules
{
    using static Fake.torch;

    public sealed class Parameter : Tensor
    {
        public Parameter(params long[] shape)
            : base(shape)
        {
            requires_grad = true;
        }
    }

    public sealed class Linear : nn.Module<Tensor, Tensor>
    {
        public Linear(long inputSize, long outputSize)
            : base(nameof(Linear))
        {
            AddParameter(new Parameter(outputSize, inputSize));
            AddParameter(new Parameter(outputSize));
        }

        public override Tensor forward(Tensor input) => new Tensor(input.shape);
    }

    public sealed class BatchNorm1d : nn.Module<Tensor, Tensor>
    {
        public BatchNorm1d(long features)
            : base(nameof(BatchNorm1d))
        {
            AddParameter(new Parameter(features));
        }

        public override Tensor forward(Tensor input) => new Tensor(input.shape);
    }

    public sealed class Dropout : nn.Module<Tensor, Tensor>
    {
        public Dropout(double probability)
            : base(nameof(Dropout))
        {
        }

        public override Tensor forward(Tensor input) => new Tensor(input.shape);
    }

    public sealed class ReLU : nn.Module<Tensor, Tensor>
    {
        public ReLU()
            : base(nameof(ReLU))
        {
        }

        public override Tensor forward(Tensor input) => new Tensor(input.shape);
    }

    public sealed class Sequential : nn.Module<Tensor, Tensor>
    {
        private readonly (string name, nn.Module<Tensor, Tensor> submodule)[] modules;

        public Sequential((string name, nn.Module<Tensor, Tensor> submodule)[] modules)
            : base(nameof(Sequential))
        {
            this.modules = modules;
        }

        public override Tensor forward(Tensor input) => modules.Aggregate(input, (x, m) => m.submodule.call(x));
    }

    public sealed class CrossEntropyLoss : nn.Module<Tensor, Tensor, Tensor>
    {
        public CrossEntropyLoss()
            : base(nameof(CrossEntropyLoss))
        {
        }

        public override Tensor forward(Tensor input, Tensor target) => new Tensor();
    }
}
";
    }
}
