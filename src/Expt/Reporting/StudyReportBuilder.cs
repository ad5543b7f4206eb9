using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting;

/// <summary>Computes a <see cref="StudyReport"/> from a run and the metrics its <see cref="RunReport"/> read.</summary>
public static class StudyReportBuilder
{
    /// <summary>The kind whose variants are the baseline when none is named.</summary>
    public const string ControlKind = "control";

    /// <summary>
    /// Builds the report of <paramref name="run"/>, taking each job's metrics from <paramref name="report"/> (so the
    /// files are read once, and tests can give metrics without files).
    /// </summary>
    /// <exception cref="StudyReportException">An unknown metric, param, stage or baseline was named.</exception>
    public static StudyReport Build(RunRecord run, RunReport report, StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var metricsOf = report.Jobs.ToDictionary(j => j.Id, j => j.Metrics, StringComparer.Ordinal);
        var remarks = new List<string>();
        var stage = ChooseStage(run, metricsOf, options.Stage);
        var grouping = StudyGrouping.Of(run, RunSpecText.Read(run.Directory).ParamOrder, options.By, options.Over);
        var (baseline, rule) = ChooseBaseline(grouping, options.Baseline, remarks);
        var partialOf = report.Jobs.Where(j => j.FromUnsuccessfulLogs is not null).ToDictionary(j => j.Id, j => j.FromUnsuccessfulLogs!, StringComparer.Ordinal);
        var samples = Samples(run, stage, grouping, metricsOf, partialOf, remarks);
        if (samples.Count == 0) remarks.Add($"no succeeded job of stage {stage} has a numeric metric");
        var (chosen, omitted) = ChooseMetrics(run, stage, samples, metricsOf, options);
        var metrics = chosen.Select(m => Summarize(m.Name, m.Direction, grouping.Groups, samples[m.Name], baseline)).ToList();
        foreach (var m in metrics.Where(m => m.Groups.Any(g => g.NonFinite > 0)))
        {
            var jobs = samples[m.Name].Values.SelectMany(v => v.NonFiniteJobs).ToList();
            remarks.Add($"{m.Name}: {m.Groups.Sum(g => g.NonFinite).ToString(CultureInfo.InvariantCulture)} value(s) NaN or infinite (diverged), left out of the statistics: {string.Join(", ", jobs.Take(10))}{(jobs.Count > 10 ? ", …" : "")}");
        }
        foreach (var m in metrics.Where(m => m.Winner is null && m.Groups.Count(g => g.Stats.Mean is not null) > 1))
        {
            remarks.Add($"{m.Name}: no winner, the best groups tie on their mean");
        }
        if (run.Unselected.Count > 0)
        {
            remarks.Add($"{run.Unselected.Count.ToString(CultureInfo.InvariantCulture)} job(s) of the spec were not selected in this run (--filter, --only or --skip left them out): they are not part of this report");
        }
        var git = run.Manifest.Git;
        return new StudyReport
        {
            Experiment = run.Experiment,
            RunId = run.RunId,
            Directory = run.Directory,
            Question = report.Question,
            Hypothesis = report.Hypothesis,
            Notes = report.Notes,
            Git = new StudyGit(git.Commit, git.Short, git.Branch, git.Dirty),
            Created = report.Created,
            Ended = report.Ended,
            States = report.States,
            Stage = stage,
            By = grouping.By,
            Over = grouping.Over,
            Pooled = grouping.Pooled,
            Baseline = baseline?.Name,
            BaselineRule = rule,
            Groups = grouping.Groups,
            Metrics = metrics,
            OmittedMetrics = omitted,
            Effects = Effects.EffectsBuilder.From(run, report, stage, chosen, RunSpecText.Read(run.Directory).ParamOrder, grouping.Over ?? StudyGrouping.Seed),
            Total = CostSummary.Of(run.Jobs.ToList()),
            Failures = run.Jobs.Where(j => j.State != JobState.Succeeded).Select(j => new StudyFailure(j.Id, j.State.Name(), j.Status?.Reason)).ToList(),
            Remarks = remarks,
            NotRead = report.NotRead,
        };
    }

    /// <summary>
    /// A cell's suffix for its metrics' names: <c>[task=mmlu]</c>, <c>[epoch=1,task=mmlu]</c>; empty without a cell.
    /// Each cell is a metric of its own: accuracy on one task says nothing about another.
    /// </summary>
    public static string CellSuffix(JsonObject? cell) =>
        cell is null || cell.Count == 0 ? "" : "[" + string.Join(",", cell.Select(kv => $"{kv.Key}={ParamValues.ToDisplay(kv.Value)}")) + "]";

    /// <summary>Jobs whose metrics count: of the stage, not a shard (the merge job speaks for its shards).</summary>
    private static IEnumerable<JobRecord> StageJobs(RunRecord run, string stage) =>
        run.Jobs.Where(j => j.Entry.Stage == stage && j.Status?.ShardIndex is null);

    private static bool HasNumbers(IReadOnlyDictionary<string, MetricValue>? metrics) =>
        metrics is not null && metrics.Values.Any(v => v.Kind == MetricKind.Number);

    private static string ChooseStage(RunRecord run, Dictionary<string, IReadOnlyDictionary<string, MetricValue>> metricsOf, string? asked)
    {
        var stages = run.Jobs.Select(j => j.Entry.Stage).Distinct(StringComparer.Ordinal).ToList();
        if (asked is not null)
        {
            if (stages.Contains(asked, StringComparer.Ordinal)) return asked;
            throw new StudyReportException($"unknown stage '{asked}'{DidYouMean.Suggest(asked, stages)}; the run's stages are {string.Join(", ", stages)}");
        }
        // The last stage that measured something: evaluation after training, the training alone otherwise.
        return stages.LastOrDefault(s => StageJobs(run, s).Any(j => j.State == JobState.Succeeded && HasNumbers(metricsOf.GetValueOrDefault(j.Id))))
            ?? stages.LastOrDefault() ?? "main";
    }

    private static (GroupSummary? Group, string? Rule) ChooseBaseline(StudyGrouping grouping, string? asked, List<string> remarks)
    {
        var groups = grouping.Groups;
        if (asked is null)
        {
            var controls = groups.Where(g => g.Kind == ControlKind).ToList();
            if (controls.Count == 1) return (controls[0], $"kind {ControlKind}");
            if (controls.Count > 1)
            {
                remarks.Add($"{controls.Count.ToString(CultureInfo.InvariantCulture)} groups are of kind {ControlKind} ({string.Join(", ", controls.Select(c => c.Name))}): no baseline chosen; name one with --baseline");
            }
            return (null, null);
        }
        if (asked.StartsWith("kind:", StringComparison.Ordinal))
        {
            var kind = asked["kind:".Length..];
            var ofKind = groups.Where(g => g.Kind == kind).ToList();
            var kinds = groups.Select(g => g.Kind).Distinct(StringComparer.Ordinal).ToList();
            if (ofKind.Count == 0) throw new StudyReportException($"no variant of kind '{kind}'{DidYouMean.Suggest(kind, kinds)}; the run's kinds are {string.Join(", ", kinds)}");
            if (ofKind.Count > 1) throw new StudyReportException($"kind '{kind}' has {ofKind.Count.ToString(CultureInfo.InvariantCulture)} groups ({string.Join(", ", ofKind.Select(g => g.Name))}); name one with --baseline VARIANT");
            return (ofKind[0], $"--baseline {asked}");
        }
        if (grouping.GroupOfVariant.TryGetValue(asked, out var ofVariant)) return (ofVariant, $"--baseline {asked}");
        if (groups.FirstOrDefault(g => g.Name == asked) is { } named) return (named, $"--baseline {asked}");
        var known = grouping.GroupOfVariant.Keys.Concat(groups.Select(g => g.Name)).Distinct(StringComparer.Ordinal).ToList();
        throw new StudyReportException($"unknown baseline '{asked}'{DidYouMean.Suggest(asked, known)}: expected a variant ({string.Join(", ", grouping.GroupOfVariant.Keys.Take(10))}{(grouping.GroupOfVariant.Count > 10 ? ", …" : "")}), a group name or kind:KIND");
    }

    /// <summary>The numeric values of each (cell-qualified) metric, per group, from the stage's succeeded jobs.</summary>
    private static Dictionary<string, Dictionary<string, Values>> Samples(RunRecord run, string stage, StudyGrouping grouping,
        Dictionary<string, IReadOnlyDictionary<string, MetricValue>> metricsOf, Dictionary<string, IReadOnlyList<string>> partialOf, List<string> remarks)
    {
        var samples = new Dictionary<string, Dictionary<string, Values>>(StringComparer.Ordinal);
        var partial = new List<string>();
        foreach (var job in StageJobs(run, stage).Where(j => j.State == JobState.Succeeded))
        {
            if (!grouping.GroupOfVariant.TryGetValue(job.Entry.Variant, out var group) || !metricsOf.TryGetValue(job.Id, out var metrics)) continue;
            var suffix = CellSuffix(job.Status?.Cell);
            var unsuccessful = partialOf.GetValueOrDefault(job.Id) ?? [];
            foreach (var (name, value) in metrics)
            {
                if (value.AsNumber is not { } number) continue;
                // An Inspect log that errored, was cancelled or never finished scored only some samples: its numbers are
                // not the job's result, even when the job itself exited 0.
                if (unsuccessful.Contains(name, StringComparer.Ordinal))
                {
                    partial.Add($"{job.Id} ({name})");
                    continue;
                }
                var byGroup = samples.TryGetValue(name + suffix, out var b) ? b : samples[name + suffix] = new Dictionary<string, Values>(StringComparer.Ordinal);
                var values = byGroup.TryGetValue(group.Name, out var v) ? v : byGroup[group.Name] = new Values();
                if (double.IsFinite(number)) values.Finite.Add(number);
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

    private static (List<(string Name, MetricDirection Direction)> Chosen, List<string> Omitted) ChooseMetrics(
        RunRecord run, string stage, Dictionary<string, Dictionary<string, Values>> samples,
        Dictionary<string, IReadOnlyDictionary<string, MetricValue>> metricsOf, StudyOptions options)
    {
        if (options.Metrics.Count == 0)
        {
            // The metrics most jobs have come first (a stray debug number should not push out accuracy), then by name.
            var ranked = samples.OrderByDescending(s => s.Value.Values.Sum(v => v.Jobs)).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key).ToList();
            var shown = ranked.Take(Math.Max(0, options.MaxMetrics)).Order(StringComparer.Ordinal).Select(n => (n, MetricDirections.Default(n))).ToList();
            return (shown, ranked.Skip(Math.Max(0, options.MaxMetrics)).Order(StringComparer.Ordinal).ToList());
        }
        var chosen = new List<(string Name, MetricDirection Direction)>();
        foreach (var request in options.Metrics)
        {
            // A name without a cell means that metric in every cell: accuracy → accuracy[task=a], accuracy[task=b].
            var names = samples.ContainsKey(request.Name)
                ? [request.Name]
                : samples.Keys.Where(k => k.StartsWith(request.Name + "[", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (names.Count == 0) throw UnknownMetric(run, stage, request.Name, samples.Keys.Order(StringComparer.Ordinal).ToList(), metricsOf);
            foreach (var name in names.Where(n => !chosen.Any(c => c.Name == n))) chosen.Add((name, request.Direction ?? MetricDirections.Default(name)));
        }
        return (chosen, []);
    }

    private static StudyReportException UnknownMetric(RunRecord run, string stage, string name, List<string> available, Dictionary<string, IReadOnlyDictionary<string, MetricValue>> metricsOf)
    {
        var bases = available.Select(a => a.Split('[', 2)[0]).Distinct(StringComparer.Ordinal).ToList();
        var colon = name.LastIndexOf(':');
        if (colon > 0 && (available.Contains(name[..colon]) || bases.Contains(name[..colon])))
        {
            return new StudyReportException($"--metric {name}: '{name[(colon + 1)..]}' is not a direction; write {name[..colon]}:max or {name[..colon]}:min");
        }
        var inStage = run.Jobs.Where(j => j.Entry.Stage == stage)
            .Select(j => metricsOf.GetValueOrDefault(j.Id) is { } m && m.TryGetValue(name, out var v) ? v : (MetricValue?)null).FirstOrDefault(v => v is not null);
        if (inStage is { } found && found.AsNumber is null)
        {
            return new StudyReportException($"metric '{name}' of stage {stage} is not a number ({found.Kind.ToString().ToLowerInvariant()}); a study report summarises numeric metrics only");
        }
        var has = available.Count == 0 ? $"stage {stage} has no numeric metrics" : $"stage {stage} has {string.Join(", ", available)}";
        var elsewhere = run.Jobs.Where(j => j.Entry.Stage != stage && metricsOf.GetValueOrDefault(j.Id)?.ContainsKey(name) == true)
            .Select(j => j.Entry.Stage).Distinct(StringComparer.Ordinal).ToList();
        var hint = elsewhere.Count > 0 ? $"; '{name}' is a metric of stage {string.Join(", ", elsewhere)} (use --stage {elsewhere[0]})" : "";
        return new StudyReportException($"unknown metric '{name}'{DidYouMean.Suggest(name, available.Concat(bases))}; {has}{hint}");
    }

    private static MetricSummary Summarize(string name, MetricDirection direction, IReadOnlyList<GroupSummary> groups, Dictionary<string, Values> byGroup, GroupSummary? baseline)
    {
        IReadOnlyList<double> ValuesOf(GroupSummary g) => byGroup.TryGetValue(g.Name, out var v) ? v.Finite : [];
        var baseValues = baseline is null ? [] : ValuesOf(baseline);
        var rows = groups.Select(g =>
        {
            var values = ValuesOf(g);
            var vs = baseline is null || g == baseline || values.Count == 0 || baseValues.Count == 0 ? null : BaselineTest.Of(values, baseValues);
            return new GroupStats(g.Name, values, byGroup.TryGetValue(g.Name, out var v) ? v.NonFinite : 0, Sample.Describe(values), vs);
        }).ToList();
        // OrderBy is stable: on a tie the group that comes first wins.
        var ranked = rows.Where(r => r.Stats.Mean is not null);
        ranked = direction == MetricDirection.Max ? ranked.OrderByDescending(r => r.Stats.Mean) : ranked.OrderBy(r => r.Stats.Mean);
        var top = ranked.Take(2).ToList();
        // Equal best means are a tie, not a win by the order groups happen to be listed in.
        if (top.Count == 2 && top[0].Stats.Mean == top[1].Stats.Mean) return new MetricSummary(name, direction, rows, null);
        Winner? winner = top.Count switch
        {
            0 => null,
            1 => new Winner(top[0].Group, top[0].Stats.Mean!.Value, null, null, null, null),
            _ => new Winner(top[0].Group, top[0].Stats.Mean!.Value, top[1].Group, top[1].Stats.Mean, Delta.Of(top[1].Stats.Mean, top[0].Stats.Mean), Welch.Test(top[0].Values, top[1].Values)),
        };
        return new MetricSummary(name, direction, rows, winner);
    }

    private sealed class Values
    {
        public List<double> Finite { get; } = [];

        public int NonFinite { get; set; }

        public List<string> NonFiniteJobs { get; } = [];

        public int Jobs { get; set; }
    }
}
