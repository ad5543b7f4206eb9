using System.Runtime.InteropServices;

namespace Expt.Internal;

/// <summary>The few POSIX calls .NET does not expose.</summary>
internal static partial class Native
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal; a negative pid addresses a process group. False when there is no such process.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;
}
