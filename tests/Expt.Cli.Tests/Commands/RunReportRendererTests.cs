using Expt.Cli.Rendering;
using Expt.Metrics;
using Expt.Reporting;

namespace Expt.Cli.Tests.Commands;

/// <summary>show's text for cases the real runs of <see cref="ReportingTests"/> do not cover.</summary>
public sealed class RunReportRendererTests
{
    private static RunReport Report(IReadOnlyList<FailureReport> failures, IReadOnlyList<JobReport>? jobs = null) => new()
    {
        Experiment = "tune",
        RunId = "r",
        Directory = "/runs/tune/r",
        Executor = "slurm",
        Git = new GitReport("0123456789abcdef", "main", true, "/runs/tune/r/git.diff", [new Expt.Recording.GitInfo("fedcba9876543210", true, "fix", null)]),
        States = new Dictionary<string, int> { ["failed"] = 1 },
        Jobs = jobs ?? [],
        Failures = failures,
        Archive = new ArchiveReport("/archive/tune/r", new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), ["*.ckpt", "*.pt"]),
    };

    private static string Render(RunReport report)
    {
        var output = new StringWriter();
        RunReportRenderer.Write(output, report, "/elsewhere");
        return output.ToString();
    }

    [Fact]
    public void Given_a_failed_job_and_the_jobs_it_blocked_when_shown_then_the_blocked_ones_are_one_line_each_after_it()
    {
        var text = Render(Report([
            new FailureReport("a/eval", "blocked", "needs a/train, which ended failed", null, null, []),
            new FailureReport("a/train", "failed", "exit code 1", 1, "/runs/tune/r/a/train/stderr.log", ["boom"]),
            new FailureReport("a/eval2", "blocked", "needs a/train, which ended failed", null, null, []),
        ]));

        text.ShouldEndWith("""

            FAILED a/train: exit code 1
              | boom
              log: /runs/tune/r/a/train/stderr.log

            BLOCKED a/eval: needs a/train, which ended failed
            BLOCKED a/eval2: needs a/train, which ended failed

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_an_archived_dirty_resumed_run_when_shown_then_archive_diff_and_resume_commits_are_told()
    {
        var text = Render(Report([]));

        text.ShouldContain("  archived    2026-11-01 09:00:00 UTC to /archive/tune/r; not kept: *.ckpt, *.pt\n");
        text.ShouldContain("  git         0123456789abcdef on main, dirty (diff: /runs/tune/r/git.diff)\n");
        text.ShouldContain("  resumed with fedcba9876543210 (fix), dirty\n");
        text.ShouldContain("  ended       not yet");
    }

    [Fact]
    public void Given_many_failures_when_shown_then_twenty_are_shown_in_full_and_the_rest_named()
    {
        var failures = Enumerable.Range(1, 25).Select(i => new FailureReport($"j{i:00}", "failed", "exit code 1", 1, null, [])).ToList();

        var text = Render(Report(failures));

        text.ShouldContain("FAILED j20: exit code 1");
        text.ShouldNotContain("FAILED j21");
        text.ShouldContain("… and 5 more: j21 (failed), j22 (failed), j23 (failed), j24 (failed), j25 (failed); all in expt show --json");
    }

    [Fact]
    public void Given_jobs_with_many_metrics_when_shown_then_the_four_most_common_numeric_ones_get_columns()
    {
        static IReadOnlyDictionary<string, MetricValue> M(params string[] names) => names.ToDictionary(n => n, _ => MetricValue.FromNumber(0.5));
        var jobs = new[]
        {
            new JobReport("a", "a", "default", "main", "succeeded", 1, 0, 1, M("acc", "loss", "f1", "z", "only_a")),
            new JobReport("b", "b", "default", "main", "succeeded", 1, 0, 1, M("acc", "loss", "f1", "z", "b1")),
        };

        var text = Render(Report([], jobs));

        text.ShouldContain("JOB  KIND     STAGE  STATE      ATTEMPTS  TIME  acc  f1   loss  z\n");
        text.ShouldContain("(2 more metric(s): expt show --json, expt export)");
    }
}
