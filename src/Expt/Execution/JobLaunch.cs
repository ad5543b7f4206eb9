namespace Expt.Execution;

/// <summary>
/// Everything needed to start one attempt of a job, as plain data: what runs, where, with which environment.
/// Executors receive this and nothing else from the plan.
/// </summary>
/// <param name="JobId">The job's id.</param>
/// <param name="JobDirectory">Absolute job directory (output_dir); logs go here.</param>
/// <param name="WorkingDirectory">Where the command starts.</param>
/// <param name="Command">The shell command line.</param>
/// <param name="Environment">Variables added to the inherited environment.</param>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="Timeout">Wall-clock limit of the attempt.</param>
public sealed record JobLaunch(
    string JobId,
    string JobDirectory,
    string WorkingDirectory,
    string Command,
    IReadOnlyDictionary<string, string> Environment,
    int Attempt,
    TimeSpan? Timeout)
{
    /// <summary>Expt's private folder inside the job directory.</summary>
    public string ControlDirectory => Path.Combine(JobDirectory, ".expt");
}

/// <summary>How an attempt's process ended.</summary>
/// <param name="ExitCode">Exit code, 128+N when killed by signal N; null when unknown.</param>
/// <param name="StartedAt">When it started, if known.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Recorded">True when the job's wrapper recorded the end itself (so it is exact).</param>
/// <param name="Lost">True when the process vanished without recording an end.</param>
/// <param name="CpuSeconds">User + system CPU seconds of the job's processes, when the wrapper measured them.</param>
/// <param name="PeakRssMb">
/// The largest resident memory (MiB) any one process of the attempt reached, as the kernel accounted it when the
/// runner reaped the attempt itself (its wrapper and every descendant reaped inside its tree); null when it did
/// not (an adopted attempt).
/// </param>
public sealed record JobExit(int? ExitCode, DateTimeOffset? StartedAt, DateTimeOffset EndedAt, bool Recorded, bool Lost = false, double? CpuSeconds = null, double? PeakRssMb = null);

/// <summary>A running attempt.</summary>
public interface IJobHandle
{
    /// <summary>The process id of the job's wrapper (also its process-group and session id).</summary>
    int Pid { get; }

    /// <summary>When the attempt started.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>Completes when the attempt has ended.</summary>
    Task<JobExit> Completion { get; }

    /// <summary>Stops the whole process tree: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    Task TerminateAsync(TimeSpan grace);
}

/// <summary>Starts attempts and re-attaches to attempts that outlived their runner.</summary>
public interface IJobLauncher
{
    /// <summary>Starts an attempt.</summary>
    IJobHandle Launch(JobLaunch launch);

    /// <summary>Finds what became of an attempt started by an earlier runner: a handle when it still runs,
    /// its recorded exit when it ended, or null when there is no trace of it (never started or lost).</summary>
    AdoptResult Adopt(JobLaunch launch);
}

/// <summary>What <see cref="IJobLauncher.Adopt"/> found.</summary>
/// <param name="Running">The still-running attempt.</param>
/// <param name="Exit">The attempt's recorded end.</param>
/// <param name="Started">True when the attempt left a trace of having started.</param>
public sealed record AdoptResult(IJobHandle? Running, JobExit? Exit, bool Started)
{
    /// <summary>No trace of the attempt.</summary>
    public static readonly AdoptResult Nothing = new(null, null, false);
}
