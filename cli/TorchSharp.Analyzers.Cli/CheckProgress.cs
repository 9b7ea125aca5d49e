using System;
using System.Threading;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// What a check reports while it runs: a stage (loading a solution, parsing files, analyzing projects, fixing
    /// documents) with the number of its items, then each item as work on it starts.
    /// </summary>
    internal interface ICheckProgress
    {
        /// <summary>Starts a stage of <paramref name="total"/> items; 0 when the count is not known in advance.</summary>
        void Stage(string name, int total);

        /// <summary>Work on <paramref name="item"/> of the current stage starts (the items before it are done).</summary>
        void Item(string item);
    }

    /// <summary>How a check shows its progress: <see cref="None"/>, or the console's display (<see cref="ConsoleProgress"/>).</summary>
    internal abstract class ProgressDisplay
    {
        public static readonly ProgressDisplay None = new Silent();

        /// <summary>Runs a check's work with a progress receiver and returns its result; the display ends with it.</summary>
        public abstract T Run<T>(Func<ICheckProgress, T> work);

        private sealed class Silent : ProgressDisplay
        {
            public override T Run<T>(Func<ICheckProgress, T> work) => work(NoProgress.Instance);
        }
    }

    /// <summary>No display: redirected error output, and every caller that does not ask for one.</summary>
    internal sealed class NoProgress : ICheckProgress
    {
        public static readonly NoProgress Instance = new();

        private NoProgress()
        {
        }

        public void Stage(string name, int total)
        {
        }

        public void Item(string item)
        {
        }
    }

    /// <summary>Counts the items of the current stage for a display: "Analyzing (2/3): App".</summary>
    internal sealed class StageCounter
    {
        private int total;

        private int started;

        public string Name { get; private set; } = string.Empty;

        public int Total => Volatile.Read(ref total);

        /// <summary>The items started so far in this stage.</summary>
        public int Started => Volatile.Read(ref started);

        public void Begin(string name, int count)
        {
            Name = name;
            Volatile.Write(ref total, count);
            Volatile.Write(ref started, 0);
        }

        /// <summary>Counts one more started item and says where the stage stands.</summary>
        public string Next(string item)
        {
            var index = Interlocked.Increment(ref started);
            return Total > 0 ? $"{Name} ({index}/{Total}): {item}" : $"{Name}: {item}";
        }
    }
}
