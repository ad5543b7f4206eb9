using Expt.Metrics;

namespace Expt.Reporting;

/// <summary>One Inspect AI log a job left, as <c>expt show</c> lists it.</summary>
/// <param name="Job">The job id.</param>
/// <param name="Task">The task (<c>eval.task</c>).</param>
/// <param name="Model">The model (<c>eval.model</c>).</param>
/// <param name="Status">
/// <c>success</c>, <c>error</c>, <c>cancelled</c>, <c>started</c> (still running, or crashed: an <c>.eval</c> without
/// <c>header.json</c>) or <c>unknown</c>.
/// </param>
/// <param name="StartedAt">When the evaluation started (<c>stats.started_at</c>).</param>
/// <param name="CompletedAt">When it completed (<c>stats.completed_at</c>).</param>
/// <param name="Path">The log file, relative to the run directory (<c>/</c> separators).</param>
/// <param name="Error">The error message of a log with status <c>error</c>.</param>
/// <param name="TotalSamples">Samples to evaluate (dataset samples × epochs).</param>
/// <param name="CompletedSamples">Samples completed (so far, for a <c>started</c> log).</param>
public sealed record InspectLogReport(
    string Job,
    string? Task,
    string? Model,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string Path,
    string? Error,
    int? TotalSamples,
    int? CompletedSamples)
{
    /// <summary>Whether the evaluation finished successfully; the metrics of any other log are partial.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Succeeded => Status == "success";

    /// <summary>The entry of one log of <paramref name="job"/>, its path made relative to <paramref name="runDirectory"/>.</summary>
    public static InspectLogReport From(string job, InspectLogSummary log, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(log);
        var relative = System.IO.Path.GetRelativePath(runDirectory, log.Path).Replace(System.IO.Path.DirectorySeparatorChar, '/');
        return new InspectLogReport(job, log.Task, log.Model, StatusName(log.Status), log.StartedAt, log.CompletedAt, relative,
            log.Status == InspectLogStatus.Error ? log.ErrorMessage : null, log.TotalSamples, log.CompletedSamples);
    }

    /// <summary>A status as Inspect writes it (lower case).</summary>
    public static string StatusName(InspectLogStatus status) => status switch
    {
        InspectLogStatus.Success => "success",
        InspectLogStatus.Error => "error",
        InspectLogStatus.Cancelled => "cancelled",
        InspectLogStatus.Started => "started",
        _ => "unknown",
    };
}
