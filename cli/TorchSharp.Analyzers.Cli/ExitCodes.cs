namespace TorchSharp.Analyzers.Cli
{
    /// <summary>The documented exit codes (docs/cli.md).</summary>
    public static class ExitCodes
    {
        /// <summary>The check ran and found nothing.</summary>
        public const int Clean = 0;

        /// <summary>The check ran and found at least one finding.</summary>
        public const int Findings = 1;

        /// <summary>Bad usage or input that could not be loaded: nothing was checked.</summary>
        public const int Error = 2;
    }

    /// <summary>Bad input: its message is shown to the user as it is, without a stack trace, and the exit code is 2.</summary>
    internal sealed class UsageException : System.Exception
    {
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
