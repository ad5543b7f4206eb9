using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Recording;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting.Effects;

/// <summary>
/// Computes <see cref="StudyEffects"/> from a run's jobs, independently of how the report groups them: a factor is a
/// param that varies among the variants that are not controls; a replicate is a value of the replicate param.
/// </summary>
public static class EffectsBuilder
{
    /// <summary>Effects of the succeeded jobs of <paramref name="stage"/> on <paramref name="metrics"/>, with metric values from <paramref name="report"/>.</summary>
    /// <param name="run">The run.</param>
    /// <param name="report">The run's metrics, read once.</param>
    /// <param name="stage">The reported stage.</param>
    /// <param name="metrics">The reported metrics (cell-qualified) and their directions.</param>
    /// <param name="paramOrder">The params in the report's order.</param>
    /// <param name="replicate">The replicate param; ignored unless its value varies among the jobs.</param>
    public static StudyEffects From(RunRecord run, RunReport report, string stage, IReadOnlyList<(string Name, MetricDirection Direction)> metrics,
        IReadOnlyList<string> paramOrder, string replicate) =>
        From([(run, report)], new EffectsScope(stage, metrics, paramOrder, replicate));

    /// <summary>
    /// Effects over pooled runs: a replicate is a run and a value of the replicate param, so the same seed in two runs
    /// counts twice.
    /// </summary>
    public static StudyEffects From(IReadOnlyList<(RunRecord Run, RunReport Report)> runs, EffectsScope scope)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(scope);
        var observations = new List<EffectObservation>();
        for (var r = 0; r < runs.Count; r++)
        {
            var (run, report) = runs[r];
            var metricsOf = report.Jobs.ToDictionary(j => j.Id, j => j, StringComparer.Ordinal);
            foreach (var job in run.Jobs.Where(j => j.Entry.Stage == scope.Stage && j.Status?.ShardIndex is null && j.State == JobState.Succeeded))
            {
                if (!metricsOf.TryGetValue(job.Id, out var jobReport)) continue;
                var cell = job.Status?.Cell;
                var suffix = StudyReportBuilder.CellSuffix(cell);
                var unsuccessful = jobReport.FromUnsuccessfulLogs ?? [];
                var values = jobReport.Metrics
                    .Where(kv => kv.Value.AsNumber is { } n && double.IsFinite(n) && !unsuccessful.Contains(kv.Key, StringComparer.Ordinal))
                    .ToDictionary(kv => kv.Key + suffix, kv => kv.Value.AsNumber!.Value, StringComparer.Ordinal);
                var ps = job.Params.Where(kv => cell is null || !cell.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                if (runs.Count > 1)
                {
                    ps[scope.Replicate] = JsonValue.Create($"{r.ToString(CultureInfo.InvariantCulture)}:{Key(ps.GetValueOrDefault(scope.Replicate))}");
                }
                observations.Add(new EffectObservation(job.Status?.Kind ?? job.Entry.Kind, ps, values));
            }
        }
        return Compute(observations, scope.Metrics, scope.ParamOrder, scope.Replicate);
    }

    /// <summary>Effects of <paramref name="observations"/> on <paramref name="metrics"/> (pure: the known-answer tests call it directly).</summary>
    public static StudyEffects Compute(IReadOnlyList<EffectObservation> observations, IReadOnlyList<(string Name, MetricDirection Direction)> metrics,
        IReadOnlyList<string> paramOrder, string replicate)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(paramOrder);
        var treatments = observations.Where(o => o.Kind != StudyReportBuilder.ControlKind).ToList();
        var controls = observations.Where(o => o.Kind == StudyReportBuilder.ControlKind).ToList();
        var replicateValues = observations.Select(o => Key(o.Params.GetValueOrDefault(replicate))).Distinct(StringComparer.Ordinal).Count();
        string? rep = replicateValues > 1 ? replicate : null;
        var names = paramOrder.Concat(treatments.SelectMany(o => o.Params.Keys)).Distinct(StringComparer.Ordinal).Where(p => p != replicate).ToList();
        var factors = names.Where(p => treatments.Select(o => Key(o.Params.GetValueOrDefault(p))).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        var levels = factors.ToDictionary(f => f, f => Levels(treatments, f), StringComparer.Ordinal);
        var result = new List<MetricEffects>();
        foreach (var (metric, direction) in metrics)
        {
            var main = factors.Select(f => new FactorEffect(f, levels[f].All(l => NumberOf(l.Value) is not null),
                levels[f].Select(l => new LevelMean(l.Value?.DeepClone(), l.Label, Stats(treatments.Where(o => Key(o.Params.GetValueOrDefault(f)) == l.Key), metric, rep))).ToList())).ToList();
            var interactions = new List<Interaction>();
            for (var i = 0; i < factors.Count; i++)
            {
                for (var j = i + 1; j < factors.Count; j++)
                {
                    var (a, b) = (factors[i], factors[j]);
                    var cells = (from la in levels[a]
                                 from lb in levels[b]
                                 let stats = Stats(treatments.Where(o => Key(o.Params.GetValueOrDefault(a)) == la.Key && Key(o.Params.GetValueOrDefault(b)) == lb.Key), metric, rep)
                                 where stats.N > 0
                                 select new InteractionCell(la.Label, lb.Label, stats)).ToList();
                    interactions.Add(new Interaction(a, b, cells));
                }
            }
            result.Add(new MetricEffects(metric, direction, main, interactions, VsControl(main, treatments, controls, metric, direction, rep)));
        }
        return new StudyEffects(rep, rep is null ? 0 : treatments.Select(o => Key(o.Params.GetValueOrDefault(replicate))).Distinct(StringComparer.Ordinal).Count(), factors, result);
    }

    private static List<ControlEffect> VsControl(List<FactorEffect> main, List<EffectObservation> treatments, List<EffectObservation> controls,
        string metric, MetricDirection direction, string? rep)
    {
        var control = ByReplicate(controls, metric, rep);
        if (control.Count == 0) return [];
        var controlMean = Sample.Describe(control.Values.ToList()).Mean!.Value;
        var result = new List<ControlEffect>();
        foreach (var factor in main)
        {
            var withMean = factor.Levels.Where(l => l.Stats.Mean is not null).ToList();
            if (withMean.Count == 0) continue;
            // OrderBy is stable: on a tie the level that comes first is the best.
            var best = direction == MetricDirection.Max ? withMean.OrderByDescending(l => l.Stats.Mean).First() : withMean.OrderBy(l => l.Stats.Mean).First();
            Sample? paired = null;
            if (rep is not null)
            {
                var level = ByReplicate(treatments.Where(o => o.Params.ContainsKey(factor.Factor) && Key(o.Params[factor.Factor]) == Key(best.Level)), metric, rep);
                paired = Sample.Describe(level.Where(kv => control.ContainsKey(kv.Key)).Select(kv => kv.Value - control[kv.Key]).ToList());
            }
            result.Add(new ControlEffect(factor.Factor, best.Label, best.Stats.Mean!.Value, controlMean, Delta.Of(controlMean, best.Stats.Mean), paired));
        }
        return result;
    }

    /// <summary>With replicates: the mean of each replicate's values, described over replicates. Without: the values, with no interval.</summary>
    private static Sample Stats(IEnumerable<EffectObservation> observations, string metric, string? rep)
    {
        if (rep is not null) return Sample.Describe(ByReplicate(observations, metric, rep).Values.ToList());
        var values = observations.Select(o => o.Metrics.TryGetValue(metric, out var v) ? (double?)v : null).OfType<double>().ToList();
        // Jobs that differ in other factors are not replicates of each other: no interval is claimed over them.
        return Sample.Describe(values) with { CiLow = null, CiHigh = null };
    }

    private static Dictionary<string, double> ByReplicate(IEnumerable<EffectObservation> observations, string metric, string? rep) =>
        observations.Where(o => o.Metrics.ContainsKey(metric))
            .GroupBy(o => rep is null ? "" : Key(o.Params.GetValueOrDefault(rep)), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(o => o.Metrics[metric]), StringComparer.Ordinal);

    private static List<(string Key, JsonNode? Value, string Label)> Levels(List<EffectObservation> treatments, string factor)
    {
        var levels = treatments.Where(o => o.Params.ContainsKey(factor)).Select(o => o.Params[factor])
            .DistinctBy(Key, StringComparer.Ordinal).Select(v => (Key(v), v, ParamValues.ToDisplay(v))).ToList();
        var numbers = levels.Select(l => NumberOf(l.v)).ToList();
        return numbers.All(n => n is not null) ? levels.Zip(numbers).OrderBy(p => p.Second).Select(p => p.First).ToList() : levels;
    }

    /// <summary>A level's value as a number; null unless it is one (an int, a float, as parsed or as built).</summary>
    internal static double? NumberOf(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static string Key(JsonNode? value) => ParamValues.ToCompactJson(value);
}

/// <summary>What effects are computed on.</summary>
/// <param name="Stage">The reported stage.</param>
/// <param name="Metrics">The reported metrics (cell-qualified) and their directions.</param>
/// <param name="ParamOrder">The params in the report's order.</param>
/// <param name="Replicate">The replicate param; ignored unless its value varies among the jobs.</param>
public sealed record EffectsScope(string Stage, IReadOnlyList<(string Name, MetricDirection Direction)> Metrics, IReadOnlyList<string> ParamOrder, string Replicate);
