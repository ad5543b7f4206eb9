using System.Text.Json.Nodes;
using Expt.Internal;

namespace Expt.Slurm.Tracking;

/// <summary>What a job's wrapper recorded about one attempt (<c>started-N.json</c>, <c>exit-N.json</c>).</summary>
/// <param name="Attempt">The attempt number.</param>
/// <param name="Started">True when the attempt started.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Host">Where it ran.</param>
/// <param name="Ended">True when the wrapper recorded an end.</param>
/// <param name="ExitCode">The command's exit code (128+N when killed by signal N).</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="SlurmJobId">SLURM_JOB_ID as the task saw it (the task's raw id).</param>
/// <param name="CpuSeconds">User + system CPU seconds of the command's processes, as the wrapper measured them.</param>
/// <param name="PeakRssMb">Peak resident memory of the command's process tree in MiB, as the wrapper sampled it.</param>
internal sealed record AttemptMarkers(int Attempt, bool Started, DateTimeOffset? StartedAt, string? Host, bool Ended, int? ExitCode, DateTimeOffset? EndedAt, string? SlurmJobId, double? CpuSeconds = null, double? PeakRssMb = null)
{
    /// <summary>Reads both files of one attempt.</summary>
    public static AttemptMarkers Read(string jobDir, int attempt)
    {
        var started = JsonFiles.TryRead<JsonObject>(SlurmPaths.Started(jobDir, attempt));
        var exit = JsonFiles.TryRead<JsonObject>(SlurmPaths.Exit(jobDir, attempt));
        var startedAt = Timestamps.Parse(Text(started, "startedAt") ?? Text(exit, "startedAt"));
        return new AttemptMarkers(
            attempt,
            started is not null || exit is not null,
            startedAt,
            Text(exit, "host") ?? Text(started, "host"),
            exit is not null,
            exit?["exitCode"] is JsonValue code && code.TryGetValue<int>(out var c) ? c : null,
            Timestamps.Parse(Text(exit, "endedAt")),
            Text(started, "slurmJobId") ?? Text(exit, "slurmJobId"),
            ShellTimes.Parse(Text(exit, "cpu")),
            PeakMegabytes(Text(exit, "peakRssKb")));
    }

    /// <summary>Whether the wrapper of <paramref name="attempt"/> started (SLURM requeued the job into it).</summary>
    public static bool HasStarted(string jobDir, int attempt) =>
        File.Exists(SlurmPaths.Started(jobDir, attempt)) || File.Exists(SlurmPaths.Exit(jobDir, attempt));

    private static double? PeakMegabytes(string? kilobytes) =>
        long.TryParse(kilobytes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var kb) && kb > 0 ? Math.Round(kb / 1024.0, 1) : null;

    private static string? Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
