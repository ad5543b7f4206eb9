using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Expt.Recording;

/// <summary>One attempt of a job, kept in status.json with its own logs.</summary>
public sealed record AttemptRecord
{
    /// <summary>1-based attempt number (EXPT_ATTEMPT).</summary>
    public int Attempt { get; init; }

    /// <summary>How the attempt ended (or <c>running</c>).</summary>
    public JobState State { get; init; }

    /// <summary>When the process started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the process ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The exit code (128+N when killed by signal N).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Why it ended this way, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>The wrapper's process id (the job's process-group id).</summary>
    public int? Pid { get; init; }

    /// <summary>The git commit of the code this attempt ran.</summary>
    public string? Commit { get; init; }

    /// <summary>Where it ran.</summary>
    public string? Host { get; init; }

    /// <summary>Its stdout file, relative to the job directory.</summary>
    public string? Stdout { get; init; }

    /// <summary>Its stderr file, relative to the job directory.</summary>
    public string? Stderr { get; init; }

    /// <summary>Executor-specific ids (e.g. SLURM job id).</summary>
    public Dictionary<string, string>? Executor { get; init; }

    /// <summary>GPUs assigned (CUDA_VISIBLE_DEVICES).</summary>
    public IReadOnlyList<string>? Gpus { get; init; }

    /// <summary>CPU seconds (user + system) of the job's processes, when measured.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>
    /// Peak resident memory in MiB: the larger of the kernel's peak of any one process of the attempt (when the runner
    /// reaped it itself) and the sum over the job's process tree sampled about twice a second.
    /// </summary>
    public double? PeakRssMb { get; init; }

    /// <summary>GPU-seconds of the attempt: wall time × GPUs held.</summary>
    public double? GpuSeconds { get; init; }

    /// <summary>Wall seconds of the attempt.</summary>
    [JsonIgnore]
    public double? WallSeconds => StartedAt is { } s && EndedAt is { } e ? (e - s).TotalSeconds : null;
}

/// <summary>The contents of a job's status.json; written atomically on every transition.</summary>
public sealed record JobStatus
{
    /// <summary>Format version of this file.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>The job id (its directory below the run).</summary>
    public required string Id { get; init; }

    /// <summary>The variant.</summary>
    public required string Variant { get; init; }

    /// <summary>The variant's kind.</summary>
    public string Kind { get; init; } = "default";

    /// <summary>The stage.</summary>
    public required string Stage { get; init; }

    /// <summary>The cell's values, when the stage fans out.</summary>
    public JsonObject? Cell { get; init; }

    /// <summary>Shard index, when sharded.</summary>
    public int? ShardIndex { get; init; }

    /// <summary>Shard count, when sharded.</summary>
    public int? ShardCount { get; init; }

    /// <summary>The current state.</summary>
    public JobState State { get; init; }

    /// <summary>Why it is in this state (blocked by, cancelled by, …).</summary>
    public string? Reason { get; init; }

    /// <summary>The job's identity at the time it was planned.</summary>
    public string? Identity { get; init; }

    /// <summary>When the current attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job reached its final state.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Exit code of the last attempt.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Wall seconds of the last attempt.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Compute used by all attempts together.</summary>
    public JobAccounting? Accounting { get; init; }

    /// <summary>
    /// Bytes of the files under the job's directory when it reached its final state (symbolic links not followed,
    /// nested jobs' directories left out); null before, for a job that never started, and when nothing could be read.
    /// </summary>
    public long? OutputBytes { get; init; }

    /// <summary>Files moved to the experiment's flat folder (<c>collect:</c>), relative to the results root.</summary>
    public IReadOnlyList<string>? Collected { get; init; }

    /// <summary>Every attempt, oldest first.</summary>
    public IReadOnlyList<AttemptRecord> Attempts { get; init; } = [];

    /// <summary>The current attempt number (0 before the first).</summary>
    [JsonIgnore]
    public int Attempt => Attempts.Count;

    /// <summary>The file name.</summary>
    public const string FileName = "status.json";
}

/// <summary>Compute a job used, summed over its attempts (peak memory is the largest attempt's).</summary>
/// <param name="WallSeconds">Wall-clock seconds.</param>
/// <param name="CpuSeconds">User + system CPU seconds of every process of the job, as the wrapper measured them.</param>
/// <param name="PeakRssMb">The largest peak resident memory of any attempt, MiB (see <see cref="AttemptRecord.PeakRssMb"/>).</param>
/// <param name="GpuSeconds">Wall seconds × GPUs held.</param>
public sealed record JobAccounting(double WallSeconds, double? CpuSeconds, double? PeakRssMb, double GpuSeconds)
{
    /// <summary>Totals over attempts.</summary>
    public static JobAccounting? From(IReadOnlyList<AttemptRecord> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var ended = attempts.Where(a => a.WallSeconds is not null).ToList();
        if (ended.Count == 0) return null;
        var cpu = ended.Where(a => a.CpuSeconds is not null).ToList();
        var rss = ended.Where(a => a.PeakRssMb is not null).ToList();
        return new JobAccounting(
            Math.Round(ended.Sum(a => a.WallSeconds!.Value), 3),
            cpu.Count == 0 ? null : Math.Round(cpu.Sum(a => a.CpuSeconds!.Value), 3),
            rss.Count == 0 ? null : rss.Max(a => a.PeakRssMb!.Value),
            Math.Round(ended.Sum(a => a.GpuSeconds ?? 0), 3));
    }
}
