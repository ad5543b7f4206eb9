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

    /// <summary>Every job, in manifest order (without those no runner selected).</summary>
    public required IReadOnlyList<JobReport> Jobs { get; init; }

    /// <summary>How many jobs of the spec no runner of the run selected (<c>--filter</c>, <c>--only</c>, <c>--skip</c>); left out of <see cref="Jobs"/> and <see cref="States"/>.</summary>
    public int NotSelected { get; init; }

    /// <summary>Jobs that failed, timed out, were lost or blocked, with the end of their stderr.</summary>
    public required IReadOnlyList<FailureReport> Failures { get; init; }

    /// <summary>Every Inspect AI log of every job, in job order (each job's oldest first).</summary>
    public IReadOnlyList<InspectLogReport> InspectLogs { get; init; } = [];

    /// <summary>Every param name of any job: a table labels a metric of the same name <c>metric.NAME</c> (see <see cref="ColumnLabels"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> ParamNames { get; init; } = [];

    /// <summary>
    /// Files of the run's jobs left unread (not regular files, over a size limit, corrupt Inspect logs), each as
    /// <c>path: why</c>: warnings for the command to print, not part of the report.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> NotRead { get; init; } = [];

    /// <summary>Builds the report of a run read by <see cref="RunReader"/> (reads each job's metrics and failed jobs' stderr).</summary>
    public static RunReport From(RunRecord run, int tailLines = DefaultTailLines)
    {
        ArgumentNullException.ThrowIfNull(run);
        var m = run.Manifest;
        var spec = RunSpecText.Read(run.Directory);
        var read = run.Jobs.Select(j => (Job: j, Metrics: j.ReadMetrics())).ToList();
        var jobs = read.Select(r => JobReport.From(r.Job, r.Metrics)).ToList();
        var logs = read.SelectMany(r => r.Metrics.InspectLogs.Select(l => InspectLogReport.From(r.Job.Id, l, run.Directory))).ToList();
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
            Notes = RunNotes.Text(spec.Notes ?? m.SpecNotes, m.Notes),
            Git = new GitReport(m.Git.Commit, m.Git.Branch, m.Git.Dirty, File.Exists(diff) ? diff : null, m.ResumedWith ?? []),
            States = JobStates.All.Where(counts.ContainsKey).ToDictionary(s => s.Name(), s => counts[s]),
            Jobs = jobs,
            NotSelected = run.Unselected.Count,
            Failures = failures,
            InspectLogs = logs,
            ParamNames = run.Jobs.SelectMany(j => j.Params.Keys).Distinct(StringComparer.Ordinal).ToList(),
            NotRead = read.SelectMany(r => r.Job.FilesNotRead(r.Metrics)).ToList(),
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
