using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting.Paired;
using Expt.Reporting.Pooling;
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
    public static StudyReport Build(RunRecord run, RunReport report, StudyOptions options) => Build([(run, report)], options);

    /// <summary>
    /// Builds the report of several runs of one experiment, pooled: every job keeps its run as a replicate key, so runs
    /// that differ only by their seed are replicates of one group.
    /// </summary>
    /// <exception cref="StudyReportException">No run, runs of several experiments, or an unknown metric, param, stage or baseline.</exception>
    public static StudyReport Build(IReadOnlyList<(RunRecord Run, RunReport Report)> runs, StudyOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (runs.Count == 0) throw new StudyReportException("no run to report");
        var experiments = runs.Select(r => r.Run.Experiment).Distinct(StringComparer.Ordinal).ToList();
        if (experiments.Count > 1)
        {
            throw new StudyReportException($"runs of {experiments.Count.ToString(CultureInfo.InvariantCulture)} experiments ({string.Join(", ", experiments)}): a report pools the runs of one experiment");
        }
        var records = runs.Select(r => r.Run).ToList();
        var jobs = runs.SelectMany((r, i) =>
        {
            var metricsOf = r.Report.Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
            return r.Run.Jobs.Select(j => new StudyJob(i, j, metricsOf.GetValueOrDefault(j.Id)?.Metrics, metricsOf.GetValueOrDefault(j.Id)?.FromUnsuccessfulLogs ?? []));
        }).ToList();
        var remarks = new List<string>();
        var stage = ChooseStage(jobs, options.Stage);
        var first = runs[0].Report;
        var spec = RunSpecText.Read(records[0].Directory);
        var grouping = StudyGrouping.Of(records.Select(r => (r, DeclaredParams.Read(r.Directory))).ToList(), spec.ParamOrder, options.By, options.Over);
        var (baseline, rule) = ChooseBaseline(grouping, options.Baseline, remarks);
        var (nondeterministic, repeats) = Nondeterminism.Find(records, jobs);
        var counted = StageJobs(jobs, stage).Where(j => j.Job.State == JobState.Succeeded);
        var samples = StudySamples.Collect(counted, grouping, repeats, remarks);
        if (samples.Count == 0) remarks.Add($"no succeeded job of stage {stage} has a numeric metric");
        var (chosen, omitted) = ChooseMetrics(stage, samples, jobs, options, spec.Metrics);
        var metrics = chosen.Select(m => Summarize(m, grouping.Groups, samples, baseline)).ToList();
        // A control's own cells, compared on the axes it shares with the treatments' cells, need no table of their own.
        metrics = metrics.Where(m => !(m.Groups.All(g => g.Stats.N == 0 || g.Group == baseline?.Name) && metrics.Any(o => o.BaselineMetric == m.Name))).ToList();
        foreach (var m in metrics.Where(m => m.Groups.Any(g => g.NonFinite > 0)))
        {
            var bad = samples[m.Name].ByGroup.Values.SelectMany(v => v.NonFiniteJobs).ToList();
            remarks.Add($"{m.Name}: {m.Groups.Sum(g => g.NonFinite).ToString(CultureInfo.InvariantCulture)} value(s) NaN or infinite (diverged), left out of the statistics: {string.Join(", ", bad.Take(10))}{(bad.Count > 10 ? ", …" : "")}");
        }
        foreach (var m in metrics.Where(m => m.Winners.Count > 1))
        {
            remarks.Add($"{m.Name}: {string.Join(", ", m.Winners)} tie on their mean (within a relative 1e-9): co-winners");
        }
        var unselected = records.Sum(r => r.Unselected.Count);
        if (unselected > 0)
        {
            remarks.Add($"{unselected.ToString(CultureInfo.InvariantCulture)} job(s) of the spec were not selected in this run (--filter, --only or --skip left them out): they are not part of this report");
        }
        if (repeats.Count > 0)
        {
            remarks.Add($"{repeats.Count.ToString(CultureInfo.InvariantCulture)} value(s) repeat an identical config of an earlier pooled run with the same result: counted once, not as replicates");
        }
        if (nondeterministic.Count > 0)
        {
            remarks.Add($"nondeterministic: {nondeterministic.Count.ToString(CultureInfo.InvariantCulture)} result(s) of identical configs (same params, seed and commit) differ between runs: "
                + string.Join("; ", nondeterministic.Take(5).Select(n => $"{n.Config} {n.Metric} = {string.Join(" / ", n.Values.Select(v => CompactNumber.Format(v)))} in {string.Join(" / ", n.Runs)}"))
                + (nondeterministic.Count > 5 ? "; …" : ""));
        }
        var paired = PairedAnalysis.Build(records, stage, grouping, baseline, spec.PerItemId, column => ScoreDirection(column, options.Metrics, spec.Metrics));
        var git = records[0].Manifest.Git;
        var pooled = records.Count > 1;
        return new StudyReport
        {
            Experiment = records[0].Experiment,
            RunId = pooled ? string.Join("+", records.Select(r => r.RunId)) : records[0].RunId,
            Directory = records[0].Directory,
            Question = first.Question,
            Hypothesis = first.Hypothesis,
            Notes = first.Notes,
            Git = new StudyGit(git.Commit, git.Short, git.Branch, git.Dirty),
            Created = runs.Min(r => r.Report.Created),
            Ended = runs.Any(r => r.Report.Ended is null) ? null : runs.Max(r => r.Report.Ended),
            States = runs.SelectMany(r => r.Report.States).GroupBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal),
            Stage = stage,
            By = grouping.By,
            Over = grouping.Over,
            Pooled = grouping.Pooled,
            Baseline = baseline?.Name,
            BaselineRule = rule,
            Groups = grouping.Groups,
            Metrics = metrics,
            OmittedMetrics = omitted,
            Effects = Effects.EffectsBuilder.From(runs, new Effects.EffectsScope(stage, chosen.Where(c => !c.Info).Select(c => (c.Name, c.Direction)).ToList(), spec.ParamOrder, grouping.Over ?? StudyGrouping.Seed)),
            Total = CostSummary.Of(records.SelectMany(r => r.Jobs).ToList()),
            Failures = jobs.Where(j => j.Job.State != JobState.Succeeded)
                .Select(j => new StudyFailure(pooled ? $"{records[j.Run].RunId}/{j.Job.Id}" : j.Job.Id, j.Job.State.Name(), j.Job.Status?.Reason)).ToList(),
            Paired = paired.Comparisons,
            Remarks = remarks,
            NotRead = [.. runs.SelectMany(r => r.Report.NotRead), .. paired.Warnings],
            Runs = pooled ? records.Select(r => new PooledRun(r.RunId, r.Directory, r.Manifest.Git.Commit, r.Manifest.Git.Dirty, r.Manifest.Created)).ToList() : [],
            Replicates = Replicates(grouping.Over, pooled),
            Nondeterministic = nondeterministic,
        };
    }

    // What one value of a group's sample stands for.
    private static string Replicates(string? over, bool pooled) => (over, pooled) switch
    {
        (null, false) => "none",
        (null, true) => "run",
        (_, false) => over,
        _ => $"run × {over}",
    };

    /// <summary>
    /// A cell's suffix for its metrics' names: <c>[task=mmlu]</c>, <c>[epoch=1,task=mmlu]</c>; empty without a cell.
    /// Each cell is a metric of its own: accuracy on one task says nothing about another.
    /// </summary>
    public static string CellSuffix(JsonObject? cell) =>
        cell is null || cell.Count == 0 ? "" : "[" + string.Join(",", cell.Select(kv => $"{kv.Key}={ParamValues.ToDisplay(kv.Value)}")) + "]";

    /// <summary>Jobs whose metrics count: of the stage, not a shard (the merge job speaks for its shards).</summary>
    private static IEnumerable<StudyJob> StageJobs(IEnumerable<StudyJob> jobs, string stage) =>
        jobs.Where(j => j.Job.Entry.Stage == stage && j.Job.Status?.ShardIndex is null);

    private static bool HasNumbers(IReadOnlyDictionary<string, MetricValue>? metrics) =>
        metrics is not null && metrics.Values.Any(v => v.Kind == MetricKind.Number);

    private static string ChooseStage(IReadOnlyList<StudyJob> jobs, string? asked)
    {
        var stages = jobs.Select(j => j.Job.Entry.Stage).Distinct(StringComparer.Ordinal).ToList();
        if (asked is not null)
        {
            if (stages.Contains(asked, StringComparer.Ordinal)) return asked;
            throw new StudyReportException($"unknown stage '{asked}'{DidYouMean.Suggest(asked, stages)}; the run's stages are {string.Join(", ", stages)}");
        }
        // The last stage that measured something: evaluation after training, the training alone otherwise.
        return stages.LastOrDefault(s => StageJobs(jobs, s).Any(j => j.Job.State == JobState.Succeeded && HasNumbers(j.Metrics)))
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
        if (grouping.GroupOfName(asked) is { } ofVariant) return (ofVariant, $"--baseline {asked}");
        if (groups.FirstOrDefault(g => g.Name == asked) is { } named) return (named, $"--baseline {asked}");
        var variants = grouping.VariantNames.ToList();
        var known = variants.Concat(groups.Select(g => g.Name)).Distinct(StringComparer.Ordinal).ToList();
        throw new StudyReportException($"unknown baseline '{asked}'{DidYouMean.Suggest(asked, known)}: expected a variant ({string.Join(", ", variants.Take(10))}{(variants.Count > 10 ? ", …" : "")}), a group name or kind:KIND");
    }

    /// <summary>
    /// The metrics to report and how: <c>--metric</c> names them in its order (its <c>:max</c>/<c>:min</c> beats the
    /// spec's goal, and makes an info metric compared); otherwise the metrics most jobs have, the spec's primary
    /// metric always among them and first. The spec's goal beats the name rules.
    /// </summary>
    private static (List<ChosenMetric> Chosen, List<string> Omitted) ChooseMetrics(
        string stage, Dictionary<string, MetricSamples> samples, IReadOnlyList<StudyJob> jobs, StudyOptions options, IReadOnlyList<MetricRole> roles)
    {
        ChosenMetric Choose(string name, MetricDirection? asked)
        {
            var role = MetricRole.Of(roles, name);
            var info = asked is null && role?.Info == true;
            return new ChosenMetric(name, asked ?? role?.Goal ?? MetricDirections.Default(name), role?.Primary == true, info);
        }
        if (options.Metrics.Count == 0)
        {
            // The primary metric first; then the metrics most jobs have (a stray debug number should not push out accuracy), then by name.
            var ranked = samples.OrderByDescending(s => MetricRole.Of(roles, s.Key)?.Primary == true).ThenByDescending(s => s.Value.ByGroup.Values.Sum(v => v.Jobs))
                .ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key).ToList();
            var shown = ranked.Take(Math.Max(0, options.MaxMetrics)).Select(n => Choose(n, null))
                .OrderByDescending(c => c.Primary).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
            return (shown, ranked.Skip(Math.Max(0, options.MaxMetrics)).Order(StringComparer.Ordinal).ToList());
        }
        var chosen = new List<ChosenMetric>();
        foreach (var request in options.Metrics)
        {
            // A name without a cell means that metric in every cell: accuracy → accuracy[task=a], accuracy[task=b].
            var names = samples.ContainsKey(request.Name)
                ? [request.Name]
                : samples.Keys.Where(k => k.StartsWith(request.Name + "[", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (names.Count == 0) throw UnknownMetric(stage, request.Name, samples.Keys.Order(StringComparer.Ordinal).ToList(), jobs);
            foreach (var name in names.Where(n => !chosen.Any(c => c.Name == n))) chosen.Add(Choose(name, request.Direction));
        }
        return (chosen, []);
    }

    /// <summary>
    /// Which way is better for a per-item score column, as for a metric of that name: <c>--metric NAME:max|min</c>
    /// where it names the column (with or without its cell), else the spec's goal, else the name rules; so the
    /// winner over items agrees with the report's direction.
    /// </summary>
    private static MetricDirection ScoreDirection(string column, IReadOnlyList<MetricRequest> requests, IReadOnlyList<MetricRole> roles)
    {
        var cut = column.IndexOf('[', StringComparison.Ordinal);
        var name = cut > 0 ? column[..cut] : column;
        var asked = requests.FirstOrDefault(r => r.Direction is not null && r.Name == column)?.Direction
            ?? requests.FirstOrDefault(r => r.Direction is not null && r.Name == name)?.Direction;
        return asked ?? MetricRole.Of(roles, column)?.Goal ?? MetricDirections.Default(column);
    }

    private sealed record ChosenMetric(string Name, MetricDirection Direction, bool Primary, bool Info);

    private static StudyReportException UnknownMetric(string stage, string name, List<string> available, IReadOnlyList<StudyJob> jobs)
    {
        var bases = available.Select(a => a.Split('[', 2)[0]).Distinct(StringComparer.Ordinal).ToList();
        var colon = name.LastIndexOf(':');
        if (colon > 0 && (available.Contains(name[..colon]) || bases.Contains(name[..colon])))
        {
            return new StudyReportException($"--metric {name}: '{name[(colon + 1)..]}' is not a direction; write {name[..colon]}:max or {name[..colon]}:min");
        }
        var inStage = jobs.Where(j => j.Job.Entry.Stage == stage)
            .Select(j => j.Metrics is { } m && m.TryGetValue(name, out var v) ? v : (MetricValue?)null).FirstOrDefault(v => v is not null);
        if (inStage is { } found && found.AsNumber is null)
        {
            return new StudyReportException($"metric '{name}' of stage {stage} is not a number ({found.Kind.ToString().ToLowerInvariant()}); a study report summarises numeric metrics only");
        }
        var has = available.Count == 0 ? $"stage {stage} has no numeric metrics" : $"stage {stage} has {string.Join(", ", available)}";
        var elsewhere = jobs.Where(j => j.Job.Entry.Stage != stage && j.Metrics?.ContainsKey(name) == true)
            .Select(j => j.Job.Entry.Stage).Distinct(StringComparer.Ordinal).ToList();
        var hint = elsewhere.Count > 0 ? $"; '{name}' is a metric of stage {string.Join(", ", elsewhere)} (use --stage {elsewhere[0]})" : "";
        return new StudyReportException($"unknown metric '{name}'{DidYouMean.Suggest(name, available.Concat(bases))}; {has}{hint}");
    }

    private static MetricSummary Summarize(ChosenMetric metric, IReadOnlyList<GroupSummary> groups, Dictionary<string, MetricSamples> samples, GroupSummary? baseline)
    {
        var (name, direction, primary, info) = metric;
        var byGroup = samples[name].ByGroup;
        var source = baseline is null ? null : StudySamples.BaselineSource(name, samples, baseline.Name);
        GroupValues? Of(GroupSummary g) => g == baseline && source is not null ? samples[source].ByGroup[g.Name] : byGroup.GetValueOrDefault(g.Name);
        IReadOnlyList<double> ValuesOf(GroupSummary g) => Of(g)?.Finite ?? [];
        var baseValues = baseline is null ? [] : ValuesOf(baseline);
        var rows = groups.Select(g =>
        {
            var values = ValuesOf(g);
            var vs = info || baseline is null || g == baseline || values.Count == 0 || baseValues.Count == 0 ? null : BaselineTest.Of(values, baseValues);
            return new GroupStats(g.Name, values, Of(g)?.NonFinite ?? 0, Sample.Describe(values), vs);
        }).ToList();
        // An info metric (an item count) is described, never ranked: it has no better side.
        if (info) return new MetricSummary(name, direction, rows, null) { Primary = primary, Info = true };
        return Ranking.Summarize(name, direction, rows) with { BaselineMetric = source == name ? null : source, Primary = primary };
    }
}
