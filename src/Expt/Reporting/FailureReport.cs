using Expt.Recording;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>A job that did not succeed, and why.</summary>
/// <param name="Id">The job id.</param>
/// <param name="State">The state (snake_case).</param>
/// <param name="Reason">Why, in words (exit code, timeout, blocking job…).</param>
/// <param name="ExitCode">Exit code of the last attempt.</param>
/// <param name="Stderr">The last attempt's stderr file; null for a job that never started.</param>
/// <param name="StderrTail">Its last lines.</param>
public sealed record FailureReport(string Id, string State, string? Reason, int? ExitCode, string? Stderr, IReadOnlyList<string> StderrTail)
{
    /// <summary>The failure of one job.</summary>
    public static FailureReport From(JobRecord job, int tailLines)
    {
        ArgumentNullException.ThrowIfNull(job);
        var last = job.Status?.Attempts.LastOrDefault();
        var stderr = last is null ? null : Path.Combine(job.Directory, last.Stderr ?? "stderr.log");
        return new FailureReport(job.Id, job.State.Name(), job.Status?.Reason, job.Status?.ExitCode ?? job.Entry.ExitCode,
            stderr is not null && File.Exists(stderr) ? stderr : null, stderr is null ? [] : LogTail.Read(stderr, tailLines));
    }
}
