using System.Text.Json.Nodes;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tests.Reporting;

public sealed class ComparisonTests
{
    private static Dictionary<string, JsonNode?> Params(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone());

    private static JobRecord Job(string id, string paramsJson) =>
        new(new ManifestJob { Id = id, Variant = id.Split('/')[0], Stage = "main", Dir = id, State = JobState.Succeeded }, null, Params(paramsJson), "/nonexistent/" + id);

    private static ReportTarget Run(string experiment, string runId, params JobRecord[] jobs) =>
        new(new RunRecord("/nonexistent/" + runId, new RunManifest { Experiment = experiment, RunId = runId, Git = GitInfo.None, Jobs = jobs.Select(j => j.Entry).ToList() }, jobs, null), null);

    [Fact]
    public void Given_equal_and_different_params_when_compared_then_only_the_differing_ones_are_listed()
    {
        var rows = JobComparison.DifferingParams([
            Params("""{"lr": 0.1, "rank": 4, "tags": ["a","b"], "same": [1, 2], "x": 1}"""),
            Params("""{"lr": 0.3, "rank": 4, "tags": ["a"], "same": [1, 2], "x": 1.0}"""),
        ]);

        rows.Select(r => r.Name).ShouldBe(["lr", "tags"]);
        rows[0].Values.Select(v => v!.ToJsonString()).ShouldBe(["0.1", "0.3"]);
    }

    [Fact]
    public void Given_a_param_only_one_side_has_when_compared_then_it_differs_and_is_marked_absent()
    {
        var rows = JobComparison.DifferingParams([Params("""{"lr": 0.1}"""), Params("""{"lr": 0.1, "warmup": null}""")]);

        rows.ShouldHaveSingleItem().Name.ShouldBe("warmup");
        rows[0].Present.ShouldBe([false, true]);
    }

    [Fact]
    public void Given_a_side_without_the_job_when_compared_then_it_is_ignored_for_params()
    {
        JobComparison.DifferingParams([Params("""{"lr": 0.1}"""), null, Params("""{"lr": 0.1}""")]).ShouldBeEmpty();
    }

    [Fact]
    public void Given_two_runs_when_compared_then_jobs_match_by_id_and_the_rest_are_listed_per_side()
    {
        var a = Run("tune", "a", Job("r1/train", """{"lr": 0.1, "rank": 1}"""), Job("r2/train", """{"lr": 0.1, "rank": 2}"""), Job("old/train", """{"lr": 0.1}"""));
        var b = Run("other", "b", Job("r2/train", """{"lr": 0.3, "rank": 2}"""), Job("r1/train", """{"lr": 0.3, "rank": 1}"""), Job("new/train", """{"lr": 0.3}"""));

        var comparison = RunComparison.Of([a, b]);

        comparison.Jobs.Select(j => j.Job).ShouldBe(["r1/train", "r2/train"]);
        comparison.Unmatched.ShouldBe([new UnmatchedJob("old/train", "A"), new UnmatchedJob("new/train", "B")]);
        comparison.Sides.Select(s => s.Name).ShouldBe(["tune/a", "other/b"]);
    }

    [Fact]
    public void Given_runs_that_differ_by_one_setting_when_compared_then_it_is_told_once_and_not_per_job()
    {
        var a = Run("tune", "a", Job("r1", """{"lr": 0.1, "rank": 1, "seed": 1}"""), Job("r2", """{"lr": 0.1, "rank": 2, "seed": 1}"""));
        var b = Run("tune", "b", Job("r1", """{"lr": 0.3, "rank": 1, "seed": 1}"""), Job("r2", """{"lr": 0.3, "rank": 2, "seed": 2}"""));

        var comparison = RunComparison.Of([a, b]);

        comparison.CommonParams.ShouldHaveSingleItem().Name.ShouldBe("lr");
        comparison.Jobs[0].Params.ShouldBeEmpty();
        comparison.Jobs[1].Params.ShouldHaveSingleItem().Name.ShouldBe("seed"); // differs in r2 only: stays with r2
    }

    [Fact]
    public void Given_single_jobs_with_different_ids_when_compared_then_they_are_compared_with_each_other()
    {
        var a = Run("tune", "a", Job("r1", """{"rank": 1}"""));
        var b = Run("tune", "b", Job("r2", """{"rank": 2}"""));

        var comparison = RunComparison.Of([a with { Job = a.Run.Jobs[0] }, b with { Job = b.Run.Jobs[0] }]);

        comparison.Jobs.ShouldHaveSingleItem().JobIds.ShouldBe(["r1", "r2"]);
        comparison.Jobs[0].Params.ShouldHaveSingleItem().Name.ShouldBe("rank");
    }

    [Fact]
    public void Given_a_run_and_a_job_when_compared_then_it_is_refused()
    {
        var a = Run("tune", "a", Job("r1", "{}"));

        Should.Throw<ArgumentException>(() => RunComparison.Of([a, a with { Job = a.Run.Jobs[0] }]));
    }

    [Fact]
    public void Given_metric_values_when_a_row_is_made_then_deltas_are_against_the_first_side()
    {
        var row = MetricRow.Of("acc", [Expt.Metrics.MetricValue.FromNumber(0.5), null, Expt.Metrics.MetricValue.FromNumber(0.75), Expt.Metrics.MetricValue.FromText("n/a")]);

        row.Deltas[0].ShouldBeNull();
        row.Deltas[1].ShouldBeNull();
        row.Deltas[2].ShouldBe(new Delta(0.25, 0.5));
        row.Deltas[3].ShouldBeNull();
    }
}
