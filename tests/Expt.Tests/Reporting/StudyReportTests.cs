using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tests.Reporting;

public sealed class StudyReportTests
{
    private sealed record FakeJob(JobRecord Record, Dictionary<string, MetricValue> Metrics);

    private static FakeJob Job(string variant, string paramsJson, string metricsJson, JobState state = JobState.Succeeded, string kind = "default",
        string stage = "main", string? cell = null, int? shard = null, JobAccounting? accounting = null)
    {
        var cellNode = cell is null ? null : JsonNode.Parse(cell)!.AsObject();
        var id = string.Join("/", new[] { variant, stage == "main" ? null : stage, cellNode is null ? null : string.Join("-", cellNode.Select(kv => $"{kv.Key}-{kv.Value}")), shard is null ? null : $"shard-{shard}" }.OfType<string>());
        var values = JsonNode.Parse(paramsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone());
        foreach (var (k, v) in cellNode ?? []) values[k] = v?.DeepClone();
        var status = new JobStatus { Id = id, Variant = variant, Kind = kind, Stage = stage, State = state, Cell = cellNode, ShardIndex = shard, Accounting = accounting, Reason = state == JobState.Succeeded ? null : "exit code 1" };
        var entry = new ManifestJob { Id = id, Variant = variant, Kind = kind, Stage = stage, Dir = id, State = state };
        var metrics = JsonNode.Parse(metricsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? MetricValue.FromText(kv.Value.GetValue<string>()) : MetricValue.FromNumber(kv.Value.GetValue<double>()));
        return new FakeJob(new JobRecord(entry, status, values, "/nonexistent/run/" + id), metrics);
    }

    private static StudyReport Report(IReadOnlyList<FakeJob> jobs, StudyOptions? options = null)
    {
        var run = new RunRecord("/nonexistent/run", new RunManifest { Experiment = "toy", RunId = "r", Git = GitInfo.None, Jobs = jobs.Select(j => j.Record.Entry).ToList() },
            jobs.Select(j => j.Record).ToList(), null);
        var report = RunReport.From(run);
        report = report with { Jobs = report.Jobs.Select((j, i) => j with { Metrics = jobs[i].Metrics }).ToList() };
        return StudyReportBuilder.Build(run, report, options ?? new StudyOptions());
    }

    // lr ∈ {0.1, 0.3} × seed ∈ {1, 2, 3}, plus a control (lr 0) at the same seeds.
    private static List<FakeJob> Sweep(JobState thirdSeedOfHighLr = JobState.Succeeded)
    {
        var jobs = new List<FakeJob>();
        double[] low = [0.60, 0.62, 0.61], high = [0.80, 0.78, 0.82], control = [0.50, 0.52, 0.51];
        for (var s = 1; s <= 3; s++) jobs.Add(Job($"lr0.1_s{s}", $$"""{"lr": 0.1, "seed": {{s}}}""", $$"""{"acc": {{low[s - 1]}}, "loss": {{1 - low[s - 1]}}, "note": "x"}"""));
        for (var s = 1; s <= 3; s++)
        {
            jobs.Add(Job($"lr0.3_s{s}", $$"""{"lr": 0.3, "seed": {{s}}}""", $$"""{"acc": {{high[s - 1]}}, "loss": {{1 - high[s - 1]}}}""", s == 3 ? thirdSeedOfHighLr : JobState.Succeeded));
        }
        for (var s = 1; s <= 3; s++) jobs.Add(Job($"control_s{s}", $$"""{"lr": 0.0, "seed": {{s}}}""", $$"""{"acc": {{control[s - 1]}}, "loss": {{1 - control[s - 1]}}}""", kind: "control"));
        return jobs;
    }

    [Fact]
    public void Given_a_sweep_with_seeds_when_reported_then_variants_are_grouped_over_seed_and_never_mix_kinds()
    {
        var report = Report(Sweep());

        report.Over.ShouldBe("seed");
        report.By.ShouldBe(["lr"]);
        report.Groups.Select(g => (g.Name, g.Kind, g.Variants.Count)).ShouldBe([("lr=0.1", "default", 3), ("lr=0.3", "default", 3), ("lr=0", "control", 3)]);
        var acc = report.Metrics.Single(m => m.Name == "acc");
        acc.Groups[0].Stats.N.ShouldBe(3);
        acc.Groups[0].Stats.Mean!.Value.ShouldBe(0.61, 1e-12);
        acc.Groups[0].Stats.Std!.Value.ShouldBe(0.01, 1e-12);
    }

    [Fact]
    public void Given_a_text_metric_when_reported_then_only_numeric_metrics_are_reported()
    {
        Report(Sweep()).Metrics.Select(m => m.Name).ShouldBe(["acc", "loss"]);
    }

    [Fact]
    public void Given_a_control_kind_when_reported_then_it_is_the_baseline_and_each_group_gets_a_welch_test()
    {
        var report = Report(Sweep());

        report.Baseline.ShouldBe("lr=0");
        report.BaselineRule.ShouldBe("kind control");
        var acc = report.Metrics.Single(m => m.Name == "acc");
        acc.Groups.Single(g => g.Group == "lr=0").VsBaseline.ShouldBeNull();
        var high = acc.Groups.Single(g => g.Group == "lr=0.3").VsBaseline!;
        high.Difference!.Value.Absolute.ShouldBe(0.29, 1e-9);
        high.Difference!.Value.Relative!.Value.ShouldBe(0.29 / 0.51, 1e-9);
        // Both sides have std 0.01 and 0.02: t = 0.29 / sqrt(0.02²/3 + 0.01²/3).
        high.Test!.Value.T.ShouldBe(0.29 / Math.Sqrt((0.0004 + 0.0001) / 3), 1e-6);
        high.Test!.Value.PValue.ShouldBeLessThan(0.001);
        high.Significant.ShouldBeTrue();
    }

    [Fact]
    public void Given_a_direction_when_reported_then_the_winner_is_the_best_mean_that_way_with_its_margin_over_the_runner_up()
    {
        var report = Report(Sweep());

        var acc = report.Metrics.Single(m => m.Name == "acc");
        acc.Direction.ShouldBe(MetricDirection.Max);
        acc.Winner!.Group.ShouldBe("lr=0.3");
        acc.Winner.RunnerUp.ShouldBe("lr=0.1");
        acc.Winner.Margin!.Value.Absolute.ShouldBe(0.19, 1e-9);
        acc.Winner.Test.ShouldNotBeNull();
        var loss = report.Metrics.Single(m => m.Name == "loss");
        loss.Direction.ShouldBe(MetricDirection.Min);
        loss.Winner!.Group.ShouldBe("lr=0.3");
        loss.Winner.Margin!.Value.Absolute.ShouldBe(-0.19, 1e-9);
    }

    [Fact]
    public void Given_an_explicit_direction_when_reported_then_it_overrides_the_default()
    {
        var report = Report(Sweep(), new StudyOptions { Metrics = [MetricRequest.Parse("loss:max")] });

        report.Metrics.ShouldHaveSingleItem().Winner!.Group.ShouldBe("lr=0");
    }

    [Fact]
    public void Given_a_failed_job_when_reported_then_its_metrics_are_left_out_and_it_is_listed()
    {
        var report = Report(Sweep(thirdSeedOfHighLr: JobState.Failed));

        var high = report.Metrics.Single(m => m.Name == "acc").Groups.Single(g => g.Group == "lr=0.3");
        high.Stats.N.ShouldBe(2);
        high.Values.ShouldBe([0.80, 0.78]);
        report.Failures.ShouldBe([new StudyFailure("lr0.3_s3", "failed", "exit code 1")]);
    }

    [Fact]
    public void Given_no_varying_seed_when_reported_then_each_variant_is_its_own_group_and_p_values_are_not_invented()
    {
        var report = Report([
            Job("r1", """{"rank": 1, "seed": 42}""", """{"acc": 0.6}"""),
            Job("r2", """{"rank": 2, "seed": 42}""", """{"acc": 0.7}"""),
            Job("base", """{"rank": 0, "seed": 42}""", """{"acc": 0.5}""", kind: "control"),
        ]);

        report.Over.ShouldBeNull();
        report.Groups.Select(g => g.Name).ShouldBe(["r1", "r2", "base"]);
        var r2 = report.Metrics.Single().Groups[1];
        r2.Stats.N.ShouldBe(1);
        r2.VsBaseline!.Test.ShouldBeNull();
        r2.VsBaseline.NotTested.ShouldBe("n<2");
        r2.VsBaseline.Difference!.Value.Absolute.ShouldBe(0.2, 1e-12);
        r2.VsBaseline.Significant.ShouldBeFalse();
    }

    [Fact]
    public void Given_a_baseline_variant_when_reported_then_its_group_is_the_baseline()
    {
        var report = Report(Sweep(), new StudyOptions { Baseline = "lr0.1_s2" });

        report.Baseline.ShouldBe("lr=0.1");
        report.BaselineRule.ShouldBe("--baseline lr0.1_s2");
        report.Metrics[0].Groups.Single(g => g.Group == "lr=0").VsBaseline!.Difference!.Value.Absolute.ShouldBe(-0.1, 1e-9);
    }

    [Fact]
    public void Given_a_baseline_kind_when_reported_then_the_group_of_that_kind_is_the_baseline()
    {
        Report(Sweep(), new StudyOptions { Baseline = "kind:control" }).Baseline.ShouldBe("lr=0");
    }

    [Fact]
    public void Given_an_unknown_baseline_when_reported_then_the_error_suggests_the_closest_variant()
    {
        var e = Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Baseline = "lr0.1_s4" }));

        e.Message.ShouldStartWith("unknown baseline 'lr0.1_s4' (did you mean 'lr0.1_s1'?)");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Baseline = "kind:contrl" })).Message.ShouldContain("did you mean 'control'");
    }

    [Fact]
    public void Given_two_control_groups_and_no_baseline_option_when_reported_then_no_baseline_is_guessed()
    {
        var report = Report([
            Job("a", """{"rank": 1}""", """{"acc": 0.6}""", kind: "control"),
            Job("b", """{"rank": 2}""", """{"acc": 0.7}""", kind: "control"),
            Job("c", """{"rank": 3}""", """{"acc": 0.8}"""),
        ]);

        report.Baseline.ShouldBeNull();
        report.Remarks.ShouldContain(r => r.Contains("2 groups are of kind control (a, b)", StringComparison.Ordinal));
        report.Metrics.Single().Groups.ShouldAllBe(g => g.VsBaseline == null);
    }

    [Fact]
    public void Given_by_a_param_when_reported_then_the_other_params_are_averaged_within_each_seed()
    {
        var jobs = new List<FakeJob>();
        foreach (var rank in new[] { 1, 2 })
        {
            foreach (var seed in new[] { 1, 2 }) jobs.Add(Job($"r{rank}_s{seed}", $$"""{"rank": {{rank}}, "wd": 0.1, "seed": {{seed}}}""", $$"""{"acc": {{rank * 0.1 + seed * 0.01}}}"""));
        }

        var report = Report(jobs, new StudyOptions { By = ["wd"] });

        report.Groups.ShouldHaveSingleItem().Name.ShouldBe("wd=0.1");
        report.Pooled.ShouldBe(["rank"]);
        // One value per seed (the two ranks averaged), not four independent rows.
        var group = report.Metrics.Single().Groups.Single();
        group.Stats.N.ShouldBe(2);
        group.Values[0].ShouldBe(0.16, 1e-12);
        group.Values[1].ShouldBe(0.17, 1e-12);
    }

    [Fact]
    public void Given_an_unknown_param_or_metric_or_stage_when_reported_then_the_error_names_what_exists()
    {
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { By = ["lrr"] })).Message
            .ShouldBe("unknown param 'lrr' for --by (did you mean 'lr'?); the run's params are lr, seed");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Over = "sed" })).Message.ShouldContain("for --over (did you mean 'seed'?)");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Metrics = [new MetricRequest("accuracy", null)] })).Message
            .ShouldBe("unknown metric 'accuracy' (did you mean 'acc'?); stage main has acc, loss");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Metrics = [new MetricRequest("los", null)] })).Message.ShouldContain("(did you mean 'loss'?)");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Stage = "eval" })).Message.ShouldBe("unknown stage 'eval'; the run's stages are main");
    }

    [Fact]
    public void Given_a_stage_with_cells_when_reported_then_the_last_stage_with_metrics_is_used_and_each_cell_is_its_own_metric()
    {
        var jobs = new List<FakeJob>();
        foreach (var v in new[] { ("r1", 1), ("r2", 2) })
        {
            jobs.Add(Job(v.Item1, $$"""{"rank": {{v.Item2}}}""", """{"train_loss": 0.1}""", stage: "train"));
            jobs.Add(Job(v.Item1, $$"""{"rank": {{v.Item2}}}""", $$"""{"acc": {{0.5 + v.Item2 / 10.0}}}""", stage: "eval", cell: """{"task": "a"}"""));
            jobs.Add(Job(v.Item1, $$"""{"rank": {{v.Item2}}}""", $$"""{"acc": {{0.3 + v.Item2 / 10.0}}}""", stage: "eval", cell: """{"task": "b"}"""));
        }

        var report = Report(jobs);
        var onlyAcc = Report(jobs, new StudyOptions { Metrics = [new MetricRequest("acc", null)] });

        report.Stage.ShouldBe("eval");
        report.By.ShouldBe(["rank"]); // task is the cell's, not the variant's
        report.Metrics.Select(m => m.Name).ShouldBe(["acc[task=a]", "acc[task=b]"]);
        report.Metrics[1].Winner!.Group.ShouldBe("r2");
        onlyAcc.Metrics.Select(m => m.Name).ShouldBe(["acc[task=a]", "acc[task=b]"]);
        Should.Throw<StudyReportException>(() => Report(jobs, new StudyOptions { Metrics = [new MetricRequest("train_loss", null)] })).Message
            .ShouldEndWith("'train_loss' is a metric of stage train (use --stage train)");
    }

    [Fact]
    public void Given_shards_and_their_merge_job_when_reported_then_only_the_merge_job_counts()
    {
        var report = Report([
            Job("r1", """{"rank": 1}""", """{"acc": 0.1}""", shard: 0),
            Job("r1", """{"rank": 1}""", """{"acc": 0.2}""", shard: 1),
            Job("r1", """{"rank": 1}""", """{"acc": 0.9}"""),
        ]);

        report.Metrics.Single().Groups.Single().Values.ShouldBe([0.9]);
    }

    [Fact]
    public void Given_more_metrics_than_shown_when_reported_without_names_then_the_rest_are_listed_as_omitted()
    {
        var report = Report([Job("r1", """{"rank": 1}""", """{"a": 1, "b": 2, "c": 3}""")], new StudyOptions { MaxMetrics = 2 });

        report.Metrics.Select(m => m.Name).ShouldBe(["a", "b"]);
        report.OmittedMetrics.ShouldBe(["c"]);
    }

    [Fact]
    public void Given_a_diverged_value_when_reported_then_it_is_left_out_of_the_statistics_with_a_remark()
    {
        var diverged = Job("s3", """{"seed": 3}""", "{}") with { Metrics = new() { ["loss"] = MetricValue.FromNumber(double.NaN) } };

        var report = Report([Job("s1", """{"seed": 1}""", """{"loss": 0.5}"""), Job("s2", """{"seed": 2}""", """{"loss": 0.7}"""), diverged]);

        var group = report.Metrics.Single().Groups.Single();
        group.Values.ShouldBe([0.5, 0.7]);
        group.NonFinite.ShouldBe(1);
        report.Remarks.ShouldContain("loss: 1 value(s) NaN or infinite (diverged), left out of the statistics: s3");
    }

    [Fact]
    public void Given_jobs_with_and_without_accounting_when_costed_then_missing_measures_stay_missing()
    {
        var report = Report([
            Job("s1", """{"seed": 1}""", """{"acc": 1}""", accounting: new JobAccounting(2.5, null, null, 0)),
            Job("s2", """{"seed": 2}""", """{"acc": 1}""", accounting: new JobAccounting(1.25, 0.5, 100, 5)),
            Job("s3", """{"seed": 3}""", """{"acc": 1}""", state: JobState.Blocked),
        ]);

        report.Total.ShouldBe(new CostSummary(3, 3.75, 0.5, 5, 100));
        report.Groups.Single().Cost.Jobs.ShouldBe(3);
        Report([Job("s1", """{"seed": 1}""", """{"acc": 1}""")]).Total.ShouldBe(new CostSummary(1, null, null, null, null));
    }

    [Fact]
    public void Given_two_groups_with_the_same_best_mean_when_reported_then_both_are_co_winners_and_a_note_says_they_tie()
    {
        var report = Report([Job("a", """{"lr": 0.1}""", """{"acc": 5}"""), Job("b", """{"lr": 0.3}""", """{"acc": 5}"""), Job("c", """{"lr": 0.5}""", """{"acc": 4}""")]);

        var acc = report.Metrics.Single();
        acc.Winners.ShouldBe(["a", "b"]);
        acc.Winner!.Group.ShouldBe("a");
        acc.Winner.RunnerUp.ShouldBe("c");
        acc.Winner.Margin!.Value.Absolute.ShouldBe(1);
        report.Remarks.ShouldContain("acc: a, b tie on their mean (within a relative 1e-9): co-winners");
    }

    [Fact]
    public void Given_groups_by_seed_when_reported_then_the_other_varying_param_is_said_to_be_pooled()
    {
        var report = Report(Sweep(), new StudyOptions { By = ["seed"] });

        report.Over.ShouldBeNull();
        report.Pooled.ShouldBe(["lr"]);
        Report(Sweep()).Pooled.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_misspelt_direction_or_a_text_metric_when_reported_then_the_error_says_what_is_wrong()
    {
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Metrics = [MetricRequest.Parse("acc:maxx")] })).Message
            .ShouldBe("--metric acc:maxx: 'maxx' is not a direction; write acc:max or acc:min");
        Should.Throw<StudyReportException>(() => Report(Sweep(), new StudyOptions { Metrics = [MetricRequest.Parse("note")] })).Message
            .ShouldBe("metric 'note' of stage main is not a number (text); a study report summarises numeric metrics only");
    }

    [Fact]
    public void Given_a_diverged_metric_whose_statistics_are_not_finite_when_written_as_json_then_it_is_valid_json()
    {
        var report = Report([Job("s1", """{"seed": 1}""", """{"loss": 1e308}"""), Job("s2", """{"seed": 2}""", """{"loss": -1e308}""")]);

        var json = System.Text.Json.JsonSerializer.Serialize(report, ReportJson.WithNulls);

        JsonNode.Parse(json).ShouldNotBeNull();
    }
}
