using Expt.Internal;

namespace Expt.Slurm;

/// <summary>How one stage's jobs are submitted, kept so a follower without the spec can resubmit (retries).</summary>
/// <param name="Directives">The stage's sbatch options (without array, dependency and begin).</param>
/// <param name="ArrayLimit">Most tasks of one array running at once.</param>
/// <param name="Retries">Extra attempts after the first.</param>
/// <param name="RetryOn">End states that are retried.</param>
internal sealed record SlurmStageInfo(IReadOnlyList<string> Directives, int? ArrayLimit, int Retries, IReadOnlyList<string> RetryOn);

/// <summary>
/// <c>.expt/slurm/executor.json</c>: what a run was submitted with. <c>expt watch</c> and <c>expt status</c>
/// read it instead of the spec, so they follow exactly what was submitted.
/// </summary>
internal sealed record SlurmRunInfo
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Seconds between two queue reads of a follower.</summary>
    public double PollIntervalSeconds { get; init; } = SlurmSettings.DefaultPollInterval.TotalSeconds;

    /// <summary>SLURM's MaxArraySize when the run was submitted (array indices stay below it).</summary>
    public int MaxArraySize { get; init; } = SlurmPaths.DefaultMaxArraySize;

    /// <summary>Per stage.</summary>
    public required IReadOnlyDictionary<string, SlurmStageInfo> Stages { get; init; }

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);

    public static SlurmRunInfo? Read(string runDir) => JsonFiles.TryRead<SlurmRunInfo>(SlurmPaths.RunInfo(runDir), SlurmJsonContext.Files);

    public void Write(string runDir) => JsonFiles.Write(SlurmPaths.RunInfo(runDir), this, SlurmJsonContext.Files);
}
