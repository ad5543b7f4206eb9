using Expt.Design;
using Expt.Execution.Preparation;
using Expt.Planning;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt run</c> with a design: the run directory's own experiment_summary.md, and the estimate in the header.</summary>
public sealed class LiveSummaryRunTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-live-summary-cli");

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: live
        params:
          size: { type: int, default: 1 }
        matrix:
          size: [1, 2, 3]
        name: "s{size}"
        args: none
        run: "true"
        """;

    /// <summary>A design of the prepared plan, as the designer would make it, with <paramref name="wall"/> seconds per job from history (none when null).</summary>
    private static ExperimentDesign Design(Plan plan, double? wall)
    {
        var estimate = wall is { } w ? new JobEstimate(w, w, 0, 10, 100, EstimateBasis.SameParams, 4, "same params") : JobEstimate.None;
        return new ExperimentDesign
        {
            Plan = plan,
            SpecPath = plan.Definition.SourcePath,
            ResultsRoot = "results",
            Settings = new DesignSettings(2, 0, "local", []),
            Estimates = plan.Jobs.Select(_ => estimate).ToList(),
            Resources = [],
            Totals = new DesignTotals(wall * 2, 0, 0, 0, 0, plan.Jobs.Count, wall is null ? plan.Jobs.Count : 0),
            HistoryRuns = wall is null ? 0 : 1,
            HistoryJobs = wall is null ? 0 : 12,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(double? wall, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, false, TimeProvider.System)
        {
            DesignForRun = (prepared, _) => Task.FromResult<ExperimentDesign?>(Design(prepared.Plan!, wall)),
        };
        var code = await ExptCli.RunAsync(args, context);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Given_a_design_with_history_when_the_study_runs_then_its_run_directory_holds_the_summary_with_every_job_succeeded_and_the_header_gives_the_estimate()
    {
        // Given
        var spec = _dir.File("p/experiment.yaml", Spec);

        // When
        var (code, output, error) = await RunAsync(10, "run", spec, "--results", _dir.Combine("results"), "--run-id", "r1", "-p", "2");

        // Then
        code.ShouldBe(0, error);
        output.ShouldContain("Running live: 3 job(s), up to 2 at once; estimated 20s (from 12 earlier jobs)\n");
        var summary = File.ReadAllText(_dir.Combine("results", "live", "r1", SummaryMarkdown.FileName));
        summary.ShouldStartWith("# Experiment: live\n");
        summary.ShouldContain("| `main` | 3 | 3 succeeded | 30s | 3 |");
        foreach (var variant in new[] { "s1", "s2", "s3" }) summary.ShouldContain($"| `{variant}` | succeeded |");
    }

    [Fact]
    public async Task Given_a_design_without_history_when_the_study_runs_then_the_header_is_unchanged_and_a_resume_shows_the_jobs_that_succeeded_earlier()
    {
        // Given: a run of s1 alone
        var spec = _dir.File("p/experiment.yaml", Spec);
        var results = _dir.Combine("results");
        var first = await RunAsync(null, "run", spec, "--results", results, "--run-id", "r1", "--filter", "size=1");
        first.Code.ShouldBe(0, first.Error);
        first.Out.ShouldContain("Running live: 1 job(s), up to ");
        first.Out.ShouldNotContain("estimated");

        // When: resumed with every variant
        var (code, _, error) = await RunAsync(null, "run", spec, "--results", results, "--resume", "r1");

        // Then: s1 (skipped by the resume) and the two jobs run now all show succeeded
        code.ShouldBe(0, error);
        File.ReadAllText(Path.Combine(results, "live", "r1", SummaryMarkdown.FileName)).ShouldContain("| `main` | 3 | 3 succeeded |");
    }
}
