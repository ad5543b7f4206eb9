using System.Diagnostics;
using System.Text.Json.Nodes;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>
/// Starts each attempt as <c>setsid sh job.sh</c>: its own session and process group, detached from the
/// runner's terminal and lifetime. Ctrl-C reaches the runner only, which then stops every job's tree itself;
/// a runner killed with SIGKILL leaves jobs running to completion, and their wrapper records the outcome.
/// </summary>
public sealed class ProcessJobLauncher(TimeProvider time) : IJobLauncher
{
    /// <summary>How often an adopted (not our child) process is checked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    public IJobHandle Launch(JobLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        WrapperScript.Write(launch);
        foreach (var stale in new[] { WrapperScript.StartedPath(launch.ControlDirectory, launch.Attempt), WrapperScript.ExitPath(launch.ControlDirectory, launch.Attempt) })
        {
            File.Delete(stale);
        }
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            WorkingDirectory = launch.JobDirectory,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        // The wrapper must not hold the runner's stdin/stdout/stderr: a pipe reading the runner's output (`expt run | tee`)
        // would otherwise stay open until every job ended, even after the runner itself was gone.
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec sh \"$0\" < /dev/null > /dev/null 2>> \"$0.err\"");
        psi.ArgumentList.Add(WrapperScript.ScriptPath(launch));
        foreach (var (k, v) in launch.Environment) psi.Environment[k] = v;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("setsid did not start");
        var started = time.GetUtcNow();
        return new Handle(process.Id, started, WaitChildAsync(process, launch, started));
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
        var exit = ReadExit(controlDirectory, attempt, null);
        if (exit is not null) return (exit, null, exit.StartedAt, true);
        var startedInfo = JsonFiles.TryRead<JsonObject>(WrapperScript.StartedPath(controlDirectory, attempt));
        var startedAt = Timestamps.Parse(startedInfo?["startedAt"]?.GetValue<string>());
        var marker = Path.Combine(controlDirectory, "job.sh");
        var pid = startedInfo?["pid"]?.GetValue<int>() is int p && ProcessTree.IsAlive(p) && ProcessTree.Arguments(p).Contains(marker)
            ? p
            : FindWrapper(marker);
        if (pid is not null) return (null, pid, startedAt, true);
        // The process may have ended between the two checks.
        exit = ReadExit(controlDirectory, attempt, startedAt);
        return (exit, null, startedAt, exit is not null || startedInfo is not null);
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
                    if (p.State is 'Z' or 'X') continue;
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

    private async Task<JobExit> WaitChildAsync(Process process, JobLaunch launch, DateTimeOffset started)
    {
        using (process)
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            var exit = ReadExit(launch.ControlDirectory, launch.Attempt, started);
            return exit ?? new JobExit(process.ExitCode, started, time.GetUtcNow(), Recorded: false);
        }
    }

    private async Task<JobExit> PollAsync(int pid, JobLaunch launch, DateTimeOffset started)
    {
        while (true)
        {
            var exit = ReadExit(launch.ControlDirectory, launch.Attempt, started);
            if (exit is not null) return exit;
            if (!ProcessTree.IsAlive(pid))
            {
                // One more look: the wrapper writes its exit file just before exiting.
                exit = ReadExit(launch.ControlDirectory, launch.Attempt, started);
                return exit ?? new JobExit(null, started, time.GetUtcNow(), Recorded: false, Lost: true);
            }
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }
    }

    internal static JobExit? ReadExit(string controlDir, int attempt, DateTimeOffset? started)
    {
        var exit = JsonFiles.TryRead<JsonObject>(WrapperScript.ExitPath(controlDir, attempt));
        if (exit is null) return null;
        var startedInfo = JsonFiles.TryRead<JsonObject>(WrapperScript.StartedPath(controlDir, attempt));
        var startedAt = Timestamps.Parse(startedInfo?["startedAt"]?.GetValue<string>()) ?? started;
        var endedAt = Timestamps.Parse(exit["endedAt"]?.GetValue<string>()) ?? DateTimeOffset.UtcNow;
        return new JobExit(exit["exitCode"]?.GetValue<int>(), startedAt, endedAt, Recorded: true, CpuSeconds: ShellTimes.Parse(exit["cpu"]?.GetValue<string>()));
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
