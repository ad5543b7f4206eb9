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
        // Read once posix_spawn returned, that is once the child has exec'd: at least what the kernel charged it.
        var runnerPeakKb = RunnerPeakKb();
        var atStartKb = ProcessTree.Read(pid) is { RssPages: > 0 } p ? p.RssPages * Environment.SystemPageSize / 1024 : 0;
        var exited = new TaskCompletionSource<ReapedExit?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reaper = new Thread(() => exited.SetResult(Reap(pid, runnerPeakKb, atStartKb)), ReaperStackBytes) { IsBackground = true, Name = $"expt-reap-{pid}" };
        reaper.Start();
        return new SessionProcess(pid, exited.Task);
    }

    /// <summary>
    /// The wrapper's exit and the peak memory of the job's tree. posix_spawn starts the child on the runner's memory
    /// (vfork), and the exec from it charges the runner's own peak to the child's ru_maxrss: a figure above that peak
    /// is the job tree's, one at or under it says only that the tree stayed under the runner's size, and then the
    /// wrapper's memory seen at its start stands (the runner's samples of the tree add to it).
    /// </summary>
    private static ReapedExit? Reap(int pid, long runnerPeakKb, long atStartKb) => Native.Reap(pid) is var (status, maxRssKb)
        ? new ReapedExit(Native.ExitCode(status), JobPeakKb(maxRssKb, runnerPeakKb, atStartKb) is > 0 and var kb ? Math.Round(kb / 1024.0, 1) : null)
        : null;

    /// <summary>The job tree's peak in KiB from the kernel's figure, leaving out the runner's own memory; 0 when unknown.</summary>
    internal static long JobPeakKb(long reapedMaxRssKb, long runnerPeakKb, long atStartKb) =>
        reapedMaxRssKb > runnerPeakKb ? reapedMaxRssKb : atStartKb;

    /// <summary>The runner's peak resident memory (VmHWM), KiB; long.MaxValue when unknown, so no kernel figure is trusted.</summary>
    internal static long RunnerPeakKb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var kb) ? kb : long.MaxValue;
            }
        }
        catch (IOException)
        {
        }
        return long.MaxValue;
    }
}
