using System.Text.Json.Nodes;

namespace Expt.Design;

/// <summary>
/// Estimates what a planned job will cost from the succeeded jobs of earlier runs of the same experiment and stage.
/// For each measure (wall, CPU, GPU, peak memory, output), in this order: the median of the jobs with identical params;
/// else a fit over the numeric params on which the planned job differs from history (a power law, linear where a value
/// is not positive), marked extrapolated outside the range seen; else the stage's median; else no figure.
/// </summary>
/// <remarks>
/// History is grouped once by stage, param point and non-numeric params, and fits and estimates are kept per point, so
/// that a 100,000-job plan over a 50,000-job history costs a few look-ups per job. Not safe for concurrent use.
/// </remarks>
public sealed class JobEstimator
{
    private readonly IReadOnlySet<string> _ignored;
    private readonly Dictionary<string, StageHistory> _stages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, JobEstimate>> _estimates = new(StringComparer.Ordinal);

    /// <summary>An estimator over <paramref name="history"/>.</summary>
    /// <param name="history">Succeeded jobs of earlier runs of the experiment.</param>
    /// <param name="ignoredParams">Params that do not decide a job's cost (the seed): left out of every comparison.</param>
    public JobEstimator(IReadOnlyList<HistoryJob> history, IReadOnlySet<string> ignoredParams)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(ignoredParams);
        _ignored = ignoredParams;
        foreach (var stage in history.GroupBy(j => j.Stage, StringComparer.Ordinal))
        {
            _stages[stage.Key] = new StageHistory(stage.Select(j => (ParamPoint.Of(j.Params, ignoredParams), j.Measures)));
        }
    }

    /// <summary>The estimate of a job of <paramref name="stage"/> with the given resolved config (variant params and cell values).</summary>
    public JobEstimate Estimate(string stage, IEnumerable<KeyValuePair<string, JsonNode?>> config)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(config);
        if (!_stages.TryGetValue(stage, out var history)) return JobEstimate.None;
        var planned = ParamPoint.Of(config, _ignored);
        if (!_estimates.TryGetValue(stage, out var known)) _estimates[stage] = known = new Dictionary<string, JobEstimate>(StringComparer.Ordinal);
        if (known.TryGetValue(planned.Key, out var estimate)) return estimate;
        estimate = Make(history, planned);
        known[planned.Key] = estimate;
        return estimate;
    }

    private static JobEstimate Make(StageHistory history, ParamPoint planned)
    {
        var same = history.Same(planned);
        var attempts = FitAttempts(history, planned);
        var figures = Measures.All.Select(m => Same(same, m) ?? Fitted(attempts, planned, m) ?? StageMedian(history, m)).ToArray();
        // Wall time decides the basis; a measure that came from elsewhere (older runs did not record it) says so.
        var first = figures.FirstOrDefault(f => f is not null);
        if (first is null) return JobEstimate.None;
        var others = Measures.All.Where(m => figures[(int)m] is { } f && !ReferenceEquals(f, first) && f.Basis != first.Basis)
            .Select(m => $"; {Measures.Name(m)}: {figures[(int)m]!.Detail}");
        return new JobEstimate(
            figures[(int)Measure.Wall]?.Value,
            figures[(int)Measure.Cpu]?.Value,
            figures[(int)Measure.Gpu]?.Value,
            figures[(int)Measure.PeakRss]?.Value,
            figures[(int)Measure.Output] is { } o ? Bytes(o.Value) : null,
            first.Basis,
            first.N,
            first.Detail + string.Concat(others));
    }

    // Rounded to whole bytes; a figure beyond what a long holds (a wild extrapolation) is held at the largest.
    private static long Bytes(double value) => value >= long.MaxValue ? long.MaxValue : (long)Math.Round(value);

    private static Figure? Same(HistoryPoint? same, Measure m)
    {
        if (same?.Medians[(int)m] is not { } median) return null;
        var n = same.Counts[(int)m];
        return new Figure(median, EstimateBasis.SameParams, n, n == 1 ? "the one earlier job with the same params" : $"median of {n} earlier jobs with the same params");
    }

    private static Figure? StageMedian(StageHistory history, Measure m)
    {
        if (history.Medians[(int)m] is not { } median) return null;
        var n = history.Counts[(int)m];
        return new Figure(median, EstimateBasis.StageMedian, n, n == 1 ? "the stage's one earlier job" : $"median of the stage's {n} earlier jobs");
    }

    private static Figure? Fitted(IReadOnlyList<FitAttempt> attempts, ParamPoint planned, Measure m)
    {
        // A power law needs positive params; the fit itself falls back to linear when a measured value is not positive.
        foreach (var attempt in attempts)
        {
            var positive = attempt.Names.All(n => planned.Numbers[n] > 0);
            var fit = (positive ? attempt.Set.Fit(attempt.Names, m, powerLaw: true) : null) ?? attempt.Set.Fit(attempt.Names, m, powerLaw: false);
            if (fit?.Predict(planned.Numbers) is not { } value) continue;
            var basis = fit.Within(planned.Numbers) ? EstimateBasis.Fit : EstimateBasis.Extrapolated;
            return new Figure(value, basis, fit.Jobs, fit.Describe(planned.Numbers, attempt.NarrowedTo));
        }
        return null;
    }

    /// <summary>
    /// The fits worth trying, best first. The params to fit are the numeric ones whose planned value no earlier job of
    /// the partition had. The numeric params that vary but whose planned value was seen are first held at that value
    /// (only the jobs that had it), and fitted too when that leaves too few points.
    /// </summary>
    private static List<FitAttempt> FitAttempts(StageHistory history, ParamPoint planned)
    {
        var set = history.Partition(planned, out _);
        var numeric = history.NumericNames.Where(planned.Numbers.ContainsKey).Order(StringComparer.Ordinal).ToList();
        var unseen = numeric.Where(n => !set.Seen(n, planned.Values[n])).ToList();
        var held = numeric.Where(n => set.Seen(n, planned.Values[n]) && set.Distinct(n) >= 2).ToList();
        var attempts = new List<FitAttempt>();
        if (unseen.Count > 0)
        {
            var condition = held.Select(n => (n, planned.Values[n])).ToList();
            var narrowedTo = held.Count == 0 ? null : string.Join(", ", held.Select(n => $"{n}={planned.Values[n]}"));
            attempts.Add(new FitAttempt(set.Where(condition), unseen, narrowedTo));
        }
        if (held.Count > 0) attempts.Add(new FitAttempt(set, [.. unseen.Concat(held).Order(StringComparer.Ordinal)], null));
        return attempts;
    }

    private sealed record FitAttempt(PointSet Set, IReadOnlyList<string> Names, string? NarrowedTo);

    private sealed record Figure(double Value, EstimateBasis Basis, int N, string Detail);
}
