using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>A command that fails the same way for every job (a typo in <c>run:</c>): the stage stops, the summary says it once.</summary>
public sealed class FailFastTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-failfast");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string Spec() => _dir.File("typo/experiment.yaml", $$"""
        experiment: typo
        params:
          i: { type: int, default: 0 }
        matrix:
          i: [{{string.Join(", ", Enumerable.Range(0, 20))}}]
        name: "v{i}"
        run: echo {i} >> ran.log; sh trian.sh
        args: none
        """);

    private static string Summary(string output) => output[output.IndexOf("\nSummary:", StringComparison.Ordinal)..];

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Given_20_jobs_whose_command_names_a_missing_script_when_run_then_the_stage_stops_after_its_first_failures_and_the_summary_says_the_failure_once()
    {
        // Given
        var spec = Spec();

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "2");

        // Then: a few jobs ran (the first three to end, and what ran beside them), the rest were never started
        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        var ran = File.ReadAllLines(_dir.Combine("typo", "ran.log"));
        ran.Length.ShouldBeInRange(3, 4);
        var summary = Summary(result.Out);
        summary.ShouldContain($"Summary: {ran.Length} failed, {20 - ran.Length} cancelled");
        summary.ShouldContain($"FAILED {ran.Length} jobs, the same way: exit code ");
        Count(summary, "trian.sh").ShouldBe(1, summary);
        summary.ShouldContain($"CANCELLED {20 - ran.Length} jobs, the same way: not started: the first 3 jobs of stage main failed the same way (exit code ");
        summary.ShouldContain("); --keep-going runs every job");
        summary.ShouldContain(", … (");
        var log = File.ReadAllText(Path.Combine(Results, "typo", "r", "run.log"));
        log.ShouldContain($"STAGE_STOPPED: stage main: {20 - ran.Length} job(s) not started");
    }

    [Fact]
    public async Task Given_keep_going_when_every_job_fails_the_same_way_then_all_run_and_the_summary_still_says_the_failure_once()
    {
        // Given
        var spec = Spec();

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "4", "--keep-going");

        // Then
        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        File.ReadAllLines(_dir.Combine("typo", "ran.log")).Length.ShouldBe(20);
        var summary = Summary(result.Out);
        summary.ShouldContain("Summary: 20 failed");
        summary.ShouldContain("FAILED 20 jobs, the same way: exit code ");
        Count(summary, "trian.sh").ShouldBe(1, summary);
        summary.ShouldContain("  jobs: v0, v1, v10, v11, v12, v13, v14, v15, … (20 in all)");
    }
}
