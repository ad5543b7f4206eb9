using Expt.Metrics;
using Expt.Recording;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>One line of the job table.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Variant">The variant.</param>
/// <param name="Kind">The variant's kind.</param>
/// <param name="Stage">The stage.</param>
/// <param name="State">The state (snake_case).</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="ExitCode">Exit code of the last attempt.</param>
/// <param name="WallSeconds">Wall seconds over every attempt.</param>
/// <param name="Metrics">Every scalar metric.</param>
public sealed record JobReport(string Id, string Variant, string Kind, string Stage, string State, int Attempts, int? ExitCode, double? WallSeconds, IReadOnlyDictionary<string, MetricValue> Metrics)
{
    /// <summary>
    /// The metrics whose value came from an Inspect log that did not succeed (error, cancelled, still running), sorted;
    /// null when none. They are partial: <c>expt show</c> flags them and <c>expt report</c> leaves them out.
    /// </summary>
    public IReadOnlyList<string>? FromUnsuccessfulLogs { get; init; }

    /// <summary>The row of one job, with its metrics read from its directory.</summary>
    public static JobReport From(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return From(job, job.ReadMetrics());
    }

    /// <summary>The row of one job whose metrics were read already.</summary>
    public static JobReport From(JobRecord job, JobMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(metrics);
        var s = job.Status;
        return new JobReport(job.Id, job.Entry.Variant, s?.Kind ?? job.Entry.Kind, job.Entry.Stage, job.State.Name(), s?.Attempt ?? job.Entry.Attempts,
            s?.ExitCode ?? job.Entry.ExitCode, job.WallSeconds, metrics.Scalars)
        {
            FromUnsuccessfulLogs = metrics.FromUnsuccessfulLogs.Count == 0 ? null : metrics.FromUnsuccessfulLogs.Order(StringComparer.Ordinal).ToList(),
        };
    }
}
