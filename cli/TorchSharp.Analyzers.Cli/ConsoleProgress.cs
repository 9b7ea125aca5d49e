using System;
using System.IO;
using Spectre.Console;

namespace TorchSharp.Analyzers.Cli
{
    /// <summary>
    /// The progress display of a check on a terminal: one bar per stage with the item at work and the count of items,
    /// on the error output (so a report on standard output or in a file stays clean), cleared when the check ends.
    /// </summary>
    internal sealed class ConsoleProgress : ProgressDisplay
    {
        private readonly TextWriter error;

        public ConsoleProgress(TextWriter error) => this.error = error;

        public override T Run<T>(Func<ICheckProgress, T> work)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.Detect,
                Interactive = InteractionSupport.Yes,
            });
            return console.Progress()
                .AutoClear(true)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(context => work(new SpectreProgress(context)));
        }

        /// <summary>Each stage a task of the display; a stage of unknown size is indeterminate.</summary>
        private sealed class SpectreProgress : ICheckProgress
        {
            private readonly ProgressContext context;

            private readonly StageCounter counter = new();

            private ProgressTask? task;

            public SpectreProgress(ProgressContext context) => this.context = context;

            public void Stage(string name, int total)
            {
                if (task is not null)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }

                counter.Begin(name, total);
                task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1));
                task.IsIndeterminate = total == 0;
            }

            public void Item(string item)
            {
                if (task is null)
                {
                    return;
                }

                var description = counter.Next(item);
                task.Description = Markup.Escape(description);
                if (counter.Total > 0)
                {
                    task.Value = counter.Started - 1;
                }
            }
        }
    }
}
