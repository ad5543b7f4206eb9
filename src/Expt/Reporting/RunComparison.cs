using System.Text.Json.Nodes;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>One side of a comparison.</summary>
/// <param name="Label">A, B, C…</param>
/// <param name="Name"><c>EXPERIMENT/RUN_ID</c>, plus <c>/JOB_ID</c> for a single job.</param>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunId">The run id.</param>
/// <param name="Directory">The run directory.</param>
/// <param name="Job">The job id, when the side is a single job.</param>
public sealed record ComparisonSide(string Label, string Name, string Experiment, string RunId, string Directory, string? Job);

/// <summary>
/// <c>expt compare</c>: runs (or single jobs) side by side. Runs' jobs are matched by job id relative to the run
/// (variant, stage and cell), also across experiments; single jobs are compared with each other whatever their ids.
/// Every delta is against the first side.
/// </summary>
/// <param name="Sides">The sides, in the order given.</param>
/// <param name="CommonParams">
/// Params that differ between the sides in the same way for every matched job (each side has one value for it
/// across its matched jobs): the difference between the runs, told once instead of in every job.
/// </param>
/// <param name="Jobs">Jobs present on two or more sides, in the first side's order; their <see cref="JobComparison.Params"/> leave out <paramref name="CommonParams"/>.</param>
/// <param name="Unmatched">Jobs present on one side only, with that side's label, in side order.</param>
public sealed record RunComparison(
    IReadOnlyList<ComparisonSide> Sides,
    IReadOnlyList<ParamRow> CommonParams,
    IReadOnlyList<JobComparison> Jobs,
    IReadOnlyList<UnmatchedJob> Unmatched)
{
    /// <summary>Every param name of the compared jobs: a table labels a metric of the same name <c>metric.NAME</c> (see <see cref="ColumnLabels"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> ParamNames { get; init; } = [];

    /// <summary>
    /// Per side (only sides that have any), how many jobs of its spec no runner of that run selected. Such a job never
    /// ran there, so it is left out of the comparison on every side: it is neither matched nor listed as unmatched.
    /// </summary>
    public IReadOnlyList<NotSelectedJobs> NotSelected { get; init; } = [];

    /// <summary>The metrics of <see cref="Variants"/>, in column order (empty when single jobs are compared).</summary>
    public IReadOnlyList<string> VariantMetrics { get; init; } = [];

    /// <summary>
    /// Runs compared as one table: one row per variant with each metric's value per run and its delta against the
    /// first (empty when single jobs are compared). <see cref="Jobs"/> has the same figures job by job.
    /// </summary>
    public IReadOnlyList<VariantComparison> Variants { get; init; } = [];

    /// <summary>Compares two or more targets; they must be all runs or all single jobs.</summary>
    /// <exception cref="ArgumentException">Fewer than two targets, or runs mixed with jobs.</exception>
    public static RunComparison Of(IReadOnlyList<ReportTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count < 2) throw new ArgumentException("compare needs at least two runs or jobs", nameof(targets));
        var jobs = targets.Count(t => t.Job is not null);
        if (jobs != 0 && jobs != targets.Count) throw new ArgumentException("compare runs with runs, or jobs with jobs, not both", nameof(targets));
        var sides = targets.Select((t, i) => new ComparisonSide(Label(i), t.Label, t.Run.Experiment, t.Run.RunId, t.Run.Directory, t.Job?.Id)).ToList();
        if (jobs > 0)
        {
            var single = JobComparison.Of(targets[0].Job!.Id, targets.Select(t => t.Job).ToList());
            return new RunComparison(sides, [], [single], []) { ParamNames = ParamNamesOf(targets.Select(t => t.Job!)) };
        }

        var leftOut = targets.SelectMany(t => t.Run.Unselected.Select(j => j.Id)).ToHashSet(StringComparer.Ordinal);
        var notSelected = targets.Select((t, i) => new NotSelectedJobs(sides[i].Label, t.Run.Unselected.Count)).Where(n => n.Jobs > 0).ToList();
        var byId = targets.Select(t => t.Run.Jobs.Where(j => !leftOut.Contains(j.Id)).ToDictionary(j => j.Id, StringComparer.Ordinal)).ToList();
        var order = targets.SelectMany(t => t.Run.Jobs.Select(j => j.Id)).Where(id => !leftOut.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        var matched = new List<(string Id, List<JobRecord?> Jobs)>();
        var unmatched = new List<UnmatchedJob>();
        foreach (var id in order)
        {
            var row = byId.Select(d => d.GetValueOrDefault(id)).ToList();
            var present = row.Count(j => j is not null);
            if (present >= 2) matched.Add((id, row));
            else unmatched.Add(new UnmatchedJob(id, sides[row.FindIndex(j => j is not null)].Label));
        }
        var common = CommonDifferences(matched.Select(m => m.Jobs).ToList(), targets.Count);
        var commonNames = common.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var comparisons = matched.Select(m => JobComparison.Of(m.Id, m.Jobs))
            .Select(c => c with { Params = c.Params.Where(p => !commonNames.Contains(p.Name)).ToList() })
            .ToList();
        var bySide = unmatched.OrderBy(u => sides.FindIndex(s => s.Label == u.Side)).ToList();
        var (variants, variantMetrics) = VariantComparison.Of(matched.Select((m, i) => ((IReadOnlyList<JobRecord?>)m.Jobs, comparisons[i])).ToList());
        return new RunComparison(sides, common, comparisons, bySide)
        {
            ParamNames = ParamNamesOf(targets.SelectMany(t => t.Run.Jobs)), NotSelected = notSelected, Variants = variants, VariantMetrics = variantMetrics,
        };
    }

    private static List<string> ParamNamesOf(IEnumerable<JobRecord> jobs) => jobs.SelectMany(j => j.Params.Keys).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A, B, …, Z, then S27, S28…</summary>
    public static string Label(int index) => index < 26 ? ((char)('A' + index)).ToString() : $"S{index + 1}";

    private static List<ParamRow> CommonDifferences(List<List<JobRecord?>> matched, int sideCount)
    {
        if (matched.Count == 0) return [];
        // Candidates: params that differ in at least one matched job.
        var candidates = matched.SelectMany(m => JobComparison.DifferingParams(m.Select(j => j?.Params).ToList()).Select(p => p.Name))
            .Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<ParamRow>();
        foreach (var name in candidates)
        {
            var values = new JsonNode?[sideCount];
            var present = new bool[sideCount];
            var consistent = true;
            for (var side = 0; side < sideCount && consistent; side++)
            {
                var seen = matched.Select(m => m[side]).Where(j => j is not null).Select(j => (Has: j!.Params.TryGetValue(name, out var v), Value: v)).ToList();
                if (seen.Count == 0) continue;
                consistent = seen.All(s => s.Has == seen[0].Has && Specs.ParamValues.AreEqual(s.Value, seen[0].Value));
                present[side] = seen[0].Has;
                values[side] = seen[0].Value?.DeepClone();
            }
            // Only a difference every matched job shares is the runs' difference; one that varies per job stays with its jobs.
            var everyJobDiffers = matched.All(m => JobComparison.DifferingParams(m.Select(j => j?.Params).ToList()).Any(p => p.Name == name));
            if (consistent && everyJobDiffers) rows.Add(new ParamRow(name, values, present));
        }
        return rows;
    }
}

/// <summary>How many jobs a side's run did not select (and the comparison left out).</summary>
/// <param name="Side">The side's label.</param>
/// <param name="Jobs">How many.</param>
public sealed record NotSelectedJobs(string Side, int Jobs);

/// <summary>A job only one side has.</summary>
/// <param name="Job">The job id.</param>
/// <param name="Side">The label of the side that has it.</param>
public sealed record UnmatchedJob(string Job, string Side);
