using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace TorchSharp.Analyzers.Bench.Corpus
{
    /// <summary>One generated source file.</summary>
    internal sealed class GeneratedFile
    {
        public GeneratedFile(string path, string text, int lines)
        {
            Path = path;
            Text = text;
            Lines = lines;
        }

        public string Path { get; }

        public string Text { get; }

        public int Lines { get; }
    }

    /// <summary>
    /// Generates a realistic TorchSharp project: model classes (<c>Module&lt;Tensor,Tensor&gt;</c> subclasses with Linear,
    /// Dropout and BatchNorm fields and <c>RegisterComponents()</c>), trainers with epoch loops and validation, evaluation
    /// and prediction helpers, fine-tuning code, and plain utility code, each file 100–300 lines. Deterministic for a
    /// given file count. The same text compiles against TorchSharp or against the <see cref="FakeTorch"/> stand-in: only
    /// the root namespace of the using directives differs, so both corpora have the same shape.
    /// </summary>
    internal static class ProjectGenerator
    {
        private enum Kind
        {
            Model,
            Trainer,
            Evaluation,
            Prediction,
            FineTuning,
            Utility,
        }

        // Twenty files: five models, five trainers, three evaluation helpers, two predictors, two fine-tuning, three utilities.
        private static readonly Kind[] Mix =
        {
            Kind.Model, Kind.Trainer, Kind.Evaluation, Kind.Model, Kind.Prediction,
            Kind.Utility, Kind.Trainer, Kind.Model, Kind.FineTuning, Kind.Trainer,
            Kind.Evaluation, Kind.Model, Kind.Utility, Kind.Trainer, Kind.Prediction,
            Kind.Model, Kind.FineTuning, Kind.Evaluation, Kind.Trainer, Kind.Utility,
        };

        /// <summary>Generates <paramref name="files"/> files whose using directives name <paramref name="rootNamespace"/>.</summary>
        public static ImmutableArray<GeneratedFile> Generate(int files, string rootNamespace)
        {
            // Models come first in the mix, so every other file can use a model declared anywhere in the project.
            var models = new List<string>();
            for (var i = 0; i < files; i++)
            {
                if (Mix[i % Mix.Length] == Kind.Model)
                {
                    models.Add(ModelName(i));
                }
            }

            if (models.Count == 0)
            {
                models.Add(ModelName(0));
            }

            var result = ImmutableArray.CreateBuilder<GeneratedFile>(files);
            for (var i = 0; i < files; i++)
            {
                var random = new Random(unchecked((i * 7919) + 17));
                var kind = i == 0 ? Kind.Model : Mix[i % Mix.Length];
                var file = new FileGenerator(i, rootNamespace, random, models);
                result.Add(file.Generate(kind));
            }

            return result.MoveToImmutable();
        }

        /// <summary>A single file holding one method of about <paramref name="lines"/> lines (the single-method target), plus the models it uses.</summary>
        public static ImmutableArray<GeneratedFile> LargeMethod(int lines, string rootNamespace)
        {
            var models = new List<string> { ModelName(0), ModelName(3), ModelName(7) };
            var result = ImmutableArray.CreateBuilder<GeneratedFile>();
            foreach (var (index, name) in new[] { (0, models[0]), (3, models[1]), (7, models[2]) })
            {
                var generator = new FileGenerator(index, rootNamespace, new Random(index + 1), models);
                result.Add(generator.Generate(Kind.Model));
            }

            result.Add(new FileGenerator(1000, rootNamespace, new Random(4242), models).LargeWorkflow(lines));
            return result.ToImmutable();
        }

        private static string ModelName(int index)
            => (index % 3) switch
            {
                0 => "ClassifierNet",
                1 => "ResidualNet",
                _ => "TabularNet",
            } + index.ToString(CultureInfo.InvariantCulture);

        /// <summary>The text of one file.</summary>
        private sealed class FileGenerator
        {
            private readonly int _index;
            private readonly string _root;
            private readonly Random _random;
            private readonly List<string> _models;
            private readonly CodeWriter _w = new CodeWriter();
            private readonly Dictionary<string, int> _memberNames = new Dictionary<string, int>(StringComparer.Ordinal);

            public FileGenerator(int index, string root, Random random, List<string> models)
            {
                _index = index;
                _root = root;
                _random = random;
                _models = models;
            }

            private string N => _index.ToString(CultureInfo.InvariantCulture);

            private string AnyModel => _models[_random.Next(_models.Count)];

            /// <summary>Roughly one method in twenty carries a real mistake, as real code does.</summary>
            private bool Mistake => _random.Next(20) == 0;

            public GeneratedFile Generate(Kind kind)
            {
                var target = _random.Next(100, 260);
                Header(kind == Kind.Utility);
                switch (kind)
                {
                    case Kind.Model:
                        Model(target);
                        return Done("Models/" + ModelName(_index) + ".cs");
                    case Kind.Trainer:
                        Trainer(target);
                        return Done("Training/Trainer" + N + ".cs");
                    case Kind.Evaluation:
                        Evaluation(target);
                        return Done("Evaluation/Evaluation" + N + ".cs");
                    case Kind.Prediction:
                        Predictor(target);
                        return Done("Serving/Predictor" + N + ".cs");
                    case Kind.FineTuning:
                        FineTuning(target);
                        return Done("Training/FineTuning" + N + ".cs");
                    default:
                        Utility(target);
                        return Done("Utilities/Metrics" + N + ".cs");
                }
            }

            public GeneratedFile LargeWorkflow(int lines)
            {
                Header(plain: false);
                using (_w.Block("namespace Bench.Project.Workflows"))
                {
                    _w.Line("/// <summary>An experiment script written as one long method, as notebooks ported to C# often are.</summary>");
                    using (_w.Block("public static class Experiment"))
                    {
                        using (_w.Block("public static double Run(IReadOnlyList<(Tensor Data, Tensor Target)> train, IReadOnlyList<(Tensor Data, Tensor Target)> validation, int epochs, bool fineTune, string checkpoint)"))
                        {
                            _w.Line("var best = double.MaxValue;");
                            _w.Line("var history = new List<double>();");
                            var section = 0;
                            var start = _w.Lines;
                            while (_w.Lines - start < lines - 12)
                            {
                                LargeWorkflowSection(section++);
                            }

                            _w.Line("Console.WriteLine($\"best validation loss {best:F4} after {history.Count} evaluations\");");
                            _w.Line("return best;");
                        }
                    }
                }

                return Done("Workflows/Experiment.cs");
            }

            private GeneratedFile Done(string path) => new GeneratedFile(path, _w.ToString(), _w.Lines);

            private void Header(bool plain)
            {
                _w.Line("using System;");
                _w.Line("using System.Collections.Generic;");
                _w.Line("using System.Globalization;");
                _w.Line("using System.Linq;");
                if (!plain)
                {
                    _w.Line("using " + _root + ";");
                    _w.Line("using " + _root + ".Modules;");
                    _w.Line("using Bench.Project.Models;");
                    _w.Line("using static " + _root + ".torch;");
                }

                _w.Line();
            }

            private string Unique(string name)
            {
                _memberNames.TryGetValue(name, out var count);
                _memberNames[name] = count + 1;
                return count == 0 ? name : name + (count + 1).ToString(CultureInfo.InvariantCulture);
            }

            // ---------------------------------------------------------------- models

            private void Model(int target)
            {
                var name = ModelName(_index);
                var hidden = 1 + _random.Next(3);
                var sequential = _index % 3 == 1;
                using (_w.Block("namespace Bench.Project.Models"))
                {
                    _w.Line("/// <summary>A feed-forward network with batch normalization and dropout between its layers.</summary>");
                    using (_w.Block("public sealed class " + name + " : nn.Module<Tensor, Tensor>"))
                    {
                        if (sequential)
                        {
                            _w.Line("private readonly Sequential encoder;");
                        }
                        else
                        {
                            _w.Line("private readonly Linear input;");
                            _w.Line("private readonly BatchNorm1d norm0;");
                            _w.Line("private readonly Dropout dropout0;");
                            for (var h = 1; h <= hidden; h++)
                            {
                                _w.Line("private readonly Linear hidden" + h + ";");
                                _w.Line("private readonly Dropout dropout" + h + ";");
                            }
                        }

                        _w.Line("private readonly Linear output;");
                        _w.Line("private readonly long inputSize;");
                        _w.Line();
                        _w.Line("public " + name + "(long inputSize, long hiddenSize, long classes, double dropoutRate = 0.25)");
                        using (_w.Block("    : base(nameof(" + name + "))"))
                        {
                            _w.Line("this.inputSize = inputSize;");
                            if (sequential)
                            {
                                _w.Line("encoder = nn.Sequential(");
                                _w.Line("    (\"fc1\", nn.Linear(inputSize, hiddenSize)),");
                                _w.Line("    (\"bn1\", nn.BatchNorm1d(hiddenSize)),");
                                _w.Line("    (\"relu1\", nn.ReLU()),");
                                _w.Line("    (\"drop1\", nn.Dropout(dropoutRate)),");
                                _w.Line("    (\"fc2\", nn.Linear(hiddenSize, hiddenSize)),");
                                _w.Line("    (\"relu2\", nn.ReLU()));");
                            }
                            else
                            {
                                _w.Line("input = nn.Linear(inputSize, hiddenSize);");
                                _w.Line("norm0 = nn.BatchNorm1d(hiddenSize);");
                                _w.Line("dropout0 = nn.Dropout(dropoutRate);");
                                for (var h = 1; h <= hidden; h++)
                                {
                                    _w.Line("hidden" + h + " = nn.Linear(hiddenSize, hiddenSize);");
                                    _w.Line("dropout" + h + " = nn.Dropout(dropoutRate / " + (h + 1) + ");");
                                }
                            }

                            _w.Line("output = nn.Linear(hiddenSize, classes);");
                            _w.Line("RegisterComponents();");
                        }

                        _w.Line();
                        _w.Line("public long InputSize => inputSize;");
                        _w.Line();
                        using (_w.Block("public override Tensor forward(Tensor x)"))
                        {
                            _w.Line("using var scope = torch.NewDisposeScope();");
                            _w.Line("var features = Features(x);");
                            _w.Line("return output.call(features).MoveToOuterDisposeScope();");
                        }

                        _w.Line();
                        _w.Line("/// <summary>The activations before the output layer.</summary>");
                        using (_w.Block("public Tensor Features(Tensor x)"))
                        {
                            if (sequential)
                            {
                                _w.Line("var h = encoder.call(x);");
                            }
                            else
                            {
                                _w.Line("var h = nn.functional.relu(norm0.call(input.call(x)));");
                                _w.Line("h = dropout0.call(h);");
                                for (var h = 1; h <= hidden; h++)
                                {
                                    _w.Line("h = dropout" + h + ".call(nn.functional.relu(hidden" + h + ".call(h)));");
                                }
                            }

                            _w.Line("return h;");
                        }

                        var fillers = new Action[] { ModelFreeze, ModelUnfreeze, ModelCountParameters, ModelDescribe, ModelParameterNorm, ModelPredictClass, ModelSave };
                        var next = _random.Next(fillers.Length);
                        while (_w.Lines < target)
                        {
                            _w.Line();
                            fillers[next++ % fillers.Length]();
                        }
                    }
                }
            }

            private void ModelFreeze()
            {
                using (_w.Block("public void " + Unique("FreezeFeatures") + "()"))
                {
                    using (_w.Block("foreach (var (name, parameter) in named_parameters())"))
                    {
                        using (_w.Block("if (!name.StartsWith(\"output\", StringComparison.Ordinal))"))
                        {
                            _w.Line("parameter.requires_grad = false;");
                        }
                    }
                }
            }

            private void ModelUnfreeze()
            {
                using (_w.Block("public void " + Unique("UnfreezeAll") + "()"))
                {
                    using (_w.Block("foreach (var parameter in parameters())"))
                    {
                        _w.Line("parameter.requires_grad = true;");
                    }
                }
            }

            private void ModelCountParameters()
            {
                using (_w.Block("public long " + Unique("CountParameters") + "(bool trainableOnly = false)"))
                {
                    _w.Line("long total = 0;");
                    using (_w.Block("foreach (var parameter in parameters())"))
                    {
                        using (_w.Block("if (trainableOnly && !parameter.requires_grad)"))
                        {
                            _w.Line("continue;");
                        }

                        _w.Line();
                        _w.Line("total += parameter.numel();");
                    }

                    _w.Line();
                    _w.Line("return total;");
                }
            }

            private void ModelDescribe()
            {
                using (_w.Block("public string " + Unique("Describe") + "()"))
                {
                    _w.Line("var lines = new List<string> { GetName() };");
                    using (_w.Block("foreach (var (name, parameter) in named_parameters())"))
                    {
                        _w.Line("var shape = string.Join(\"x\", parameter.shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));");
                        _w.Line("lines.Add($\"  {name}: {shape}{(parameter.requires_grad ? string.Empty : \" (frozen)\")}\");");
                    }

                    _w.Line();
                    _w.Line("return string.Join(Environment.NewLine, lines);");
                }
            }

            private void ModelParameterNorm()
            {
                using (_w.Block("public double " + Unique("ParameterNorm") + "()"))
                {
                    _w.Line("var sum = 0.0;");
                    using (_w.Block("using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var parameter in parameters())"))
                        {
                            _w.Line("using var squared = parameter.detach() * parameter.detach();");
                            _w.Line("sum += squared.sum().item<float>();");
                        }
                    }

                    _w.Line();
                    _w.Line("return Math.Sqrt(sum);");
                }
            }

            private void ModelPredictClass()
            {
                using (_w.Block("public long " + Unique("PredictClass") + "(Tensor features)"))
                {
                    _w.Line("eval();");
                    _w.Line("using var guard = torch.no_grad();");
                    _w.Line("using var logits = call(features.unsqueeze(0));");
                    _w.Line("return logits.argmax(1).item<long>();");
                }
            }

            private void ModelSave()
            {
                using (_w.Block("public void " + Unique("SaveTo") + "(string directory, int epoch)"))
                {
                    _w.Line("var path = System.IO.Path.Combine(directory, $\"{GetName()}-{epoch:D3}.bin\");");
                    using (_w.Block("if (!System.IO.Directory.Exists(directory))"))
                    {
                        _w.Line("System.IO.Directory.CreateDirectory(directory);");
                    }

                    _w.Line();
                    _w.Line("save(path);");
                }
            }

            // ---------------------------------------------------------------- trainers

            private void Trainer(int target)
            {
                var model = AnyModel;
                var name = "Trainer" + N;
                using (_w.Block("namespace Bench.Project.Training"))
                {
                    _w.Line("/// <summary>Trains a " + model + " with early stopping on the validation loss.</summary>");
                    using (_w.Block("public sealed class " + name))
                    {
                        _w.Line("private readonly " + model + " model;");
                        _w.Line("private readonly optim.Optimizer optimizer;");
                        _w.Line("private readonly CrossEntropyLoss lossFunction;");
                        _w.Line("private readonly Device device;");
                        _w.Line("private readonly List<double> history = new List<double>();");
                        _w.Line();
                        using (_w.Block("public " + name + "(" + model + " model, double learningRate)"))
                        {
                            _w.Line("this.model = model;");
                            _w.Line("device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;");
                            _w.Line(_random.Next(2) == 0
                                ? "optimizer = torch.optim.Adam(model.parameters(), learningRate);"
                                : "optimizer = torch.optim.SGD(model.parameters(), learningRate, momentum: 0.9);");
                            _w.Line("lossFunction = nn.CrossEntropyLoss();");
                        }

                        _w.Line();
                        _w.Line("public IReadOnlyList<double> History => history;");
                        _w.Line();
                        TrainerFit();
                        _w.Line();
                        TrainerValidate("Validate");
                        var fillers = new Action[] { TrainerEpoch, TrainerAccumulate, TrainerAccuracy, TrainerCheckpoint, TrainerLog, TrainerSchedule, () => TrainerValidate(Unique("ValidateSubset")) };
                        var next = _random.Next(fillers.Length);
                        while (_w.Lines < target)
                        {
                            _w.Line();
                            fillers[next++ % fillers.Length]();
                        }
                    }
                }
            }

            private void TrainerFit()
            {
                var forgetsTrain = Mistake;
                using (_w.Block("public void Fit(IReadOnlyList<(Tensor Data, Tensor Target)> train, IReadOnlyList<(Tensor Data, Tensor Target)> validation, int epochs)"))
                {
                    _w.Line("var scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10, 0.5);");
                    _w.Line("var best = double.MaxValue;");
                    _w.Line("var patience = 0;");
                    if (forgetsTrain)
                    {
                        _w.Line("model.train();");
                    }

                    using (_w.Block("for (var epoch = 0; epoch < epochs; epoch++)"))
                    {
                        if (!forgetsTrain)
                        {
                            _w.Line("model.train();");
                        }

                        _w.Line("var trainLoss = 0.0;");
                        using (_w.Block("foreach (var (data, target) in train)"))
                        {
                            _w.Line("using var scope = torch.NewDisposeScope();");
                            _w.Line("optimizer.zero_grad();");
                            _w.Line("var output = model.call(data.to(device));");
                            _w.Line("var loss = lossFunction.call(output, target.to(device));");
                            _w.Line("loss.backward();");
                            _w.Line("optimizer.step();");
                            _w.Line("trainLoss += loss.item<float>();");
                        }

                        _w.Line();
                        _w.Line("scheduler.step();");
                        _w.Line("var validationLoss = Validate(validation);");
                        _w.Line("history.Add(validationLoss);");
                        using (_w.Block("if (validationLoss < best)"))
                        {
                            _w.Line("best = validationLoss;");
                            _w.Line("patience = 0;");
                        }

                        using (_w.Block("else if (++patience >= 5)"))
                        {
                            _w.Line("Console.WriteLine($\"early stop at epoch {epoch}\");");
                            _w.Line("break;");
                        }

                        _w.Line();
                        using (_w.Block("if (epoch % 10 == 0)"))
                        {
                            _w.Line("Console.WriteLine($\"epoch {epoch}: train {trainLoss / Math.Max(1, train.Count):F4}, validation {validationLoss:F4}\");");
                        }
                    }
                }
            }

            private void TrainerValidate(string name)
            {
                var forgetsNoGrad = Mistake;
                using (_w.Block("public double " + name + "(IReadOnlyList<(Tensor Data, Tensor Target)> batches)"))
                {
                    _w.Line("model.eval();");
                    _w.Line("var total = 0.0;");
                    using (_w.Block(forgetsNoGrad ? "using (torch.NewDisposeScope())" : "using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var (data, target) in batches)"))
                        {
                            _w.Line("using var output = model.call(data.to(device));");
                            _w.Line("using var loss = lossFunction.call(output, target.to(device));");
                            _w.Line("total += loss.item<float>();");
                        }
                    }

                    _w.Line();
                    _w.Line("return batches.Count == 0 ? 0.0 : total / batches.Count;");
                }
            }

            private void TrainerEpoch()
            {
                using (_w.Block("public double " + Unique("TrainEpoch") + "(IEnumerable<(Tensor Data, Tensor Target)> batches, double maxNorm)"))
                {
                    _w.Line("model.train();");
                    _w.Line("var sum = 0.0;");
                    _w.Line("var count = 0;");
                    using (_w.Block("foreach (var (data, target) in batches)"))
                    {
                        _w.Line("using var scope = torch.NewDisposeScope();");
                        _w.Line("optimizer.zero_grad();");
                        _w.Line("var loss = nn.functional.cross_entropy(model.call(data), target);");
                        _w.Line("loss.backward();");
                        using (_w.Block("if (maxNorm > 0)"))
                        {
                            _w.Line("nn.utils.clip_grad_norm_(model.parameters(), maxNorm);");
                        }

                        _w.Line();
                        _w.Line("optimizer.step();");
                        _w.Line("sum += loss.item<float>();");
                        _w.Line("count++;");
                    }

                    _w.Line();
                    _w.Line("return count == 0 ? 0.0 : sum / count;");
                }
            }

            private void TrainerAccumulate()
            {
                using (_w.Block("public void " + Unique("TrainWithAccumulation") + "(IReadOnlyList<(Tensor Data, Tensor Target)> batches, int accumulation)"))
                {
                    _w.Line("model.train();");
                    _w.Line("optimizer.zero_grad();");
                    using (_w.Block("for (var i = 0; i < batches.Count; i++)"))
                    {
                        _w.Line("using var scope = torch.NewDisposeScope();");
                        _w.Line("var (data, target) = batches[i];");
                        _w.Line("var loss = lossFunction.call(model.call(data), target);");
                        _w.Line("(loss * (1.0 / accumulation)).backward();");
                        using (_w.Block("if ((i + 1) % accumulation == 0 || i == batches.Count - 1)"))
                        {
                            _w.Line("optimizer.step();");
                            _w.Line("optimizer.zero_grad();");
                        }
                    }
                }
            }

            private void TrainerAccuracy()
            {
                var forgetsEval = Mistake;
                using (_w.Block("public double " + Unique("Accuracy") + "(IEnumerable<(Tensor Data, Tensor Target)> batches)"))
                {
                    if (!forgetsEval)
                    {
                        _w.Line("model.eval();");
                    }

                    _w.Line("long correct = 0;");
                    _w.Line("long total = 0;");
                    using (_w.Block("using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var (data, target) in batches)"))
                        {
                            _w.Line("using var output = model.call(data);");
                            _w.Line("using var predicted = output.argmax(1);");
                            _w.Line("correct += predicted.eq(target).sum().item<long>();");
                            _w.Line("total += target.shape[0];");
                        }
                    }

                    _w.Line();
                    _w.Line("return total == 0 ? 0.0 : (double)correct / total;");
                }
            }

            private void TrainerCheckpoint()
            {
                using (_w.Block("public string " + Unique("SaveCheckpoint") + "(string directory, int epoch)"))
                {
                    _w.Line("var path = System.IO.Path.Combine(directory, $\"checkpoint-{epoch:D4}.bin\");");
                    using (_w.Block("if (history.Count > 0 && history[history.Count - 1] > history.Min() * 1.5)"))
                    {
                        _w.Line("Console.WriteLine($\"validation loss is diverging at epoch {epoch}\");");
                    }

                    _w.Line();
                    _w.Line("model.save(path);");
                    _w.Line("return path;");
                }
            }

            private void TrainerLog()
            {
                using (_w.Block("public string " + Unique("Summary") + "()"))
                {
                    using (_w.Block("if (history.Count == 0)"))
                    {
                        _w.Line("return \"not trained\";");
                    }

                    _w.Line();
                    _w.Line("var best = history.Min();");
                    _w.Line("var bestEpoch = history.IndexOf(best);");
                    _w.Line("var last = history[history.Count - 1];");
                    _w.Line("var trend = history.Count > 1 && last < history[history.Count - 2] ? \"improving\" : \"flat\";");
                    _w.Line("return string.Format(CultureInfo.InvariantCulture, \"best {0:F4} at epoch {1}, last {2:F4} ({3})\", best, bestEpoch, last, trend);");
                }
            }

            private void TrainerSchedule()
            {
                using (_w.Block("public static double " + Unique("WarmupLearningRate") + "(int step, int warmupSteps, double baseRate)"))
                {
                    using (_w.Block("if (step < warmupSteps)"))
                    {
                        _w.Line("return baseRate * (step + 1) / warmupSteps;");
                    }

                    _w.Line();
                    _w.Line("var progress = (step - warmupSteps) / (double)Math.Max(1, 10 * warmupSteps);");
                    _w.Line("return baseRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));");
                }
            }

            // ---------------------------------------------------------------- evaluation

            private void Evaluation(int target)
            {
                using (_w.Block("namespace Bench.Project.Evaluation"))
                {
                    _w.Line("/// <summary>Metrics over labelled batches.</summary>");
                    using (_w.Block("public static class Evaluation" + N))
                    {
                        var fillers = new Action[] { EvaluationAccuracy, EvaluationMeanLoss, EvaluationConfusion, EvaluationPerClass, EvaluationCompare };
                        var next = _random.Next(fillers.Length);
                        var first = true;
                        while (_w.Lines < target)
                        {
                            if (!first)
                            {
                                _w.Line();
                            }

                            first = false;
                            fillers[next++ % fillers.Length]();
                        }
                    }
                }
            }

            private void EvaluationAccuracy()
            {
                var forgetsNoGrad = Mistake;
                using (_w.Block("public static double " + Unique("Accuracy") + "(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Data, Tensor Target)> batches)"))
                {
                    _w.Line("model.eval();");
                    _w.Line("long correct = 0;");
                    _w.Line("long total = 0;");
                    using (_w.Block(forgetsNoGrad ? "using (torch.NewDisposeScope())" : "using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var (data, target) in batches)"))
                        {
                            _w.Line("using var output = model.call(data);");
                            _w.Line("correct += output.argmax(1).eq(target).sum().item<long>();");
                            _w.Line("total += target.shape[0];");
                        }
                    }

                    _w.Line();
                    _w.Line("return total == 0 ? 0.0 : (double)correct / total;");
                }
            }

            private void EvaluationMeanLoss()
            {
                var model = AnyModel;
                using (_w.Block("public static double " + Unique("MeanLoss") + "(" + model + " model, IReadOnlyList<(Tensor Data, Tensor Target)> batches)"))
                {
                    _w.Line("model.eval();");
                    _w.Line("using var lossFunction = nn.CrossEntropyLoss();");
                    _w.Line("var sum = 0.0;");
                    using (_w.Block("using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var (data, target) in batches)"))
                        {
                            _w.Line("using var scope = torch.NewDisposeScope();");
                            _w.Line("sum += lossFunction.call(model.call(data), target).item<float>();");
                        }
                    }

                    _w.Line();
                    _w.Line("return batches.Count == 0 ? double.NaN : sum / batches.Count;");
                }
            }

            private void EvaluationConfusion()
            {
                using (_w.Block("public static long[,] " + Unique("ConfusionMatrix") + "(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Data, Tensor Target)> batches, int classes)"))
                {
                    _w.Line("var matrix = new long[classes, classes];");
                    _w.Line("model.eval();");
                    using (_w.Block("using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var (data, target) in batches)"))
                        {
                            _w.Line("using var predicted = model.call(data).argmax(1);");
                            _w.Line("var count = target.shape[0];");
                            using (_w.Block("for (var i = 0; i < count; i++)"))
                            {
                                _w.Line("var actual = (int)target[i].item<long>();");
                                _w.Line("var guess = (int)predicted[i].item<long>();");
                                _w.Line("matrix[actual, guess]++;");
                            }
                        }
                    }

                    _w.Line();
                    _w.Line("return matrix;");
                }
            }

            private void EvaluationPerClass()
            {
                using (_w.Block("public static double[] " + Unique("Recall") + "(long[,] matrix)"))
                {
                    _w.Line("var classes = matrix.GetLength(0);");
                    _w.Line("var recall = new double[classes];");
                    using (_w.Block("for (var actual = 0; actual < classes; actual++)"))
                    {
                        _w.Line("long row = 0;");
                        using (_w.Block("for (var guess = 0; guess < classes; guess++)"))
                        {
                            _w.Line("row += matrix[actual, guess];");
                        }

                        _w.Line();
                        _w.Line("recall[actual] = row == 0 ? 0.0 : (double)matrix[actual, actual] / row;");
                    }

                    _w.Line();
                    _w.Line("return recall;");
                }
            }

            private void EvaluationCompare()
            {
                var first = AnyModel;
                var second = AnyModel;
                using (_w.Block("public static string " + Unique("Compare") + "(" + first + " baseline, " + second + " candidate, IReadOnlyList<(Tensor Data, Tensor Target)> batches)"))
                {
                    _w.Line("baseline.eval();");
                    _w.Line("candidate.eval();");
                    _w.Line("var agreements = 0L;");
                    _w.Line("var total = 0L;");
                    using (_w.Block("using (torch.inference_mode())"))
                    {
                        using (_w.Block("foreach (var (data, _) in batches)"))
                        {
                            _w.Line("using var left = baseline.call(data).argmax(1);");
                            _w.Line("using var right = candidate.call(data).argmax(1);");
                            _w.Line("agreements += left.eq(right).sum().item<long>();");
                            _w.Line("total += data.shape[0];");
                        }
                    }

                    _w.Line();
                    _w.Line("return total == 0 ? \"no data\" : $\"agreement {(double)agreements / total:P1} on {total} samples\";");
                }
            }

            // ---------------------------------------------------------------- prediction

            private void Predictor(int target)
            {
                var model = AnyModel;
                var name = "Predictor" + N;
                using (_w.Block("namespace Bench.Project.Serving"))
                {
                    _w.Line("/// <summary>Serves predictions of a trained " + model + ".</summary>");
                    using (_w.Block("public sealed class " + name + " : IDisposable"))
                    {
                        _w.Line("private readonly " + model + " model;");
                        _w.Line("private readonly string[] labels;");
                        _w.Line();
                        using (_w.Block("public " + name + "(string checkpoint, string[] labels, long inputSize, long hiddenSize)"))
                        {
                            _w.Line("this.labels = labels;");
                            _w.Line("model = new " + model + "(inputSize, hiddenSize, labels.Length);");
                            _w.Line("model.load(checkpoint);");
                            if (!Mistake)
                            {
                                _w.Line("model.eval();");
                            }
                        }

                        _w.Line();
                        var fillers = new Action[] { PredictorPredict, PredictorBatch, PredictorProbabilities, PredictorTopLabel, PredictorConfidence };
                        var next = _random.Next(fillers.Length);
                        while (_w.Lines < target)
                        {
                            fillers[next++ % fillers.Length]();
                            _w.Line();
                        }

                        _w.Line("public void Dispose() => model.Dispose();");
                    }
                }
            }

            private void PredictorPredict()
            {
                var forgetsNoGrad = Mistake;
                using (_w.Block("public int " + Unique("Predict") + "(float[] features)"))
                {
                    if (!forgetsNoGrad)
                    {
                        _w.Line("using var guard = torch.no_grad();");
                    }

                    _w.Line("using var input = torch.tensor(features).reshape(1, features.Length);");
                    _w.Line("using var output = model.call(input);");
                    _w.Line("return (int)output.argmax(1).item<long>();");
                }
            }

            private void PredictorBatch()
            {
                using (_w.Block("public IReadOnlyList<string> " + Unique("PredictBatch") + "(IReadOnlyList<float[]> rows)"))
                {
                    _w.Line("var result = new List<string>(rows.Count);");
                    using (_w.Block("using (torch.no_grad())"))
                    {
                        using (_w.Block("foreach (var row in rows)"))
                        {
                            using (_w.Block("if (row.Length == 0)"))
                            {
                                _w.Line("result.Add(string.Empty);");
                                _w.Line("continue;");
                            }

                            _w.Line();
                            _w.Line("using var input = torch.tensor(row).reshape(1, row.Length);");
                            _w.Line("using var output = model.call(input);");
                            _w.Line("result.Add(labels[(int)output.argmax(1).item<long>()]);");
                        }
                    }

                    _w.Line();
                    _w.Line("return result;");
                }
            }

            private void PredictorProbabilities()
            {
                using (_w.Block("public float[] " + Unique("Probabilities") + "(float[] features)"))
                {
                    _w.Line("using var guard = torch.no_grad();");
                    _w.Line("using var input = torch.tensor(features).reshape(1, features.Length);");
                    _w.Line("using var probabilities = model.call(input).softmax(1);");
                    _w.Line("var result = new float[labels.Length];");
                    using (_w.Block("for (var i = 0; i < result.Length; i++)"))
                    {
                        _w.Line("result[i] = probabilities[0, i].item<float>();");
                    }

                    _w.Line();
                    _w.Line("return result;");
                }
            }

            private void PredictorTopLabel()
            {
                using (_w.Block("public string " + Unique("TopLabel") + "(float[] features, float threshold)"))
                {
                    _w.Line("var probabilities = Probabilities(features);");
                    _w.Line("var best = 0;");
                    using (_w.Block("for (var i = 1; i < probabilities.Length; i++)"))
                    {
                        using (_w.Block("if (probabilities[i] > probabilities[best])"))
                        {
                            _w.Line("best = i;");
                        }
                    }

                    _w.Line();
                    _w.Line("return probabilities[best] >= threshold ? labels[best] : \"unknown\";");
                }
            }

            private void PredictorConfidence()
            {
                using (_w.Block("public (string Label, double Confidence) " + Unique("PredictWithConfidence") + "(float[] features, int samples)"))
                {
                    _w.Line("var votes = new int[labels.Length];");
                    _w.Line("using (torch.no_grad())");
                    _w.Line("{");
                    _w.Line("    using var input = torch.tensor(features).reshape(1, features.Length);");
                    _w.Line("    for (var i = 0; i < samples; i++)");
                    _w.Line("    {");
                    _w.Line("        using var output = model.call(input);");
                    _w.Line("        votes[(int)output.argmax(1).item<long>()]++;");
                    _w.Line("    }");
                    _w.Line("}");
                    _w.Line();
                    _w.Line("var winner = Array.IndexOf(votes, votes.Max());");
                    _w.Line("return (labels[winner], votes[winner] / (double)Math.Max(1, samples));");
                }
            }

            // ---------------------------------------------------------------- fine-tuning

            private void FineTuning(int target)
            {
                var model = AnyModel;
                using (_w.Block("namespace Bench.Project.Training"))
                {
                    _w.Line("/// <summary>Two-stage fine-tuning of a pretrained " + model + ": the head first, then everything.</summary>");
                    using (_w.Block("public static class FineTuning" + N))
                    {
                        using (_w.Block("public static void FreezeBackbone(" + model + " model)"))
                        {
                            using (_w.Block("foreach (var (name, parameter) in model.named_parameters())"))
                            {
                                _w.Line("parameter.requires_grad = name.StartsWith(\"output\", StringComparison.Ordinal);");
                            }
                        }

                        _w.Line();
                        using (_w.Block("public static optim.Optimizer CreateOptimizer(" + model + " model, double learningRate)"))
                        {
                            _w.Line(Mistake
                                ? "return torch.optim.AdamW(model.parameters(), learningRate);"
                                : "return torch.optim.AdamW(model.parameters().Where(p => p.requires_grad).ToList(), learningRate);");
                        }

                        _w.Line();
                        using (_w.Block("public static void Run(" + model + " model, IReadOnlyList<(Tensor Data, Tensor Target)> train, IReadOnlyList<(Tensor Data, Tensor Target)> validation, int headEpochs, int fullEpochs)"))
                        {
                            _w.Line("FreezeBackbone(model);");
                            _w.Line("var optimizer = CreateOptimizer(model, 1e-3);");
                            _w.Line("RunStage(model, optimizer, train, headEpochs);");
                            _w.Line("Console.WriteLine($\"head: {Validate(model, validation):F4}\");");
                            _w.Line();
                            using (_w.Block("foreach (var parameter in model.parameters())"))
                            {
                                _w.Line("parameter.requires_grad = true;");
                            }

                            _w.Line();
                            _w.Line("var full = torch.optim.SGD(model.parameters(), 1e-4, momentum: 0.9);");
                            _w.Line("RunStage(model, full, train, fullEpochs);");
                            _w.Line("Console.WriteLine($\"full: {Validate(model, validation):F4}\");");
                        }

                        _w.Line();
                        using (_w.Block("private static void RunStage(" + model + " model, optim.Optimizer optimizer, IReadOnlyList<(Tensor Data, Tensor Target)> batches, int epochs)"))
                        {
                            using (_w.Block("for (var epoch = 0; epoch < epochs; epoch++)"))
                            {
                                _w.Line("model.train();");
                                using (_w.Block("foreach (var (data, target) in batches)"))
                                {
                                    _w.Line("using var scope = torch.NewDisposeScope();");
                                    _w.Line("optimizer.zero_grad();");
                                    _w.Line("var loss = nn.functional.cross_entropy(model.call(data), target);");
                                    _w.Line("loss.backward();");
                                    _w.Line("optimizer.step();");
                                }
                            }
                        }

                        _w.Line();
                        using (_w.Block("private static double Validate(" + model + " model, IReadOnlyList<(Tensor Data, Tensor Target)> batches)"))
                        {
                            _w.Line("model.eval();");
                            _w.Line("var sum = 0.0;");
                            using (_w.Block("using (torch.no_grad())"))
                            {
                                using (_w.Block("foreach (var (data, target) in batches)"))
                                {
                                    _w.Line("using var loss = nn.functional.cross_entropy(model.call(data), target);");
                                    _w.Line("sum += loss.item<float>();");
                                }
                            }

                            _w.Line();
                            _w.Line("return sum / Math.Max(1, batches.Count);");
                        }

                        var fillers = new Action[] { () => FineTuneCount(model), () => FineTuneLayerwise(model), () => FineTuneReport(model) };
                        var next = _random.Next(fillers.Length);
                        while (_w.Lines < target)
                        {
                            _w.Line();
                            fillers[next++ % fillers.Length]();
                        }
                    }
                }
            }

            private void FineTuneCount(string model)
            {
                using (_w.Block("public static (long Trainable, long Frozen) " + Unique("CountParameters") + "(" + model + " model)"))
                {
                    _w.Line("long trainable = 0;");
                    _w.Line("long frozen = 0;");
                    using (_w.Block("foreach (var parameter in model.parameters())"))
                    {
                        using (_w.Block("if (parameter.requires_grad)"))
                        {
                            _w.Line("trainable += parameter.numel();");
                        }

                        using (_w.Block("else"))
                        {
                            _w.Line("frozen += parameter.numel();");
                        }
                    }

                    _w.Line();
                    _w.Line("return (trainable, frozen);");
                }
            }

            private void FineTuneLayerwise(string model)
            {
                using (_w.Block("public static void " + Unique("UnfreezeGradually") + "(" + model + " model, IReadOnlyList<(Tensor Data, Tensor Target)> batches, string[] stages)"))
                {
                    using (_w.Block("foreach (var stage in stages)"))
                    {
                        using (_w.Block("foreach (var (name, parameter) in model.named_parameters())"))
                        {
                            using (_w.Block("if (name.StartsWith(stage, StringComparison.Ordinal))"))
                            {
                                _w.Line("parameter.requires_grad = true;");
                            }
                        }

                        _w.Line();
                        _w.Line("var optimizer = torch.optim.Adam(model.parameters().Where(p => p.requires_grad).ToList(), 1e-4);");
                        _w.Line("RunStage(model, optimizer, batches, 1);");
                    }
                }
            }

            private void FineTuneReport(string model)
            {
                using (_w.Block("public static string " + Unique("FrozenLayers") + "(" + model + " model)"))
                {
                    _w.Line("var frozen = model.named_parameters()");
                    _w.Line("    .Where(p => !p.parameter.requires_grad)");
                    _w.Line("    .Select(p => p.name.Split('.')[0])");
                    _w.Line("    .Distinct()");
                    _w.Line("    .OrderBy(n => n, StringComparer.Ordinal)");
                    _w.Line("    .ToList();");
                    _w.Line("return frozen.Count == 0 ? \"none\" : string.Join(\", \", frozen);");
                }
            }

            // ---------------------------------------------------------------- plain utilities

            private void Utility(int target)
            {
                using (_w.Block("namespace Bench.Project.Utilities"))
                {
                    _w.Line("/// <summary>Running statistics for training logs.</summary>");
                    using (_w.Block("public sealed class Metrics" + N))
                    {
                        _w.Line("private readonly Dictionary<string, List<double>> values = new Dictionary<string, List<double>>(StringComparer.Ordinal);");
                        _w.Line();
                        using (_w.Block("public void Add(string name, double value)"))
                        {
                            using (_w.Block("if (!values.TryGetValue(name, out var list))"))
                            {
                                _w.Line("list = new List<double>();");
                                _w.Line("values[name] = list;");
                            }

                            _w.Line();
                            _w.Line("list.Add(value);");
                        }

                        var fillers = new Action[] { UtilityMean, UtilityStd, UtilityCsv, UtilityParse, UtilitySmooth, UtilityEarlyStop };
                        var next = _random.Next(fillers.Length);
                        while (_w.Lines < target)
                        {
                            _w.Line();
                            fillers[next++ % fillers.Length]();
                        }
                    }
                }
            }

            private void UtilityMean()
            {
                using (_w.Block("public double " + Unique("Mean") + "(string name)"))
                {
                    _w.Line("return values.TryGetValue(name, out var list) && list.Count > 0 ? list.Average() : double.NaN;");
                }
            }

            private void UtilityStd()
            {
                using (_w.Block("public double " + Unique("StandardDeviation") + "(string name)"))
                {
                    using (_w.Block("if (!values.TryGetValue(name, out var list) || list.Count < 2)"))
                    {
                        _w.Line("return 0.0;");
                    }

                    _w.Line();
                    _w.Line("var mean = list.Average();");
                    _w.Line("var sum = 0.0;");
                    using (_w.Block("foreach (var value in list)"))
                    {
                        _w.Line("sum += (value - mean) * (value - mean);");
                    }

                    _w.Line();
                    _w.Line("return Math.Sqrt(sum / (list.Count - 1));");
                }
            }

            private void UtilityCsv()
            {
                using (_w.Block("public string " + Unique("ToCsv") + "()"))
                {
                    _w.Line("var names = values.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();");
                    _w.Line("var rows = values.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();");
                    _w.Line("var builder = new System.Text.StringBuilder();");
                    _w.Line("builder.AppendLine(string.Join(\",\", names));");
                    using (_w.Block("for (var row = 0; row < rows; row++)"))
                    {
                        _w.Line("var cells = names.Select(n => row < values[n].Count ? values[n][row].ToString(\"G6\", CultureInfo.InvariantCulture) : string.Empty);");
                        _w.Line("builder.AppendLine(string.Join(\",\", cells));");
                    }

                    _w.Line();
                    _w.Line("return builder.ToString();");
                }
            }

            private void UtilityParse()
            {
                using (_w.Block("public static Dictionary<string, double> " + Unique("ParseSettings") + "(string text)"))
                {
                    _w.Line("var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);");
                    using (_w.Block("foreach (var rawLine in text.Split('\\n'))"))
                    {
                        _w.Line("var line = rawLine.Trim();");
                        using (_w.Block("if (line.Length == 0 || line.StartsWith(\"#\", StringComparison.Ordinal))"))
                        {
                            _w.Line("continue;");
                        }

                        _w.Line();
                        _w.Line("var separator = line.IndexOf('=');");
                        using (_w.Block("if (separator <= 0)"))
                        {
                            _w.Line("throw new FormatException($\"expected key=value, got '{line}'\");");
                        }

                        _w.Line();
                        _w.Line("var key = line.Substring(0, separator).Trim();");
                        _w.Line("result[key] = double.Parse(line.Substring(separator + 1).Trim(), CultureInfo.InvariantCulture);");
                    }

                    _w.Line();
                    _w.Line("return result;");
                }
            }

            private void UtilitySmooth()
            {
                using (_w.Block("public IReadOnlyList<double> " + Unique("Smoothed") + "(string name, double factor)"))
                {
                    _w.Line("var result = new List<double>();");
                    using (_w.Block("if (!values.TryGetValue(name, out var list))"))
                    {
                        _w.Line("return result;");
                    }

                    _w.Line();
                    _w.Line("var current = list.Count > 0 ? list[0] : 0.0;");
                    using (_w.Block("foreach (var value in list)"))
                    {
                        _w.Line("current = (factor * current) + ((1 - factor) * value);");
                        _w.Line("result.Add(current);");
                    }

                    _w.Line();
                    _w.Line("return result;");
                }
            }

            private void UtilityEarlyStop()
            {
                using (_w.Block("public bool " + Unique("ShouldStop") + "(string name, int patience, double minDelta)"))
                {
                    using (_w.Block("if (!values.TryGetValue(name, out var list) || list.Count <= patience)"))
                    {
                        _w.Line("return false;");
                    }

                    _w.Line();
                    _w.Line("var best = list.Take(list.Count - patience).Min();");
                    _w.Line("var recent = list.Skip(list.Count - patience).Min();");
                    _w.Line("return recent > best - minDelta;");
                }
            }

            // ---------------------------------------------------------------- the long method

            private void LargeWorkflowSection(int section)
            {
                var model = _models[section % _models.Count];
                var s = section.ToString(CultureInfo.InvariantCulture);
                switch (section % 4)
                {
                    case 0:
                        _w.Line("// Stage " + s + ": train a fresh model with validation every epoch.");
                        _w.Line("var model" + s + " = new " + model + "(32, 64, 10);");
                        _w.Line("var optimizer" + s + " = torch.optim.Adam(model" + s + ".parameters(), 1e-3);");
                        _w.Line("var loss" + s + " = nn.CrossEntropyLoss();");
                        using (_w.Block("for (var epoch = 0; epoch < epochs; epoch++)"))
                        {
                            _w.Line("model" + s + ".train();");
                            using (_w.Block("foreach (var (data, target) in train)"))
                            {
                                _w.Line("using var scope = torch.NewDisposeScope();");
                                _w.Line("optimizer" + s + ".zero_grad();");
                                _w.Line("var output = model" + s + ".call(data);");
                                _w.Line("var loss = loss" + s + ".call(output, target);");
                                using (_w.Block("if (double.IsNaN(loss.item<float>()))"))
                                {
                                    _w.Line("Console.WriteLine($\"NaN loss at epoch {epoch}\");");
                                    _w.Line("break;");
                                }

                                _w.Line("loss.backward();");
                                _w.Line("optimizer" + s + ".step();");
                            }

                            _w.Line("model" + s + ".eval();");
                            _w.Line("var validationLoss" + s + " = 0.0;");
                            using (_w.Block("using (torch.no_grad())"))
                            {
                                using (_w.Block("foreach (var (data, target) in validation)"))
                                {
                                    _w.Line("using var output = model" + s + ".call(data);");
                                    _w.Line("validationLoss" + s + " += loss" + s + ".call(output, target).item<float>();");
                                }
                            }

                            _w.Line("history.Add(validationLoss" + s + ");");
                            using (_w.Block("if (validationLoss" + s + " < best)"))
                            {
                                _w.Line("best = validationLoss" + s + ";");
                                _w.Line("model" + s + ".save(checkpoint);");
                            }
                        }

                        break;

                    case 1:
                        _w.Line("// Stage " + s + ": fine-tune the head of the previous model, then everything.");
                        var previous = (section - 1).ToString(CultureInfo.InvariantCulture);
                        using (_w.Block("if (fineTune)"))
                        {
                            using (_w.Block("foreach (var (name, parameter) in model" + previous + ".named_parameters())"))
                            {
                                _w.Line("parameter.requires_grad = name.StartsWith(\"output\", StringComparison.Ordinal);");
                            }

                            _w.Line("var head" + s + " = torch.optim.SGD(model" + previous + ".parameters().Where(p => p.requires_grad).ToList(), 1e-3, momentum: 0.9);");
                            _w.Line("model" + previous + ".train();");
                            using (_w.Block("foreach (var (data, target) in train)"))
                            {
                                _w.Line("using var scope = torch.NewDisposeScope();");
                                _w.Line("head" + s + ".zero_grad();");
                                _w.Line("var loss = nn.functional.cross_entropy(model" + previous + ".call(data), target);");
                                _w.Line("loss.backward();");
                                _w.Line("head" + s + ".step();");
                            }

                            using (_w.Block("foreach (var parameter in model" + previous + ".parameters())"))
                            {
                                _w.Line("parameter.requires_grad = true;");
                            }
                        }

                        break;

                    case 2:
                        _w.Line("// Stage " + s + ": evaluate the previous models and keep the better one.");
                        var a = (section - 2).ToString(CultureInfo.InvariantCulture);
                        _w.Line("model" + a + ".eval();");
                        _w.Line("long correct" + s + " = 0;");
                        _w.Line("long total" + s + " = 0;");
                        using (_w.Block("using (torch.no_grad())"))
                        {
                            using (_w.Block("foreach (var (data, target) in validation)"))
                            {
                                _w.Line("using var predicted = model" + a + ".call(data).argmax(1);");
                                _w.Line("correct" + s + " += predicted.eq(target).sum().item<long>();");
                                _w.Line("total" + s + " += target.shape[0];");
                                using (_w.Block("if (total" + s + " > 10000)"))
                                {
                                    _w.Line("break;");
                                }
                            }
                        }

                        _w.Line("var accuracy" + s + " = total" + s + " == 0 ? 0.0 : (double)correct" + s + " / total" + s + ";");
                        using (_w.Block("switch (accuracy" + s + ")"))
                        {
                            _w.Line("case < 0.5:");
                            _w.Line("    Console.WriteLine(\"stage " + s + ": poor\");");
                            _w.Line("    break;");
                            _w.Line("case < 0.9:");
                            _w.Line("    Console.WriteLine(\"stage " + s + ": fair\");");
                            _w.Line("    break;");
                            _w.Line("default:");
                            _w.Line("    Console.WriteLine(\"stage " + s + ": good\");");
                            _w.Line("    break;");
                        }

                        break;

                    default:
                        _w.Line("// Stage " + s + ": predictions on a few samples, with error handling.");
                        var m = (section - 3).ToString(CultureInfo.InvariantCulture);
                        using (_w.Block("try"))
                        {
                            _w.Line("model" + m + ".eval();");
                            using (_w.Block("using (torch.inference_mode())"))
                            {
                                using (_w.Block("for (var i = 0; i < Math.Min(8, validation.Count); i++)"))
                                {
                                    _w.Line("using var probabilities = model" + m + ".call(validation[i].Data).softmax(1);");
                                    _w.Line("var label = probabilities.argmax(1);");
                                    _w.Line("Console.WriteLine($\"sample {i}: {label[0].item<long>()}\");");
                                }
                            }
                        }

                        using (_w.Block("catch (InvalidOperationException exception)"))
                        {
                            _w.Line("Console.WriteLine(exception.Message);");
                        }

                        using (_w.Block("finally"))
                        {
                            _w.Line("model" + m + ".train();");
                        }

                        break;
                }
            }
        }
    }
}
