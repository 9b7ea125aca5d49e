using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace TorchSharp.Analyzers.Runtime
{
    /// <summary>
    /// TORCH011 at run time, through <see cref="Backward"/> and <see cref="Step"/>: for each optimizer seen (watched or
    /// stepped), the gradients its parameters held at its last step and what every backward() since added to them. A step
    /// whose gradients equal the previous step's plus what was added since used them twice (nothing cleared them); a
    /// step whose gradients are all zero or null after a backward() added some ran on gradients cleared after that
    /// backward(). Gradients live on the parameters, so the check is numeric (equal within float rounding).
    /// </summary>
    public sealed partial class TorchMonitor
    {
        private const string NeverClearedWhat =
            "uses gradients that still hold those of its previous step: nothing calls zero_grad() between the two steps, and backward() adds to .grad";

        private const string ClearedBeforeStepWhat =
            "runs on gradients that zero_grad() cleared after the backward() that computed them: that backward() is thrown away";

        private const string ClearedBeforeStepFix = "call zero_grad() before backward() or after step(), not between them";

        private readonly Dictionary<optim.Optimizer, GradientTrack> _gradientTracks = new Dictionary<optim.Optimizer, GradientTrack>(ReferenceEqualityComparer.Instance);

        private GradientTrack TrackGradients(optim.Optimizer optimizer, string? name = null)
        {
            if (!_gradientTracks.TryGetValue(optimizer, out var track))
            {
                track = new GradientTrack(name ?? "optimizer", optimizer.parameters().ToList());
                _gradientTracks.Add(optimizer, track);
            }
            else if (name != null)
            {
                track.Name = name;
            }

            return track;
        }

        private Dictionary<GradientTrack, Tensor[]> GradientsBeforeBackward()
            => _gradientTracks.Values.ToDictionary(t => t, t => t.Snapshot());

        private void AfterBackward(Dictionary<GradientTrack, Tensor[]> before)
        {
            foreach (var (track, previous) in before)
            {
                var now = track.Snapshot();
                for (var i = 0; i < now.Length; i++)
                {
                    using var delta = now[i] - previous[i];
                    track.Added[i].add_(delta);
                    now[i].Dispose();
                    previous[i].Dispose();
                }
            }
        }

        private void CheckGradientsBeforeStep(optim.Optimizer optimizer)
        {
            var track = TrackGradients(optimizer);
            var now = track.Snapshot();
            try
            {
                var added = track.Added.Any(a => a.count_nonzero().item<long>() > 0);
                if (track.AtLastStep is { } previous && previous.Any(p => p.count_nonzero().item<long>() > 0) && added
                    && Enumerable.Range(0, now.Length).All(i => now[i].allclose(previous[i] + track.Added[i], rtol: 1e-4, atol: 1e-6)))
                {
                    Report(MonitorRules.GradientsNotCleared, null, MonitorRules.Format(MonitorRules.GradientsNotCleared, track.Name, NeverClearedWhat, "call " + track.Name + ".zero_grad() at the start of each iteration"));
                }
                else if (added && now.All(g => g.count_nonzero().item<long>() == 0))
                {
                    Report(MonitorRules.GradientsNotCleared, null, MonitorRules.Format(MonitorRules.GradientsNotCleared, track.Name, ClearedBeforeStepWhat, ClearedBeforeStepFix));
                }
            }
            finally
            {
                foreach (var tensor in now)
                {
                    tensor.Dispose();
                }
            }
        }

        private void AfterStep(optim.Optimizer optimizer)
        {
            var track = TrackGradients(optimizer);
            if (track.AtLastStep != null)
            {
                foreach (var tensor in track.AtLastStep)
                {
                    tensor.Dispose();
                }
            }

            track.AtLastStep = track.Snapshot();
            foreach (var added in track.Added)
            {
                added.zero_();
            }
        }

        private sealed class GradientTrack
        {
            private readonly List<Modules.Parameter> _parameters;

            public GradientTrack(string name, List<Modules.Parameter> parameters)
            {
                Name = name;
                _parameters = parameters;
                using (torch.no_grad())
                {
                    Added = parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
                }
            }

            public string Name { get; set; }

            /// <summary>What backward() calls added to each parameter's gradient since the last step.</summary>
            public Tensor[] Added { get; }

            /// <summary>The gradients at the last step (zeros for none); null before the first.</summary>
            public Tensor[]? AtLastStep { get; set; }

            /// <summary>A copy of each parameter's gradient, zeros when it has none.</summary>
            public Tensor[] Snapshot()
            {
                using (torch.no_grad())
                {
                    return _parameters.Select(p => (p.grad is { } grad ? grad.detach().clone() : torch.zeros_like(p)).DetachFromDisposeScope()).ToArray();
                }
            }
        }
    }
}
