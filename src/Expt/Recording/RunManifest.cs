namespace Expt.Recording;

/// <summary>Git provenance of a run.</summary>
/// <param name="Commit">Full commit hash, or <c>nogit</c> outside a repository.</param>
/// <param name="Dirty">Whether the working tree had changes (saved to git.diff).</param>
/// <param name="Branch">The branch, or null when detached or outside a repository.</param>
/// <param name="Root">The repository's top-level directory.</param>
public sealed record GitInfo(string Commit, bool Dirty, string? Branch, string? Root)
{
    /// <summary>Provenance outside a repository.</summary>
    public static readonly GitInfo None = new("nogit", false, null, null);

    /// <summary>
    /// For a dirty resume (an entry of <see cref="RunManifest.ResumedWith"/>): the file in the run directory holding
    /// its uncommitted changes, <c>git.resume-N.diff</c> for the run's Nth resume. Null otherwise (the run's own
    /// changes are in <c>git.diff</c>).
    /// </summary>
    public string? Diff { get; init; }

    /// <summary>The 7-character short hash used in run ids (<c>nogit</c> outside a repository).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Short => Commit == "nogit" ? "nogit" : Commit[..Math.Min(7, Commit.Length)];
}

/// <summary>One job's line in the manifest.</summary>
public sealed record ManifestJob
{
    /// <summary>The job id (its directory below the run).</summary>
    public required string Id { get; init; }

    /// <summary>The variant.</summary>
    public required string Variant { get; init; }

    /// <summary>The variant's kind.</summary>
    public string Kind { get; init; } = "default";

    /// <summary>The stage.</summary>
    public required string Stage { get; init; }

    /// <summary>The job directory relative to the run directory.</summary>
    public required string Dir { get; init; }

    /// <summary>The job's identity (what resume compares).</summary>
    public string? Identity { get; init; }

    /// <summary>Ids of the jobs it needs.</summary>
    public IReadOnlyList<string>? Needs { get; init; }

    /// <summary>The current state.</summary>
    public JobState State { get; init; }

    /// <summary>Attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Exit code of the last attempt.</summary>
    public int? ExitCode { get; init; }

    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When the job ended.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>The executor's ids of the last attempt (e.g. the SLURM job id), so the manifest alone tells where each job ran.</summary>
    public IReadOnlyDictionary<string, string>? Executor { get; init; }

    /// <summary>Files moved to the experiment's flat folder, relative to the results root.</summary>
    public IReadOnlyList<string>? Collected { get; init; }

    /// <summary>
    /// True when a resume with <c>--force</c> no longer planned the job: its files and results stay, it is not run
    /// again, and later resumes do not count it as a difference. Absent for a planned job.
    /// </summary>
    public bool? Retired { get; init; }

    /// <summary>
    /// False while no runner of the run has selected the job (<c>--filter</c>, <c>--only</c>, <c>--skip</c> left it out):
    /// it has no directory and is not waiting to run (see <see cref="JobSelection"/>). Absent once a runner selects it.
    /// </summary>
    public bool? Selected { get; init; }
}

/// <summary>manifest.json: the run's index. The job directories' status.json files are the truth it summarises.</summary>
public sealed record RunManifest
{
    /// <summary>The current format version.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The file name.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Format version (first field).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>The run id (<c>{YYYYMMDD_HHMMSS}_{git7}</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>Git provenance.</summary>
    public required GitInfo Git { get; init; }

    /// <summary>Host the run was started on.</summary>
    public string? Host { get; init; }

    /// <summary>User who started it.</summary>
    public string? User { get; init; }

    /// <summary>The command line that started (or last resumed) it.</summary>
    public string? CommandLine { get; init; }

    /// <summary>The spec file's path.</summary>
    public string? SpecPath { get; init; }

    /// <summary>SHA-256 of the resolved spec.</summary>
    public string? SpecHash { get; init; }

    /// <summary>Expt's version.</summary>
    public string? ExptVersion { get; init; }

    /// <summary>Which executor ran it (<c>local</c>, <c>slurm</c>).</summary>
    public string Executor { get; init; } = "local";

    /// <summary>The research question, copied for listings.</summary>
    public string? Question { get; init; }

    /// <summary>The spec's <c>notes:</c>, copied for listings and the catalog.</summary>
    public string? SpecNotes { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the manifest was last brought up to date.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>When the last runner session ended, if it has.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>Git provenance of resumes whose code differed from the run's (jobs they ran record that commit).</summary>
    public IReadOnlyList<GitInfo>? ResumedWith { get; init; }

    /// <summary>How many times the run was resumed.</summary>
    public int Resumes { get; init; }

    /// <summary>Notes added after the run started (<c>expt note</c>), oldest first; absent when none.</summary>
    public IReadOnlyList<RunNote>? Notes { get; init; }

    /// <summary>Every job.</summary>
    public required IReadOnlyList<ManifestJob> Jobs { get; init; }
}

/// <summary>A note added to a run after it started (<c>expt note RUN "text"</c>).</summary>
/// <param name="At">When it was added.</param>
/// <param name="Text">What it says.</param>
public sealed record RunNote(DateTimeOffset At, string Text);
