using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TorchSharp.Analyzers.Bench.Measurement
{
    /// <summary>
    /// Processor time consumed by the calling thread, in nanoseconds: unlike wall time it does not grow when other
    /// processes compete for the cores. Linux and macOS: clock_gettime(CLOCK_THREAD_CPUTIME_ID); Windows:
    /// GetThreadTimes; elsewhere the stopwatch (and <see cref="IsThreadTime"/> is false). About half a microsecond per read.
    /// </summary>
    internal static class ThreadCpu
    {
        private static readonly int ClockId = OperatingSystem.IsMacOS() ? 16 : 3;

        /// <summary>Whether <see cref="Now"/> reads thread processor time on this platform.</summary>
        public static bool IsThreadTime { get; } = Probe();

        public static long Now()
        {
            if (IsThreadTime)
            {
                if (OperatingSystem.IsWindows())
                {
                    GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user);
                    return (kernel + user) * 100;
                }

                clock_gettime(ClockId, out var time);
                return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
            }

            return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        }

        public static TimeSpan Elapsed(long start, long end) => TimeSpan.FromTicks((end - start) / 100);

        private static bool Probe()
        {
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    return GetThreadTimes(GetCurrentThread(), out _, out _, out _, out _);
                }

                return (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && clock_gettime(ClockId, out _) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return false;
            }
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int clock_gettime(int clockId, out Timespec time);

        [DllImport("kernel32.dll")]
        private static extern IntPtr GetCurrentThread();

        [DllImport("kernel32.dll")]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);
    }
}
