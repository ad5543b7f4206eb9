using Expt.Reporting.Paired;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>
/// <c>expt report</c>: what one run found. Variants grouped over their replicates, each metric's mean with its
/// confidence interval, the winner and its margin, every group against the baseline with Welch's t-test, the
/// compute each group used, and the jobs left out because they did not succeed.
/// </summary>
public sealed record StudyReport
{
    /// <summary>
    /// The version of this report's JSON form: 2 since a group's <c>values</c> are one per replicate (variants a group
    /// pools averaged within it) and <c>winners</c>, <c>paired</c>, <c>effects</c>, <c>runs</c>, <c>replicates</c> and
    /// <c>nondeterministic</c> came; 1 before.
    /// </summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>The run id; the pooled runs' ids joined by <c>+</c> for a report of several runs (see <see cref="Runs"/>).</summary>
    public required string RunId { get; init; }

    /// <summary>Every run pooled, in the order given; empty for the report of one run.</summary>
    public IReadOnlyList<Pooling.PooledRun> Runs { get; init; } = [];

    /// <summary>
    /// What one value of a group's sample stands for: <c>seed</c> (the replicate param), <c>run</c> (pooled runs
    /// without one), <c>run × seed</c>, or <c>none</c> (one run, no replicate param: each group has one value).
    /// </summary>
    public string Replicates { get; init; } = "none";

    /// <summary>Results of identical configs (same params, seed and commit) that differ between pooled runs.</summary>
    public IReadOnlyList<Pooling.NondeterministicResult> Nondeterministic { get; init; } = [];

    /// <summary>Where the run's files are (the archived copy, for an archived run).</summary>
    public required string Directory { get; init; }

    /// <summary>The research question.</summary>
    public string? Question { get; init; }

    /// <summary>The hypothesis.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Free notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Git provenance.</summary>
    public required StudyGit Git { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When its last runner ended; null while one works on it.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>How many jobs are in each state (snake_case names, display order).</summary>
    public required IReadOnlyDictionary<string, int> States { get; init; }

    /// <summary>The stage whose jobs' metrics are reported.</summary>
    public required string Stage { get; init; }

    /// <summary>The params that tell groups apart (every group also has one kind).</summary>
    public required IReadOnlyList<string> By { get; init; }

    /// <summary>The replicate param pooled within a group; null when each variant is its own group.</summary>
    public string? Over { get; init; }

    /// <summary>
    /// Params that vary within groups besides <see cref="Over"/> (when <c>--by</c> names fewer than vary): their variants
    /// are averaged within each replicate, so a group's sample has one value per replicate.
    /// </summary>
    public IReadOnlyList<string> Pooled { get; init; } = [];

    /// <summary>The baseline group's name; null without a baseline.</summary>
    public string? Baseline { get; init; }

    /// <summary>Why that group is the baseline: <c>--baseline</c>, or <c>kind control</c>.</summary>
    public string? BaselineRule { get; init; }

    /// <summary>Every group, in plan order of its first variant.</summary>
    public required IReadOnlyList<GroupSummary> Groups { get; init; }

    /// <summary>Every reported metric.</summary>
    public required IReadOnlyList<MetricSummary> Metrics { get; init; }

    /// <summary>Numeric metrics left out because none were named and there were more than the report shows.</summary>
    public required IReadOnlyList<string> OmittedMetrics { get; init; }

    /// <summary>What each factor does to each metric: main effects, interactions, the best level against the control.</summary>
    public Effects.StudyEffects Effects { get; init; } = Reporting.Effects.StudyEffects.None;

    /// <summary>Compute of every job of the run.</summary>
    public required CostSummary Total { get; init; }

    /// <summary>Every job of the run that did not succeed, in manifest order.</summary>
    public required IReadOnlyList<StudyFailure> Failures { get; init; }

    /// <summary>Groups compared item by item from their jobs' per-item tables (see <c>PairedAnalysis</c>); empty without such tables.</summary>
    public IReadOnlyList<PairedComparison> Paired { get; init; } = [];

    /// <summary>Things the reader should know that the tables do not show (no baseline chosen, values left out).</summary>
    public required IReadOnlyList<string> Remarks { get; init; }

    /// <summary>Files of the run's jobs left unread, each as <c>path: why</c>: warnings for the command, not part of the report.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> NotRead { get; init; } = [];

    /// <summary>Builds the report of a run (reads each job's metrics once; failures by their reason, no stderr tails).</summary>
    /// <exception cref="StudyReportException">An unknown metric, param, stage or baseline was named.</exception>
    public static StudyReport From(RunRecord run, StudyOptions options) => StudyReportBuilder.Build(run, RunReport.From(run, tailLines: 0), options);

    /// <summary>Builds the report of several runs of one experiment, pooled (see <see cref="StudyReportBuilder.Build(IReadOnlyList{ValueTuple{RunRecord, RunReport}}, StudyOptions)"/>).</summary>
    /// <exception cref="StudyReportException">Runs of several experiments, or an unknown metric, param, stage or baseline.</exception>
    public static StudyReport From(IReadOnlyList<RunRecord> runs, StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return StudyReportBuilder.Build(runs.Select(r => (r, RunReport.From(r, tailLines: 0))).ToList(), options);
    }
}

/// <summary>Git provenance of a study.</summary>
/// <param name="Commit">Full commit hash, or <c>nogit</c>.</param>
/// <param name="Short">Its first seven characters.</param>
/// <param name="Branch">The branch, when known.</param>
/// <param name="Dirty">Whether the working tree had uncommitted changes.</param>
public sealed record StudyGit(string Commit, string Short, string? Branch, bool Dirty);
