using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>
/// Starts each attempt as <c>sh job.sh</c> in its own session and process group, detached from the runner's
/// terminal and lifetime, and reaps it itself so that the kernel's peak memory of the job's tree is known.
/// Ctrl-C reaches the runner only, which then stops every job's tree itself; a runner killed with SIGKILL
/// leaves jobs running to completion, and their wrapper records the outcome.
/// </summary>
public sealed class ProcessJobLauncher(TimeProvider time) : IJobLauncher
{
    /// <summary>How often an adopted (not our child) process is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    public IJobHandle Launch(JobLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        WrapperScript.Write(launch, Environment.MachineName);
        foreach (var stale in new[] { WrapperScript.StartedPath(launch.ControlDirectory, launch.Attempt), WrapperScript.ExitPath(launch.ControlDirectory, launch.Attempt) })
        {
            File.Delete(stale);
        }
        var child = SessionProcess.Start(WrapperScript.ScriptPath(launch), launch.JobDirectory, launch.Environment);
        var started = time.GetUtcNow();
        return new Handle(child.Pid, started, WaitChildAsync(child, launch, started));
    }

    /// <inheritdoc />
    public AdoptResult Adopt(JobLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var probe = Probe(launch.ControlDirectory, launch.Attempt);
        if (probe.Pid is int live)
        {
            var since = probe.StartedAt ?? time.GetUtcNow();
            return new AdoptResult(new Handle(live, since, PollAsync(live, launch, since)), null, true);
        }
        return new AdoptResult(null, probe.Exit, probe.Exit is not null || probe.Started);
    }

    /// <summary>
    /// What an attempt started earlier left, read-only: its recorded end, or the pid of its wrapper still running
    /// (the pid in started-N.json if it still runs this job's job.sh, else a /proc scan), and whether it started.
    /// Adoption and <c>expt status</c> judge a job without a runner the same way through this.
    /// </summary>
    internal (JobExit? Exit, int? Pid, DateTimeOffset? StartedAt, bool Started) Probe(string controlDirectory, int attempt)
    {
        var exit = WrapperRecords.ReadExit(controlDirectory, attempt, null);
        if (exit is not null) return (exit, null, exit.StartedAt, true);
        var started = WrapperRecords.ReadStarted(controlDirectory, attempt);
        var marker = Path.Combine(controlDirectory, "job.sh");
        var pid = started?.Pid is int p && ProcessTree.IsAlive(p) && ProcessTree.Arguments(p).Contains(marker)
            ? p
            : FindWrapper(marker);
        if (pid is not null) return (null, pid, started?.StartedAt, true);
        // The process may have ended between the two checks.
        exit = WrapperRecords.ReadExit(controlDirectory, attempt, started?.StartedAt);
        return (exit, null, started?.StartedAt, exit is not null || started is not null);
    }

    private readonly object _scanGate = new();
    private Dictionary<string, int>? _wrappers;
    private DateTimeOffset _scannedAt;

    /// <summary>One /proc scan serves a whole resume: wrappers by script path, refreshed after two seconds.</summary>
    private int? FindWrapper(string scriptPath)
    {
        lock (_scanGate)
        {
            if (_wrappers is null || time.GetUtcNow() - _scannedAt > TimeSpan.FromSeconds(2))
            {
                _wrappers = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var p in ProcessTree.All())
                {
                    // The wrapper leads its session; its subshell has the same arguments until it runs the command.
                    if (p.State is 'Z' or 'X' || p.Pid != p.Session) continue;
                    foreach (var arg in ProcessTree.Arguments(p.Pid))
                    {
                        if (arg.EndsWith("/.expt/job.sh", StringComparison.Ordinal)) _wrappers.TryAdd(arg, p.Pid);
                    }
                }
                _scannedAt = time.GetUtcNow();
            }
            return _wrappers.TryGetValue(scriptPath, out var pid) && ProcessTree.IsAlive(pid) ? pid : null;
        }
    }

    private async Task<JobExit> WaitChildAsync(SessionProcess child, JobLaunch launch, DateTimeOffset started)
    {
        // Reaped elsewhere: the job's own files still say how it ended, as for an adopted job.
        if (await child.Exited.ConfigureAwait(false) is not { } reaped) return await PollAsync(child.Pid, launch, started).ConfigureAwait(false);
        var exit = WrapperRecords.ReadExit(launch.ControlDirectory, launch.Attempt, started)
            ?? new JobExit(reaped.ExitCode, started, time.GetUtcNow(), Recorded: false);
        return exit with { PeakRssMb = reaped.PeakRssMb };
    }

    private async Task<JobExit> PollAsync(int pid, JobLaunch launch, DateTimeOffset started)
    {
        while (true)
        {
            var exit = WrapperRecords.ReadExit(launch.ControlDirectory, launch.Attempt, started);
            if (exit is not null) return exit;
            if (!ProcessTree.IsAlive(pid))
            {
                // One more look: the wrapper writes its exit file just before exiting.
                exit = WrapperRecords.ReadExit(launch.ControlDirectory, launch.Attempt, started);
                return exit ?? new JobExit(null, started, time.GetUtcNow(), Recorded: false, Lost: true);
            }
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }
    }

    private sealed class Handle(int pid, DateTimeOffset startedAt, Task<JobExit> completion) : IJobHandle
    {
        public int Pid { get; } = pid;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Task<JobExit> Completion { get; } = completion;

        public async Task TerminateAsync(TimeSpan grace)
        {
            if (Completion.IsCompleted) return;
            var members = ProcessTree.Signal(Pid, Native.SIGTERM);
            var deadline = DateTime.UtcNow + grace;
            while (DateTime.UtcNow < deadline)
            {
                if (members.All(m => !ProcessTree.IsAlive(m)) && !ProcessTree.IsAlive(Pid)) break;
                await Task.Delay(50).ConfigureAwait(false);
            }
            // Anything still alive after the grace period, including children that left the group, is killed.
            var survivors = ProcessTree.Members(Pid, members);
            if (survivors.Count > 0) ProcessTree.Signal(Pid, Native.SIGKILL, survivors);
            await Task.WhenAny(Completion, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }
}
