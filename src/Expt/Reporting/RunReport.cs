using Expt.Metrics;
using Expt.Recording;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>
/// Everything <c>expt show</c> tells about one run: provenance, the research question, every job with its key
/// numbers, and each failure with the end of its stderr.
/// </summary>
public sealed record RunReport
{
    /// <summary>How many stderr lines a failure shows.</summary>
    public const int DefaultTailLines = 5;

    /// <summary>The experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Where the run's files are (the archived copy, for an archived run).</summary>
    public required string Directory { get; init; }

    /// <summary>Where and when the run was archived; null for a live run.</summary>
    public ArchiveReport? Archive { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When its last runner ended; null while one works on it.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The host it was created on.</summary>
    public string? Host { get; init; }

    /// <summary>The user who created it.</summary>
    public string? User { get; init; }

    /// <summary><c>local</c> or <c>slurm</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>The command line of the creating (or latest resuming) runner.</summary>
    public string? CommandLine { get; init; }

    /// <summary>Expt's version.</summary>
    public string? ExptVersion { get; init; }

    /// <summary>How many times the run was resumed.</summary>
    public int Resumes { get; init; }

    /// <summary>The research question.</summary>
    public string? Question { get; init; }

    /// <summary>The hypothesis.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Free notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Git provenance.</summary>
    public required GitReport Git { get; init; }

    /// <summary>How many jobs are in each state (snake_case names, display order).</summary>
    public required IReadOnlyDictionary<string, int> States { get; init; }

    /// <summary>Every job, in manifest order.</summary>
    public required IReadOnlyList<JobReport> Jobs { get; init; }

    /// <summary>Jobs that failed, timed out, were lost or blocked, with the end of their stderr.</summary>
    public required IReadOnlyList<FailureReport> Failures { get; init; }

    /// <summary>Builds the report of a run read by <see cref="RunReader"/> (reads each job's metrics and failed jobs' stderr).</summary>
    public static RunReport From(RunRecord run, int tailLines = DefaultTailLines)
    {
        ArgumentNullException.ThrowIfNull(run);
        var m = run.Manifest;
        var spec = RunSpecText.Read(run.Directory);
        var jobs = run.Jobs.Select(JobReport.From).ToList();
        var failures = run.Jobs.Where(j => IsFailure(j.State)).Select(j => FailureReport.From(j, tailLines)).ToList();
        var counts = run.StateCounts;
        var diff = Path.Combine(run.Directory, "git.diff");
        return new RunReport
        {
            Experiment = run.Experiment,
            RunId = run.RunId,
            Directory = run.Directory,
            Archive = run.Archive is { } a ? new ArchiveReport(a.ArchivedTo, a.ArchivedAt, a.Dropped) : null,
            Created = m.Created,
            Ended = m.Ended,
            Host = m.Host,
            User = m.User,
            Executor = m.Executor,
            CommandLine = m.CommandLine,
            ExptVersion = m.ExptVersion,
            Resumes = m.Resumes,
            Question = spec.Question ?? m.Question,
            Hypothesis = spec.Hypothesis,
            Notes = spec.Notes,
            Git = new GitReport(m.Git.Commit, m.Git.Branch, m.Git.Dirty, File.Exists(diff) ? diff : null, m.ResumedWith ?? []),
            States = JobStates.All.Where(counts.ContainsKey).ToDictionary(s => s.Name(), s => counts[s]),
            Jobs = jobs,
            Failures = failures,
        };
    }

    /// <summary>Whether a job in this state is listed as a failure.</summary>
    public static bool IsFailure(JobState state) => state is JobState.Failed or JobState.TimedOut or JobState.Lost or JobState.Blocked;

    /// <summary>
    /// The metrics worth a column in a job table: numeric metrics, those most jobs have first (then by name),
    /// at most <paramref name="max"/>. A run's jobs usually share their metrics; a stage's own metrics come next.
    /// </summary>
    public IReadOnlyList<string> KeyMetrics(int max) =>
        Jobs.SelectMany(j => j.Metrics.Where(kv => kv.Value.Kind == MetricKind.Number).Select(kv => kv.Key))
            .GroupBy(n => n, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(max).Select(g => g.Key).ToList();
}

/// <summary>Where an archived run is.</summary>
/// <param name="ArchivedTo">The archived copy of the run directory.</param>
/// <param name="ArchivedAt">When it was archived.</param>
/// <param name="Dropped">The globs whose files were not kept.</param>
public sealed record ArchiveReport(string ArchivedTo, DateTimeOffset ArchivedAt, IReadOnlyList<string> Dropped);

/// <summary>Git provenance of a run.</summary>
/// <param name="Commit">Full commit hash, or <c>nogit</c>.</param>
/// <param name="Branch">The branch, when known.</param>
/// <param name="Dirty">Whether the working tree had changes.</param>
/// <param name="Diff">The saved <c>git.diff</c>, when present.</param>
/// <param name="ResumedWith">Commits of resumes whose code differed from the run's.</param>
public sealed record GitReport(string Commit, string? Branch, bool Dirty, string? Diff, IReadOnlyList<GitInfo> ResumedWith);

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
    /// <summary>The row of one job, with its metrics read from its directory.</summary>
    public static JobReport From(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var s = job.Status;
        return new JobReport(job.Id, job.Entry.Variant, s?.Kind ?? job.Entry.Kind, job.Entry.Stage, job.State.Name(), s?.Attempt ?? job.Entry.Attempts,
            s?.ExitCode ?? job.Entry.ExitCode, job.WallSeconds, job.ReadMetrics().Scalars);
    }
}

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
