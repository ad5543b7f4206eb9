using System.Text.Json.Nodes;
using Expt.Recording;
using Expt.Reporting;
using Expt.Reporting.Paired;
using Expt.Reporting.Statistics;
using Expt.Results;

namespace Expt.Tests.Reporting.Paired;

/// <summary>How items pair: by id within a seed, averaged over seeds and over the variants a group pools; which pairs are compared, in which direction.</summary>
public sealed class PairedAnalysisTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-paired-a");
    private readonly List<JobRecord> _jobs = [];

    public void Dispose() => _dir.Dispose();

    private void Job(string variant, string paramsJson, string? csv, string kind = "default", JobState state = JobState.Succeeded)
    {
        var directory = _dir.Combine(variant);
        Directory.CreateDirectory(directory);
        if (csv is not null) File.WriteAllText(Path.Combine(directory, PerItemFiles.CsvName), csv);
        var values = JsonNode.Parse(paramsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone());
        var status = new JobStatus { Id = variant, Variant = variant, Kind = kind, Stage = "main", State = state };
        var entry = new ManifestJob { Id = variant, Variant = variant, Kind = kind, Stage = "main", Dir = variant, State = state };
        _jobs.Add(new JobRecord(entry, status, values, directory));
    }

    private StudyReport Report(StudyOptions? options = null)
    {
        var run = new RunRecord(_dir.Path, new RunManifest { Experiment = "toy", RunId = "r", Git = GitInfo.None, Jobs = _jobs.Select(j => j.Entry).ToList() }, _jobs, null);
        return StudyReport.From(run, options ?? new StudyOptions());
    }

    [Fact]
    public void Given_two_seeds_when_compared_then_an_items_differences_are_averaged_over_its_seeds_and_the_item_is_the_unit()
    {
        Job("t_s1", """{"m": "t", "seed": 1}""", "item,correct\na,1\nb,1\nc,1\nonly_t,1\n");
        Job("t_s2", """{"m": "t", "seed": 2}""", "item,correct\na,1\nb,0\nc,1\n");
        Job("c_s1", """{"m": "c", "seed": 1}""", "item,correct\na,0\nb,0\nc,0\nonly_c,0\n", kind: "control");
        Job("c_s2", """{"m": "c", "seed": 2}""", "item,correct\na,0\nb,1\nc,1\n", kind: "control");

        var paired = Report().Paired.ShouldHaveSingleItem();

        paired.A.ShouldBe("m=t");
        paired.B.ShouldBe("m=c");
        paired.Seeds.ShouldBe(2);
        // Per item, the differences of both seeds averaged: a (1 + 1) / 2, b (1 − 1) / 2, c (1 + 0) / 2; only_t and
        // only_c have no partner. Three items, not six (seed, item) pairs.
        paired.N.ShouldBe(3);
        paired.MeanDiff.ShouldBe(0.5, 1e-12);
        var (low, high) = PairedBootstrap.Interval([1.0, 0.0, 0.5]);
        paired.Ci95.ShouldBe([low, high]);
        // b's and c's means over the seeds are not 0/1, so not McNemar: wilcoxon([1, 0, 0.5], method="approx").pvalue.
        paired.Test.ShouldBe("wilcoxon");
        paired.P!.Value.ShouldBe(0.17971249487899976, 1e-9);
    }

    [Fact]
    public void Given_one_seed_and_binary_scores_when_compared_then_mcnemar_tests_the_items()
    {
        Job("t", """{"m": "t"}""", "item,correct\na,1\nb,1\nc,1\nd,0\n");
        Job("c", """{"m": "c"}""", "item,correct\na,0\nb,0\nc,1\nd,1\n", kind: "control");

        var paired = Report().Paired.ShouldHaveSingleItem();

        paired.Test.ShouldBe("mcnemar");
        paired.N.ShouldBe(4);
        // b = 2, c = 1: binomtest(2, 3, 0.5).pvalue = 1.
        paired.P!.Value.ShouldBe(1.0, 1e-12);
    }

    [Fact]
    public void Given_four_groups_when_compared_then_only_the_second_best_is_the_runner_up_and_the_rest_are_other()
    {
        Job("t1", """{"m": "t1"}""", "item,score\na,0.9\nb,0.8\nc,0.7\n");
        Job("t2", """{"m": "t2"}""", "item,score\na,0.6\nb,0.5\nc,0.4\n");
        Job("t3", """{"m": "t3"}""", "item,score\na,0.3\nb,0.3\nc,0.2\n");
        Job("c", """{"m": "c"}""", "item,score\na,0.1\nb,0.1\nc,0.0\n", kind: "control");

        var report = Report();

        report.Paired.Select(p => (p.A, p.B, p.Reason)).ShouldBe([
            ("t1", "c", "vs baseline"), ("t2", "c", "vs baseline"), ("t3", "c", "vs baseline"),
            ("t1", "t2", PairedAnalysis.RunnerUp), ("t1", "t3", PairedAnalysis.Other)]);
        PairedAnalysis.RunnerUp.ShouldBe("winner vs runner-up");
        PairedAnalysis.Other.ShouldBe("winner vs other");
    }

    private void ThreeGroupsScoredHighMiddleLow()
    {
        // score reads "higher is better" by name; the control sits between t1 (high) and t2 (low).
        Job("t1", """{"m": "t1"}""", "item,score\na,0.9\nb,0.8\nc,0.7\n");
        Job("t2", """{"m": "t2"}""", "item,score\na,0.1\nb,0.2\nc,0.1\n");
        Job("c", """{"m": "c"}""", "item,score\na,0.5\nb,0.4\nc,0.5\n", kind: "control");
        foreach (var job in _jobs) File.WriteAllText(Path.Combine(job.Directory, "metrics.json"), """{"score": 0.5}""");
    }

    private static (string A, string B) WinnersPair(StudyReport report) =>
        report.Paired.Where(p => p.Reason != "vs baseline").Select(p => (p.A, p.B)).ShouldHaveSingleItem();

    [Fact]
    public void Given_a_score_column_no_metric_names_when_compared_then_its_direction_comes_from_its_name()
    {
        ThreeGroupsScoredHighMiddleLow();

        WinnersPair(Report()).ShouldBe(("t1", "t2"));
    }

    [Fact]
    public void Given_a_spec_goal_min_for_a_score_column_when_compared_then_the_lowest_group_is_the_winner()
    {
        File.WriteAllText(_dir.Combine(RunSpecText.FileName), "experiment: toy\nmetrics:\n  score: min\n");
        ThreeGroupsScoredHighMiddleLow();

        WinnersPair(Report()).ShouldBe(("t2", "t1"));
    }

    [Fact]
    public void Given_metric_name_min_asked_for_a_score_column_when_compared_then_the_lowest_group_is_the_winner()
    {
        ThreeGroupsScoredHighMiddleLow();

        var report = Report(new StudyOptions { Metrics = [new MetricRequest("score", MetricDirection.Min)] });

        report.Metrics.ShouldHaveSingleItem().Direction.ShouldBe(MetricDirection.Min);
        WinnersPair(report).ShouldBe(("t2", "t1"));
    }

    [Fact]
    public void Given_a_group_that_pools_two_variants_when_compared_then_an_items_scores_are_averaged_within_the_seed_first()
    {
        Job("t_x", """{"m": "t", "opt": "x"}""", "item,correct\na,1\nb,1\n");
        Job("t_y", """{"m": "t", "opt": "y"}""", "item,correct\na,0\nb,1\n");
        Job("c", """{"m": "c", "opt": "x"}""", "item,correct\na,0\nb,0\n", kind: "control");

        var paired = Report(new StudyOptions { By = ["m"] }).Paired.ShouldHaveSingleItem();

        // a: (1 + 0) / 2 − 0 = 0.5, b: 1 − 0: not 0/1 any more, so Wilcoxon.
        paired.N.ShouldBe(2);
        paired.MeanDiff.ShouldBe(0.75, 1e-12);
        paired.Test.ShouldBe("wilcoxon");
    }

    [Fact]
    public void Given_a_failed_job_and_a_job_without_a_table_when_compared_then_neither_counts()
    {
        Job("t", """{"m": "t"}""", "item,score\na,1.0\nb,0.75\nc,0.5\n");
        Job("u", """{"m": "u"}""", "item,score\na,5\nb,5\nc,5\n", state: JobState.Failed);
        Job("v", """{"m": "v"}""", null);
        Job("c", """{"m": "c"}""", "item,score\na,0.25\nb,0.25\nc,0\n", kind: "control");

        var report = Report();

        report.Paired.Select(p => (p.A, p.B)).ShouldBe([("t", "c")]);
        report.Paired[0].MeanDiff.ShouldBe(1.75 / 3, 1e-12);
        // d = [0.75, 0.5, 0.5] (exact in binary): tied, so the normal approximation:
        // wilcoxon([0.75, 0.5, 0.5], method="approx").pvalue.
        report.Paired[0].P!.Value.ShouldBe(0.10247043485974937, 1e-9);
    }

    [Fact]
    public void Given_a_spec_that_names_the_id_column_when_compared_then_items_pair_by_that_column()
    {
        File.WriteAllText(_dir.Combine(RunSpecText.FileName), "experiment: toy\nper_item:\n  id: question\n");
        Job("t", """{"m": "t"}""", "question,id,correct\nq1,t1,1\nq2,t2,1\n");
        Job("c", """{"m": "c"}""", "question,id,correct\nq1,c1,0\nq2,c2,0\n", kind: "control");

        RunSpecText.Read(_dir.Path).PerItemId.ShouldBe("question");
        // Paired by question (two items); by id there would be nothing to pair.
        Report().Paired.ShouldHaveSingleItem().N.ShouldBe(2);
    }

    [Fact]
    public void Given_no_per_item_tables_when_reported_then_paired_is_empty()
    {
        Job("t", """{"m": "t"}""", null);
        Job("c", """{"m": "c"}""", null, kind: "control");

        Report().Paired.ShouldBeEmpty();
    }
}
