using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ValidCode.Reinforcement
{
    /// <summary>
    /// The Q-networks an agent can use. Internal, and every implementation of this compilation is a plain MLP: no layer
    /// changes with train()/eval(), so acting under no_grad without eval() is correct (TORCH001's closed world).
    /// </summary>
    internal abstract class QNetwork : nn.Module<Tensor, Tensor>
    {
        protected QNetwork(string name)
            : base(name)
        {
        }

        public abstract long Actions { get; }
    }

    /// <summary>Two hidden layers with ReLU.</summary>
    internal sealed class MlpQNetwork : QNetwork
    {
        private readonly Linear _hidden1;
        private readonly Linear _hidden2;
        private readonly Linear _head;

        public MlpQNetwork(long observations, long actions, long hidden = 64)
            : base(nameof(MlpQNetwork))
        {
            _hidden1 = nn.Linear(observations, hidden);
            _hidden2 = nn.Linear(hidden, hidden);
            _head = nn.Linear(hidden, actions);
            Actions = actions;
            RegisterComponents();
        }

        public override long Actions { get; }

        public override Tensor forward(Tensor input)
            => _head.call(nn.functional.relu(_hidden2.call(nn.functional.relu(_hidden1.call(input)))));
    }

    /// <summary>A dueling head over a Sequential body: the body's layers are visible where it is created.</summary>
    internal sealed class DuelingQNetwork : QNetwork
    {
        private readonly Sequential _body;
        private readonly Linear _value;
        private readonly Linear _advantage;

        public DuelingQNetwork(long observations, long actions, long hidden = 64)
            : base(nameof(DuelingQNetwork))
        {
            _body = nn.Sequential(nn.Linear(observations, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU());
            _value = nn.Linear(hidden, 1);
            _advantage = nn.Linear(hidden, actions);
            Actions = actions;
            RegisterComponents();
        }

        public override long Actions { get; }

        public override Tensor forward(Tensor input)
        {
            var features = _body.call(input);
            var advantage = _advantage.call(features);
            return _value.call(features) + advantage - advantage.mean(new long[] { 1 }, keepdim: true);
        }
    }

    /// <summary>An epsilon-greedy DQN agent with a target network, over any Q-network of this compilation.</summary>
    internal sealed class QLearningAgent
    {
        private readonly QNetwork _online;
        private readonly QNetwork _target;
        private readonly optim.Optimizer _optimizer;
        private readonly Random _random = new Random(7);

        public QLearningAgent(QNetwork online, QNetwork target)
        {
            _online = online;
            _target = target;
            _optimizer = optim.Adam(_online.parameters(), 1e-3);
        }

        /// <summary>Epsilon-greedy action: inference through the online network, grad off.</summary>
        public long SelectAction(Tensor observation, double epsilon)
        {
            if (_random.NextDouble() < epsilon)
            {
                return _random.Next((int)_online.Actions);
            }

            using (torch.no_grad())
            {
                return _online.call(observation.unsqueeze(0)).argmax(1).item<long>();
            }
        }

        /// <summary>One TD step: the target network's values without grad, the online network trained.</summary>
        public double Learn(Tensor observations, Tensor actions, Tensor rewards, Tensor next, Tensor done, double gamma)
        {
            Tensor targets;
            using (torch.no_grad())
            {
                var best = _target.call(next).max(1).values;
                targets = rewards + gamma * best * (1 - done);
            }

            _optimizer.zero_grad();
            var predicted = _online.call(observations).gather(1, actions.unsqueeze(1)).squeeze(1);
            var loss = nn.functional.smooth_l1_loss(predicted, targets);
            loss.backward();
            _optimizer.step();
            return loss.item<float>();
        }

        /// <summary>Greedy evaluation of a batch of states, by name an inference method.</summary>
        public static Tensor EvaluatePolicy(QNetwork network, Tensor states)
        {
            using (torch.no_grad())
            {
                return network.call(states).argmax(1);
            }
        }
    }
}
