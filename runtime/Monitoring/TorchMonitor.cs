using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// Observes a running model and reports, with the ids and wording of the TorchSharp.Analyzers rules, the
    /// conditions those rules look for in source code: inference in training mode (TORCH001), inference with autograd
    /// recording (TORCH002), optimizers over frozen parameters (TORCH003), parameters unfrozen after the optimizer was
    /// built (TORCH004), training steps through a module in eval mode (TORCH005), grad mode left changed (TORCH006),
    /// backward() with autograd off (TORCH007), unregistered submodules (TORCH008), async methods suspended inside a
    /// grad-mode scope (TORCH009, in an <see cref="AsyncRegion"/>), modules run by a direct forward(..) that skipped
    /// their hooks (TORCH010, see TorchMonitor.DirectForward.cs) and gradients not cleared between steps or cleared
    /// between backward() and step() (TORCH011, seen through <see cref="Backward"/> and <see cref="Step"/>).
    /// </summary>
    /// <remarks>
    /// <para>Create it on the thread that runs the model, <see cref="Attach"/> the model(s), <see cref="Watch"/> the
    /// optimizer(s), run, and dispose it. It is not meant for concurrent use from several threads.</para>
    /// <para>How it observes: forward pre- and post-hooks on every registered module (only <c>call(..)</c> runs hooks;
    /// a direct <c>forward(..)</c> is not seen); <c>torch.is_grad_enabled()</c> and
    /// <c>torch.is_inference_mode_enabled()</c>; <c>retain_grad()</c> on the output of a forward pass in eval mode with
    /// autograd on, so that a later backward() through it is visible in its <c>grad</c>; the parameters the watched
    /// optimizers hold; first-chance exceptions of its thread (a <c>backward()</c> that fails because autograd is off).</para>
    /// <para>Each distinct finding (same id and message) is reported once.</para>
    /// </remarks>
    public sealed partial class TorchMonitor : IDisposable
    {
        private const string NoGradFnText = "does not require grad and does not have a grad_fn";

        [ThreadStatic]
        private static bool t_inFirstChanceHandler;

        private readonly MonitorMode _mode;
        private readonly Action<string>? _log;
        private readonly object _gate = new object();
        private readonly List<MonitorFinding> _findings = new List<MonitorFinding>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<nn.Module, string> _names = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);

        // Names of modules reached only through unregistered fields: checked for TORCH008, never hooked, so a later
        // Attach of one of them still hooks it.
        private readonly Dictionary<nn.Module, string> _unregisteredNames = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);
        private readonly List<nn.Module> _roots = new List<nn.Module>();
        private readonly List<Action> _removers = new List<Action>();
        private readonly List<PendingForward> _pending = new List<PendingForward>();
        private readonly List<WatchedOptimizer> _optimizers = new List<WatchedOptimizer>();
        private readonly GradState _startState;
        private readonly int _threadId;
        private int _depth;
        private bool _disposed;

        /// <summary>Creates a monitor; it observes from now until <see cref="Dispose"/>.</summary>
        /// <param name="mode">What to do with a finding besides collecting it.</param>
        /// <param name="log">Where <see cref="MonitorMode.Log"/> writes <c>"TORCHxxx: message"</c>; required in that mode.</param>
        /// <exception cref="ArgumentNullException"><paramref name="mode"/> is <see cref="MonitorMode.Log"/> and <paramref name="log"/> is null.</exception>
        public TorchMonitor(MonitorMode mode = MonitorMode.Collect, Action<string>? log = null)
        {
            if (mode == MonitorMode.Log && log is null)
            {
                throw new ArgumentNullException(nameof(log), "Log mode needs a log action.");
            }

            _mode = mode;
            _log = log;
            _threadId = Environment.CurrentManagedThreadId;
            _startState = GradState.Current();
            AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
        }

        /// <summary>A monitor that only collects findings.</summary>
        /// <returns>A new monitor in <see cref="MonitorMode.Collect"/> mode.</returns>
        public static TorchMonitor Collecting() => new TorchMonitor(MonitorMode.Collect);

        /// <summary>A monitor that collects findings and writes each to <paramref name="log"/>.</summary>
        /// <param name="log">Receives <c>"TORCHxxx: message"</c>, e.g. <c>Console.Error.WriteLine</c>.</param>
        /// <returns>A new monitor in <see cref="MonitorMode.Log"/> mode.</returns>
        public static TorchMonitor Logging(Action<string> log) => new TorchMonitor(MonitorMode.Log, log);

        /// <summary>A monitor that collects findings and throws a <see cref="MonitorException"/> for each.</summary>
        /// <returns>A new monitor in <see cref="MonitorMode.Throw"/> mode.</returns>
        public static TorchMonitor Throwing() => new TorchMonitor(MonitorMode.Throw);

        /// <summary>What this monitor does with a finding besides collecting it.</summary>
        public MonitorMode Mode => _mode;

        /// <summary>The findings so far, in the order observed. Call <see cref="Flush"/> first to settle pending forward passes.</summary>
        public IReadOnlyList<MonitorFinding> Findings
        {
            get
            {
                lock (_gate)
                {
                    return _findings.ToArray();
                }
            }
        }

        /// <summary>
        /// Starts observing <paramref name="model"/>: hooks every registered module and checks, once, that every
        /// module-typed field of every module is a registered child (TORCH008). The model is taken as a root: a child
        /// that a parent registered is complete (register_module calls the child's RegisterComponents()); a module held
        /// by an unregistered field was registered by nobody, and its own fields are checked as well.
        /// </summary>
        /// <param name="model">The model.</param>
        /// <param name="name">The name used in messages (submodules get dotted names below it), like the variable name in source.</param>
        /// <returns>This monitor.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The monitor is disposed.</exception>
        public TorchMonitor Attach(nn.Module model, string name = "model")
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(name);
            ThrowIfDisposed();
            _roots.Add(model);
            var registered = new List<(string, nn.Module)> { (name, model) };
            registered.AddRange(model.named_modules().Select(m => (name + "." + m.Item1, m.Item2)));
            foreach ((string moduleName, nn.Module module) in registered)
            {
                if (_names.ContainsKey(module))
                {
                    continue;
                }

                _names.Add(module, moduleName);
                Hook(module);
            }

            // The attached model is the root: it and its registered descendants are checked. A module held by a field
            // that is not registered is reached by nothing TorchSharp does (no parent ever called its RegisterComponents(),
            // which register_module would have done), so it is checked too, and so on down.
            var checkedModules = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
            var pending = new Queue<nn.Module>(registered.Select(r => r.Item2));
            while (pending.Count > 0)
            {
                var module = pending.Dequeue();
                if (!checkedModules.Add(module))
                {
                    continue;
                }

                foreach ((string fieldName, nn.Module unregistered) in CheckRegistration(module))
                {
                    if (checkedModules.Contains(unregistered))
                    {
                        continue;
                    }

                    var unregisteredName = NameOf(module) + "." + fieldName;
                    _unregisteredNames.TryAdd(unregistered, unregisteredName);
                    pending.Enqueue(unregistered);
                    foreach ((string childName, nn.Module child) in unregistered.named_modules())
                    {
                        _unregisteredNames.TryAdd(child, unregisteredName + "." + childName);
                        pending.Enqueue(child);
                    }
                }
            }

            return this;
        }

        /// <summary>
        /// Starts watching <paramref name="optimizer"/>: checks now that it holds no frozen parameter (TORCH003), and
        /// from now on that parameters of the attached models frozen now are not unfrozen without the optimizer being
        /// able to train them (TORCH004). Attach the models first.
        /// </summary>
        /// <param name="optimizer">The optimizer, just built.</param>
        /// <param name="name">The name used in messages, like the variable name in source.</param>
        /// <param name="line">Filled in by the compiler: the line of this call, quoted by TORCH004 messages.</param>
        /// <returns>This monitor.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
        /// <exception cref="MonitorException">Throw mode, and the optimizer holds frozen parameters.</exception>
        public TorchMonitor Watch(optim.Optimizer optimizer, string name = "optimizer", [CallerLineNumber] int line = 0)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            ArgumentNullException.ThrowIfNull(name);
            ThrowIfDisposed();
            var held = optimizer.parameters().ToList();
            var heldHandles = new HashSet<IntPtr>(held.Select(p => p.Handle));
            var frozenNotHeld = new List<(string, Parameter)>();
            foreach (var root in _roots)
            {
                foreach ((string parameterName, Parameter parameter) in root.named_parameters())
                {
                    if (!parameter.requires_grad && !heldHandles.Contains(parameter.Handle))
                    {
                        frozenNotHeld.Add((_names[root] + "." + parameterName, parameter));
                    }
                }
            }

            _optimizers.Add(new WatchedOptimizer(optimizer, name, line, heldHandles, frozenNotHeld, optimizer.ParamGroups.Count()));
            TrackGradients(optimizer, name);

            var frozen = held.Count(p => !p.requires_grad);
            if (frozen > 0)
            {
                var owner = OwnerName(held);
                var what = frozen == held.Count
                    ? "all of which are frozen (" + Count(held.Count, "parameter") + "): it will train nothing"
                    : "some of which are frozen (" + frozen.ToString(CultureInfo.InvariantCulture) + " of " + Count(held.Count, "parameter")
                      + "): TorchSharp keeps optimizer state for every parameter it is given (measured +264 MB against +8 MB); pass only the trainable ones";
                Report(MonitorRules.OptimizerOverFrozenParameters, owner, MonitorRules.Format(MonitorRules.OptimizerOverFrozenParameters, name, owner, what));
            }

            return this;
        }

        /// <summary>
        /// A region whose end is checked: when it is disposed, the grad mode and inference mode must be those it started
        /// with (TORCH006), and pending forward passes are settled.
        /// </summary>
        /// <param name="name">The name used in messages.</param>
        /// <returns>The region; dispose it on this thread.</returns>
        public IDisposable Region(string name = "region")
        {
            ArgumentNullException.ThrowIfNull(name);
            ThrowIfDisposed();
            return new MonitorRegion(this, name, GradState.Current());
        }

        /// <summary>
        /// Checks that autograd is on (TORCH007), then calls <c>loss.backward()</c>. Without this wrapper the monitor sees
        /// only backward() calls that fail.
        /// </summary>
        /// <param name="loss">The tensor to differentiate.</param>
        /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
        /// <exception cref="MonitorException">Throw mode, and autograd is off.</exception>
        public void Backward(Tensor loss)
        {
            ArgumentNullException.ThrowIfNull(loss);
            ThrowIfDisposed();
            _depth = 0;
            var state = GradState.Current();
            if (!state.GradEnabled || state.InferenceMode)
            {
                Report(MonitorRules.BackwardWithoutGrad, null, MonitorRules.Format(MonitorRules.BackwardWithoutGrad, state.ScopeText()));
            }

            var before = GradientsBeforeBackward();
            loss.backward();
            CheckDirectForwards();
            AfterBackward(before);
        }

        /// <summary>
        /// Settles pending forward passes (TORCH005 when backward() ran through one in eval mode) and checks the
        /// watched optimizers (TORCH004), then calls <c>optimizer.step()</c>.
        /// </summary>
        /// <param name="optimizer">The optimizer to step.</param>
        /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
        /// <exception cref="MonitorException">Throw mode, and a finding was made.</exception>
        public void Step(optim.Optimizer optimizer)
        {
            ArgumentNullException.ThrowIfNull(optimizer);
            ThrowIfDisposed();
            _depth = 0;
            Settle();
            CheckOptimizers();
            CheckDirectForwards();
            CheckGradientsBeforeStep(optimizer);
            optimizer.step();
            AfterStep(optimizer);
        }

        /// <summary>
        /// Settles what is pending: each forward pass in eval mode with autograd on since the last settlement is
        /// reported as TORCH002 when no backward() went through its output, as TORCH005 when one did (and the module
        /// has mode-dependent layers); the watched optimizers are checked (TORCH004). Runs by itself at every outermost
        /// forward pass, <see cref="Step"/>, region end and <see cref="Dispose"/>.
        /// </summary>
        /// <exception cref="MonitorException">Throw mode, and a finding was made.</exception>
        public void Flush()
        {
            ThrowIfDisposed();
            _depth = 0;
            Settle();
            CheckOptimizers();
            CheckDirectForwards();
        }

        /// <summary>
        /// Settles pending forward passes, checks that the grad mode is the one the monitor started with (TORCH006, only
        /// when disposed on the thread that created it), removes the hooks and stops observing. Calling it again does nothing.
        /// </summary>
        /// <exception cref="MonitorException">Throw mode, and a finding was made (the monitor is disposed all the same).</exception>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
            try
            {
                Settle();
                CheckOptimizers();
                CheckDirectForwards();
                if (Environment.CurrentManagedThreadId == _threadId)
                {
                    CheckGradState(_startState, "the monitored run");
                }
            }
            finally
            {
                foreach (var remove in _removers)
                {
                    remove();
                }

                _removers.Clear();
                _pending.Clear();
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(TorchMonitor));
            }
        }

        private void Report(string id, string? module, string message, bool mayThrow = true)
        {
            var finding = new MonitorFinding(id, message, module);
            lock (_gate)
            {
                if (!_seen.Add(id + "\n" + message))
                {
                    return;
                }

                _findings.Add(finding);
            }

            if (_mode == MonitorMode.Log)
            {
                _log!(finding.ToString());
            }
            else if (_mode == MonitorMode.Throw && mayThrow)
            {
                throw new MonitorException(finding);
            }
        }

        // ---- forward passes -------------------------------------------------------------------------------------

        private void Hook(nn.Module module)
        {
            var pre = InvokeRegister(module, "register_forward_pre_hook", new Action<nn.Module>(OnPreForward));
            if (pre != null)
            {
                _removers.Add(pre);
                NoteHooked(module);
            }

            Action? post = module is nn.Module<Tensor, Tensor> tensorModule
                ? RemoverOf(tensorModule.register_forward_hook((m, input, output) =>
                {
                    OnPostForward(m, output);
                    return output;
                }))
                : InvokeRegister(module, "register_forward_hook", new Action<nn.Module>(m => OnPostForward(m, null)));
            if (post != null)
            {
                _removers.Add(post);
            }
        }

        private static Action? InvokeRegister(nn.Module module, string methodName, Action<nn.Module> hook)
        {
            for (var type = module.GetType(); type != null; type = type.BaseType)
            {
                var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly, null, new[] { typeof(Action<nn.Module>) }, null);
                if (method != null)
                {
                    return RemoverOf(method.Invoke(module, new object[] { hook }));
                }
            }

            return null;
        }

        private static Action? RemoverOf(object? remover)
        {
            var remove = remover?.GetType().GetMethod("remove", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            return remove is null ? null : () => remove.Invoke(remover, null);
        }

        private void OnPreForward(nn.Module module)
        {
            if (_disposed)
            {
                return;
            }

            NoteHookRan(module);

            if (_depth > 0)
            {
                _depth++;
                return;
            }

            Settle();
            CheckOptimizers();
            var state = GradState.Current();
            if (!state.GradEnabled || state.InferenceMode)
            {
                var training = ModeDependentLayers.InTraining(module);
                if (training.Count > 0)
                {
                    var name = NameOf(module);
                    var layers = string.Join(", ", training.Select(m => "'" + NameOf(m) + "'"));
                    var reason = "it runs in training mode " + state.ScopeText() + "; in training mode: " + layers;
                    Report(MonitorRules.MissingEval, name, MonitorRules.Format(MonitorRules.MissingEval, name, reason, ModeDependentLayers.InTrainingText(training)));
                }
            }

            _depth = 1;
        }

        private void OnPostForward(nn.Module module, Tensor? output)
        {
            if (_disposed || _depth == 0)
            {
                return;
            }

            _depth--;
            if (_depth > 0 || output is null || module.training)
            {
                return;
            }

            var state = GradState.Current();
            if (state.GradEnabled && !state.InferenceMode && output.requires_grad)
            {
                // Makes a later backward() through this output visible in output.grad.
                output.retain_grad();
                _pending.Add(new PendingForward(module, output));
            }
        }

        private void Settle()
        {
            if (_pending.Count == 0)
            {
                return;
            }

            var pending = _pending.ToArray();
            _pending.Clear();
            foreach (var forward in pending)
            {
                bool used;
                try
                {
                    if (forward.Output.IsInvalid)
                    {
                        continue;
                    }

                    used = forward.Output.grad is not null;
                }
                catch (ObjectDisposedException)
                {
                    continue;
                }

                var name = NameOf(forward.Module);
                if (!used)
                {
                    var reason = "it ran in eval mode with autograd on, and no backward() used the graph";
                    Report(MonitorRules.MissingNoGrad, name, MonitorRules.Format(MonitorRules.MissingNoGrad, name, reason));
                }
                else if (ModeDependentLayers.SelfAndDescendants(forward.Module).Where(ModeDependentLayers.IsModeDependent).ToList() is { Count: > 0 } modeDependent)
                {
                    var reason = "backward() ran through a forward pass made in eval mode";
                    Report(MonitorRules.MissingTrain, name, MonitorRules.Format(MonitorRules.MissingTrain, name, reason, ModeDependentLayers.InEvalText(modeDependent)));
                }
            }
        }

        // ---- optimizers -----------------------------------------------------------------------------------------

        private void CheckOptimizers()
        {
            foreach (var watched in _optimizers)
            {
                // Parameters handed over later with add_param_group have their own group and state: that is the fix.
                var added = new HashSet<IntPtr>(
                    watched.Optimizer.ParamGroups.Skip(watched.GroupsAtWatch).OfType<ParamGroup>().SelectMany(g => g.Parameters).Select(p => p.Handle));
                var unfrozen = watched.FrozenNotHeld.Where(p => p.Parameter.requires_grad && !added.Contains(p.Parameter.Handle)).ToList();
                if (unfrozen.Count == 0)
                {
                    continue;
                }

                var now = new HashSet<IntPtr>(watched.Optimizer.parameters().Select(p => p.Handle));
                var lazy = unfrozen.Any(p => now.Contains(p.Parameter.Handle));
                var owner = OwnerName(unfrozen.Select(p => p.Parameter));
                var what = lazy
                    ? "it re-enumerates its lazy filter at every step(), so the next step() throws KeyNotFoundException"
                    : "the list it was given is fixed, so the unfrozen parameters are never updated";
                Report(
                    MonitorRules.UnfrozenAfterOptimizer,
                    owner,
                    MonitorRules.Format(MonitorRules.UnfrozenAfterOptimizer, owner, watched.Name, watched.Line.ToString(CultureInfo.InvariantCulture), what));
            }
        }

        // ---- grad mode ------------------------------------------------------------------------------------------

        private void CheckGradState(GradState start, string regionText)
        {
            var now = GradState.Current();
            if (now.Equals(start))
            {
                return;
            }

            string call;
            string what;
            if (now.InferenceMode && !start.InferenceMode)
            {
                call = "torch.inference_mode()";
                what = "the thread stays in inference mode and backward() throws";
            }
            else if (!now.InferenceMode && start.InferenceMode)
            {
                call = "torch.inference_mode(false)";
                what = "inference mode stays off where the caller turned it on";
            }
            else if (!now.GradEnabled)
            {
                call = "torch.no_grad()";
                what = "autograd stays off and backward() throws";
            }
            else
            {
                call = "torch.enable_grad()";
                what = "autograd stays on where the caller turned it off";
            }

            Report(
                MonitorRules.UndisposedGradModeScope,
                null,
                MonitorRules.Format(MonitorRules.UndisposedGradModeScope, call, "not disposed when " + regionText + " ends", what));
        }

        private void OnFirstChanceException(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (t_inFirstChanceHandler || Environment.CurrentManagedThreadId != _threadId || _disposed)
            {
                return;
            }

            t_inFirstChanceHandler = true;
            try
            {
                if (e.Exception.Message.Contains(NoGradFnText, StringComparison.Ordinal))
                {
                    var state = GradState.Current();
                    if (!state.GradEnabled || state.InferenceMode)
                    {
                        Report(MonitorRules.BackwardWithoutGrad, null, MonitorRules.Format(MonitorRules.BackwardWithoutGrad, state.ScopeText()), mayThrow: false);
                    }
                }
            }
            catch (Exception)
            {
                // Observing must never change what the program does.
            }
            finally
            {
                t_inFirstChanceHandler = false;
            }
        }

        // ---- registration ---------------------------------------------------------------------------------------

        /// <summary>Reports the unregistered module fields of <paramref name="module"/>; returns the custom modules they hold (list elements included).</summary>
        private List<(string Field, nn.Module Module)> CheckRegistration(nn.Module module)
        {
            var unregisteredModules = new List<(string, nn.Module)>();
            var children = new HashSet<nn.Module>(module.children(), ReferenceEqualityComparer.Instance);
            var torchAssembly = typeof(nn.Module).Assembly;
            for (var type = module.GetType(); type != null && type.Assembly != torchAssembly; type = type.BaseType)
            {
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    var value = field.GetValue(module);
                    string? reason = null;
                    if (value is nn.Module sub)
                    {
                        if (!children.Contains(sub) && !IsStateless(sub))
                        {
                            unregisteredModules.Add((FieldName(field.Name), sub));
                            reason = "it is not among the registered children: RegisterComponents() did not see it and no register_module() named it";
                        }
                    }
                    else if (value is IEnumerable sequence && value is not string)
                    {
                        var elements = sequence.OfType<nn.Module>().ToList();
                        var index = 0;
                        foreach (var element in elements)
                        {
                            if (!children.Contains(element) && !IsStateless(element))
                            {
                                unregisteredModules.Add((FieldName(field.Name) + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", element));
                            }

                            index++;
                        }

                        if (elements.Any(m => !children.Contains(m) && !IsStateless(m)))
                        {
                            var typeText = FriendlyName(field.FieldType);
                            var elementText = FriendlyName(ElementType(field.FieldType) ?? typeof(nn.Module));
                            reason = field.FieldType.IsArray
                                ? "an array " + typeText + " is never registered; use ModuleList<" + elementText + ">"
                                : Article(typeText) + " " + typeText + " is never registered; use ModuleList<" + elementText + ">";
                        }
                    }

                    if (reason != null)
                    {
                        var owner = NameOf(module);
                        Report(
                            MonitorRules.UnregisteredSubmodule,
                            owner,
                            MonitorRules.Format(MonitorRules.UnregisteredSubmodule, FieldName(field.Name), module.GetType().Name, reason));
                    }
                }
            }

            return unregisteredModules;
        }

        private static bool IsStateless(nn.Module module)
            => module.GetType().Assembly == typeof(nn.Module).Assembly
               && !ModeDependentLayers.SelfAndDescendants(module).Any(ModeDependentLayers.IsModeDependent)
               && !module.parameters().Any()
               && !module.buffers(true, true).Any();

        private static string FieldName(string name)
        {
            // Auto-property backing field: <Name>k__BackingField.
            var end = name.IndexOf(">k__BackingField", StringComparison.Ordinal);
            return name.StartsWith('<') && end > 0 ? name.Substring(1, end - 1) : name;
        }

        private static Type? ElementType(Type type)
            => type.IsArray
                ? type.GetElementType()
                : type.GetInterfaces().Append(type)
                    .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                    .Select(i => i.GetGenericArguments()[0])
                    .FirstOrDefault();

        private static string FriendlyName(Type type)
        {
            if (type.IsArray)
            {
                return FriendlyName(type.GetElementType()!) + "[]";
            }

            if (!type.IsGenericType)
            {
                return type.Name;
            }

            var name = type.Name;
            var tick = name.IndexOf('`');
            return (tick > 0 ? name.Substring(0, tick) : name) + "<" + string.Join(", ", type.GetGenericArguments().Select(FriendlyName)) + ">";
        }

        private static string Article(string word) => word.Length > 0 && "AEIOU".IndexOf(word[0]) >= 0 ? "an" : "a";

        // ---- names ----------------------------------------------------------------------------------------------

        private string NameOf(nn.Module module)
            => _names.TryGetValue(module, out var name) || _unregisteredNames.TryGetValue(module, out name) ? name : module.GetName();

        private string OwnerName(IEnumerable<Parameter> parameters)
        {
            var handles = new HashSet<IntPtr>(parameters.Select(p => p.Handle));
            foreach (var root in _roots)
            {
                if (root.parameters().Any(p => handles.Contains(p.Handle)))
                {
                    return _names[root];
                }
            }

            return "the model";
        }

        private static string Count(int n, string noun)
            => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");

        private sealed class PendingForward
        {
            public PendingForward(nn.Module module, Tensor output)
            {
                Module = module;
                Output = output;
            }

            public nn.Module Module { get; }

            public Tensor Output { get; }
        }

        private sealed class WatchedOptimizer
        {
            public WatchedOptimizer(optim.Optimizer optimizer, string name, int line, HashSet<IntPtr> heldAtWatch, List<(string Name, Parameter Parameter)> frozenNotHeld, int groupsAtWatch)
            {
                Optimizer = optimizer;
                Name = name;
                Line = line;
                HeldAtWatch = heldAtWatch;
                FrozenNotHeld = frozenNotHeld;
                GroupsAtWatch = groupsAtWatch;
            }

            public optim.Optimizer Optimizer { get; }

            public string Name { get; }

            public int Line { get; }

            public HashSet<IntPtr> HeldAtWatch { get; }

            public List<(string Name, Parameter Parameter)> FrozenNotHeld { get; }

            /// <summary>How many parameter groups the optimizer had when watched; later ones came from add_param_group.</summary>
            public int GroupsAtWatch { get; }
        }

        private sealed class MonitorRegion : IDisposable
        {
            private readonly TorchMonitor _monitor;
            private readonly string _name;
            private readonly GradState _start;
            private bool _disposed;

            public MonitorRegion(TorchMonitor monitor, string name, GradState start)
            {
                _monitor = monitor;
                _name = name;
                _start = start;
            }

            public void Dispose()
            {
                if (_disposed || _monitor._disposed)
                {
                    return;
                }

                _disposed = true;
                _monitor._depth = 0;
                _monitor.Settle();
                _monitor.CheckGradState(_start, "region '" + _name + "'");
            }
        }

        private readonly struct GradState : IEquatable<GradState>
        {
            private GradState(bool gradEnabled, bool inferenceMode)
            {
                GradEnabled = gradEnabled;
                InferenceMode = inferenceMode;
            }

            public bool GradEnabled { get; }

            public bool InferenceMode { get; }

            public static GradState Current() => new GradState(torch.is_grad_enabled(), torch.is_inference_mode_enabled());

            public string ScopeText() => InferenceMode ? "inside an inference_mode scope" : "inside a grad-disabled scope";

            public bool Equals(GradState other) => GradEnabled == other.GradEnabled && InferenceMode == other.InferenceMode;

            public override bool Equals(object? obj) => obj is GradState other && Equals(other);

            public override int GetHashCode() => (GradEnabled ? 1 : 0) + (InferenceMode ? 2 : 0);
        }
    }
}
