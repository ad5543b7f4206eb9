using System.Collections;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>How a child the runner reaped itself ended.</summary>
/// <param name="ExitCode">Its exit code, 128+N when signal N killed it.</param>
/// <param name="PeakRssMb">The largest resident memory of it or of any descendant reaped inside its tree, MiB.</param>
internal sealed record ReapedExit(int ExitCode, double? PeakRssMb);

/// <summary>
/// A job's wrapper started by one posix_spawn of /bin/sh in a session of its own, and reaped by a thread that blocks
/// in wait4 for it alone. Reaping it ourselves is what gives the kernel's peak memory of the whole tree: a
/// System.Diagnostics.Process child is reaped by .NET, which keeps only the exit code.
/// </summary>
internal sealed class SessionProcess
{
    // wait4 needs almost no stack; one small thread per running job.
    private const int ReaperStackBytes = 128 * 1024;

    private SessionProcess(int pid, Task<ReapedExit?> exited)
    {
        Pid = pid;
        Exited = exited;
    }

    /// <summary>The wrapper's pid, also its session and process-group id.</summary>
    public int Pid { get; }

    /// <summary>
    /// Completes once it ended and was reaped; null when something else reaped it first (.NET reaps every child
    /// when it runs as PID 1 or was started with SIGCHLD ignored), so that only its own files tell how it ended.
    /// </summary>
    public Task<ReapedExit?> Exited { get; }

    /// <summary>Starts <c>sh SCRIPT</c> in <paramref name="directory"/> with the runner's environment plus <paramref name="environment"/>.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">It could not be started.</exception>
    public static SessionProcess Start(string script, string directory, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v) variables[k] = v;
        }
        foreach (var (k, v) in environment) variables[k] = v;
        var pid = Native.SpawnSession(script, directory, script + ".err", variables.Select(kv => $"{kv.Key}={kv.Value}").ToList());
        var exited = new TaskCompletionSource<ReapedExit?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reaper = new Thread(() => exited.SetResult(Reap(pid)), ReaperStackBytes) { IsBackground = true, Name = $"expt-reap-{pid}" };
        reaper.Start();
        return new SessionProcess(pid, exited.Task);
    }

    private static ReapedExit? Reap(int pid) => Native.Reap(pid) is var (status, maxRssKb)
        ? new ReapedExit(Native.ExitCode(status), maxRssKb > 0 ? Math.Round(maxRssKb / 1024.0, 1) : null)
        : null;
}
