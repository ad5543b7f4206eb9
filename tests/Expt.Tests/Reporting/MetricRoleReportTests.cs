using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tests.Reporting;

/// <summary>The spec's <c>metrics:</c> block, read back from the run's spec.yaml, decides how the report treats each metric.</summary>
public sealed class MetricRoleReportTests : IDisposable
{
    private readonly TempDirectory _run = new("expt-roles");

    public void Dispose() => _run.Dispose();

    // lr ∈ {0.1, 0.3} and a control, three seeds each. "time" would be lower-is-better by its name;
    // "n" (items scored) differs between groups, so comparing it would name a winner.
    private StudyReport Report(string? metricsBlock, StudyOptions? options = null)
    {
        if (metricsBlock is not null) _run.File(RunSpecText.FileName, "experiment: toy\nparams:\n  lr: { type: \"float\", default: 0.1 }\n" + metricsBlock);
        var jobs = new List<(JobRecord Record, Dictionary<string, MetricValue> Metrics)>();
        void Add(string variant, string kind, double lr, int seed, double acc, double time, double n)
        {
            var id = $"{variant}_s{seed}";
            var status = new JobStatus { Id = id, Variant = id, Kind = kind, Stage = "main", State = JobState.Succeeded };
            var entry = new ManifestJob { Id = id, Variant = id, Kind = kind, Stage = "main", Dir = id, State = JobState.Succeeded };
            var values = new Dictionary<string, JsonNode?> { ["lr"] = lr, ["seed"] = seed };
            var metrics = new Dictionary<string, MetricValue> { ["acc"] = MetricValue.FromNumber(acc), ["time"] = MetricValue.FromNumber(time), ["n"] = MetricValue.FromNumber(n) };
            jobs.Add((new JobRecord(entry, status, values, Path.Combine(_run.Path, id)), metrics));
        }
        for (var s = 1; s <= 3; s++)
        {
            Add("low", "default", 0.1, s, 0.60 + s / 100.0, 10 + s, 100);
            Add("high", "default", 0.3, s, 0.80 + s / 100.0, 20 + s, 200);
            Add("control", "control", 0.0, s, 0.50 + s / 100.0, 1 + s, 300);
        }
        var run = new RunRecord(_run.Path, new RunManifest { Experiment = "toy", RunId = "r", Git = GitInfo.None, Jobs = jobs.Select(j => j.Record.Entry).ToList() },
            jobs.Select(j => j.Record).ToList(), null);
        var report = RunReport.From(run);
        report = report with { Jobs = report.Jobs.Select((j, i) => j with { Metrics = jobs[i].Metrics }).ToList() };
        return StudyReportBuilder.Build(run, report, options ?? new StudyOptions());
    }

    [Fact]
    public void Given_no_metrics_block_when_reported_then_metrics_are_in_name_order_and_all_compared()
    {
        var report = Report(null);

        report.Metrics.Select(m => (m.Name, m.Primary, m.Info)).ShouldBe([("acc", false, false), ("n", false, false), ("time", false, false)]);
        report.Metrics.Single(m => m.Name == "n").Winner!.Group.ShouldBe("lr=0");
    }

    [Fact]
    public void Given_a_primary_metric_when_reported_then_it_leads_the_metrics()
    {
        var report = Report("metrics:\n  time: { primary: true }\n");

        report.Metrics.Select(m => m.Name).ShouldBe(["time", "acc", "n"]);
        report.Metrics[0].Primary.ShouldBeTrue();
    }

    [Fact]
    public void Given_a_primary_metric_beyond_the_most_metrics_shown_when_reported_then_it_is_still_shown_first()
    {
        var report = Report("metrics:\n  time: { primary: true }\n", new StudyOptions { MaxMetrics = 1 });

        report.Metrics.ShouldHaveSingleItem().Name.ShouldBe("time");
        report.OmittedMetrics.ShouldBe(["acc", "n"]);
    }

    [Fact]
    public void Given_an_info_metric_when_reported_then_it_is_shown_with_its_statistics_but_has_no_winner_test_or_delta()
    {
        var report = Report("metrics:\n  n: { role: info }\n");

        var n = report.Metrics.Single(m => m.Name == "n");
        n.Info.ShouldBeTrue();
        n.Winner.ShouldBeNull();
        n.Groups.ShouldAllBe(g => g.VsBaseline == null);
        n.Groups.Select(g => g.Stats.Mean).ShouldBe([100.0, 200.0, 300.0]);
        report.Remarks.ShouldNotContain(r => r.StartsWith("n:", StringComparison.Ordinal));
        report.Metrics.Single(m => m.Name == "acc").Groups.Single(g => g.Group == "lr=0.3").VsBaseline.ShouldNotBeNull();
    }

    [Fact]
    public void Given_a_goal_when_reported_then_it_overrides_the_direction_the_name_implies()
    {
        // "time" reads as lower-is-better; the spec says higher is (a survival time, say).
        var report = Report("metrics:\n  time: { goal: max }\n");

        var time = report.Metrics.Single(m => m.Name == "time");
        time.Direction.ShouldBe(MetricDirection.Max);
        time.Winner!.Group.ShouldBe("lr=0.3");
    }

    [Fact]
    public void Given_a_goal_in_the_spec_and_a_direction_on_the_command_line_when_reported_then_the_command_line_wins()
    {
        var report = Report("metrics:\n  time: { goal: max }\n  n: info\n", new StudyOptions { Metrics = [MetricRequest.Parse("time:min"), MetricRequest.Parse("n:max")] });

        report.Metrics.Select(m => (m.Name, m.Direction, m.Info)).ShouldBe([("time", MetricDirection.Min, false), ("n", MetricDirection.Max, false)]);
        report.Metrics[0].Winner!.Group.ShouldBe("lr=0");
        report.Metrics[1].Winner!.Group.ShouldBe("lr=0");
    }

    [Fact]
    public void Given_a_role_without_a_cell_when_the_metric_has_cells_then_the_role_covers_every_cell()
    {
        MetricRole.Of([new MetricRole("acc", MetricDirection.Min, true, false)], "acc[task=a]")!.Primary.ShouldBeTrue();
        MetricRole.Of([new MetricRole("acc[task=a]", null, false, true), new MetricRole("acc", null, false, false)], "acc[task=a]")!.Info.ShouldBeTrue();
        MetricRole.Of([new MetricRole("acc", null, false, false)], "accuracy").ShouldBeNull();
    }
}
