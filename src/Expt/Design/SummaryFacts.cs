using System.Globalization;
using Expt.Archiving;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Design;

/// <summary>The design's jobs grouped once (by stage, by variant) for every section of the summary; O(jobs).</summary>
internal sealed class SummaryFacts
{
    public SummaryFacts(ExperimentDesign design)
    {
        Design = design;
        var jobs = design.Plan.Jobs;
        var byStage = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byVariant = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
        {
            Add(byStage, jobs[i].Stage.Name, i);
            Add(byVariant, jobs[i].Variant.Name, i);
        }
        // Stages in the spec's order, only those with planned jobs (--only/--skip and kinds leave some out).
        Stages = design.Plan.Definition.Stages.Where(s => byStage.ContainsKey(s.Name)).Select(s => (s, (IReadOnlyList<int>)byStage[s.Name])).ToList();
        JobsOfVariant = byVariant;
    }

    public ExperimentDesign Design { get; }

    /// <summary>Each stage with planned jobs and the indices of its jobs in <see cref="Plan.Jobs"/>.</summary>
    public IReadOnlyList<(StageDefinition Stage, IReadOnlyList<int> Jobs)> Stages { get; }

    /// <summary>Indices of each variant's jobs.</summary>
    public IReadOnlyDictionary<string, List<int>> JobsOfVariant { get; }

    /// <summary>The estimate of job <paramref name="index"/> (none when the design has fewer estimates than jobs).</summary>
    public JobEstimate Estimate(int index) => index < Design.Estimates.Count ? Design.Estimates[index] : JobEstimate.None;

    private static void Add(Dictionary<string, List<int>> map, string key, int index)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(index);
    }
}

/// <summary>How the summary writes numbers, durations, sizes and times.</summary>
internal static class SummaryFormat
{
    public const string None = "—";

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Plural(long n, string one, string? many = null) => $"{Count(n)} {(n == 1 ? one : many ?? one + "s")}";

    public static string Duration(double? seconds) => seconds is { } s && double.IsFinite(s) ? Durations.Format(TimeSpan.FromSeconds(Math.Max(0, s))) : None;

    public static string Hours(double hours) => hours.ToString(hours < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Bytes(long? bytes) => bytes is { } b ? ByteSizes.Format(b) : None;

    public static string Megabytes(double? mb) => mb is { } m && double.IsFinite(m) ? $"{m.ToString("0", CultureInfo.InvariantCulture)} MiB" : None;

    public static string Time(DateTimeOffset? t) => t is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : None;

    /// <summary>An actual figure against its estimate: <c>+12%</c>, <c>-3%</c>.</summary>
    public static string Deviation(double actual, double? estimate) =>
        estimate is { } e && e > 0 && double.IsFinite(actual) ? ((actual - e) / e).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture) : None;

    /// <summary>The basis of an estimate and its n, e.g. <c>fit: power law in size (sizes 1–5), n=3</c>.</summary>
    public static string Basis(JobEstimate estimate)
    {
        if (estimate.Basis == EstimateBasis.NoHistory) return "no history";
        var name = BasisName(estimate.Basis);
        var detail = string.IsNullOrWhiteSpace(estimate.Detail) || estimate.Detail == name ? "" : ": " + estimate.Detail;
        return $"{name}{detail}, n={estimate.N.ToString(CultureInfo.InvariantCulture)}";
    }

    public static string BasisName(EstimateBasis basis) => basis switch
    {
        EstimateBasis.SameParams => "same params",
        EstimateBasis.Fit => "fit",
        EstimateBasis.Extrapolated => "extrapolated",
        EstimateBasis.StageMedian => "stage median",
        _ => "no history",
    };
}
