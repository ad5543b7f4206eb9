using System.Globalization;
using Expt.Metrics;
using Expt.Recording;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting.Pooling;

/// <summary>One job of a study, with the run it comes from (its index among the pooled runs).</summary>
/// <param name="Run">The run's index.</param>
/// <param name="Job">The job.</param>
/// <param name="Metrics">Its metrics; null when none were read.</param>
/// <param name="Unsuccessful">Metrics from Inspect logs that did not succeed.</param>
internal sealed record StudyJob(int Run, JobRecord Job, IReadOnlyDictionary<string, MetricValue>? Metrics, IReadOnlyList<string> Unsuccessful);

/// <summary>
/// A metric's values in one group, per replicate. A replicate is a value of the replicate param (<c>seed</c>) within
/// one run: the variants a group pools (<c>--by</c> naming fewer params than vary) are averaged within each replicate
/// first, so the group's sample has one value per replicate, never one per variant (those are not independent: the
/// two solvers at seed 1 share seed 1's data split).
/// </summary>
internal sealed class GroupValues
{
    private readonly Dictionary<string, List<double>> _byReplicate = new(StringComparer.Ordinal);

    private readonly List<string> _order = [];

    /// <summary>How many values were NaN or infinite.</summary>
    public int NonFinite { get; set; }

    /// <summary>The jobs of those values.</summary>
    public List<string> NonFiniteJobs { get; } = [];

    /// <summary>How many jobs gave a value.</summary>
    public int Jobs { get; set; }

    /// <summary>Adds a finite value of a replicate.</summary>
    public void Add(string replicate, double value)
    {
        if (!_byReplicate.TryGetValue(replicate, out var values))
        {
            _byReplicate[replicate] = values = [];
            _order.Add(replicate);
        }
        values.Add(value);
    }

    /// <summary>One value per replicate (the mean of the group's variants in it), in the order replicates first appeared.</summary>
    public IReadOnlyList<double> Finite => _order.Select(r => Sample.Describe(_byReplicate[r]).Mean!.Value).ToList();
}

/// <summary>A (cell-qualified) metric's values per group.</summary>
/// <param name="Base">The metric's name without its cell.</param>
/// <param name="Cell">The cell's values, displayed (<c>task</c> → <c>mmlu</c>); empty without a cell.</param>
internal sealed record MetricSamples(string Base, IReadOnlyDictionary<string, string> Cell)
{
    /// <summary>The values of each group, by group name.</summary>
    public Dictionary<string, GroupValues> ByGroup { get; } = new(StringComparer.Ordinal);
}

/// <summary>Collects each metric's values per group and replicate from the stage's succeeded jobs.</summary>
internal static class StudySamples
{
    /// <summary>The numeric values of each (cell-qualified) metric, per group and replicate.</summary>
    /// <param name="jobs">The jobs whose values count.</param>
    /// <param name="grouping">The groups.</param>
    /// <param name="repeats">Values to leave out: an earlier pooled run's identical config gave the same (see <see cref="Nondeterminism"/>).</param>
    /// <param name="remarks">Where to say what was left out.</param>
    public static Dictionary<string, MetricSamples> Collect(IEnumerable<StudyJob> jobs, StudyGrouping grouping, IReadOnlySet<string> repeats, List<string> remarks)
    {
        var samples = new Dictionary<string, MetricSamples>(StringComparer.Ordinal);
        var partial = new List<string>();
        foreach (var (run, job, metrics, unsuccessful) in jobs)
        {
            var key = StudyGrouping.Key(run, job.Entry.Variant);
            if (!grouping.GroupOfVariant.TryGetValue(key, out var group) || metrics is null) continue;
            var suffix = StudyReportBuilder.CellSuffix(job.Status?.Cell);
            var replicate = Replicate(run, grouping, job);
            foreach (var (name, value) in metrics)
            {
                if (value.AsNumber is not { } number || repeats.Contains(Nondeterminism.RepeatKey(run, job.Id, name))) continue;
                // An Inspect log that errored, was cancelled or never finished scored only some samples: its numbers are
                // not the job's result, even when the job itself exited 0.
                if (unsuccessful.Contains(name, StringComparer.Ordinal))
                {
                    partial.Add($"{job.Id} ({name})");
                    continue;
                }
                if (!samples.TryGetValue(name + suffix, out var metric))
                {
                    var cell = (job.Status?.Cell ?? []).ToDictionary(kv => kv.Key, kv => ParamValues.ToDisplay(kv.Value), StringComparer.Ordinal);
                    samples[name + suffix] = metric = new MetricSamples(name, cell);
                }
                var values = metric.ByGroup.TryGetValue(group.Name, out var v) ? v : metric.ByGroup[group.Name] = new GroupValues();
                if (double.IsFinite(number)) values.Add(replicate, number);
                else
                {
                    values.NonFinite++;
                    values.NonFiniteJobs.Add(job.Id);
                }
                values.Jobs++;
            }
        }
        if (partial.Count > 0)
        {
            remarks.Add($"{partial.Count.ToString(CultureInfo.InvariantCulture)} value(s) from Inspect logs that did not succeed (error, cancelled or unfinished) left out of the statistics: "
                + string.Join(", ", partial.Take(10)) + (partial.Count > 10 ? ", …" : ""));
        }
        return samples;
    }

    /// <summary>
    /// The metric whose baseline values a metric is compared with: itself when the baseline has values there, else the
    /// metric of the same name whose cell keeps the axes the baseline has (a control evaluated per task, without the
    /// treatments' epochs: <c>accuracy[task=a]</c> for <c>accuracy[epoch=1,task=a]</c>). Null when there is none.
    /// </summary>
    public static string? BaselineSource(string name, Dictionary<string, MetricSamples> samples, string baseline)
    {
        var metric = samples[name];
        if (metric.ByGroup.ContainsKey(baseline)) return name;
        // The most specific cell the baseline has that agrees with this one on every axis they share.
        return samples.Where(s => s.Key != name && s.Value.Base == metric.Base && s.Value.ByGroup.ContainsKey(baseline)
                && s.Value.Cell.Count < metric.Cell.Count
                && s.Value.Cell.All(kv => metric.Cell.TryGetValue(kv.Key, out var v) && v == kv.Value))
            .OrderByDescending(s => s.Value.Cell.Count).Select(s => s.Key).FirstOrDefault();
    }

    // Seeds within one run; a run as a whole when no replicate param varies (pooled runs are each other's replicates).
    private static string Replicate(int run, StudyGrouping grouping, JobRecord job)
    {
        var over = grouping.Over is { } o && job.Params.TryGetValue(o, out var value) ? ParamValues.ToCompactJson(value) : "";
        return $"{run.ToString(CultureInfo.InvariantCulture)}\u0001{over}";
    }
}
