using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>--max-variants and --max-jobs bound the plan of run, run --dry-run and plan; a plan beyond them is refused before it is expanded.</summary>
public sealed class PlanLimitTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-limits");

    public void Dispose() => _dir.Dispose();

    private string Spec(params int[] levels) => _dir.File("experiment.yaml",
        "experiment: big\nparams:\n" + string.Concat(levels.Select((_, i) => $"  f{i}: 0\n"))
        + "matrix:\n" + string.Concat(levels.Select((n, i) => $"  f{i}: [{string.Join(", ", Enumerable.Range(0, n))}]\n"))
        + "run: \"true\"\n");

    [Theory]
    [InlineData("plan")]
    [InlineData("run", "--dry-run")]
    public async Task Given_a_plan_over_max_variants_when_planned_then_exit_2_with_the_count_and_the_value_that_admits_it(params string[] command)
    {
        // Given an 11 x 10 matrix
        var spec = Spec(11, 10);

        // When
        var refused = await CliHarness.RunAsync([.. command, spec, "--max-variants", "100"]);
        var admitted = await CliHarness.RunAsync([.. command, spec, "--max-variants", "110"]);

        // Then
        refused.ExitCode.ShouldBe(2);
        refused.Error.ShouldContain("experiment.yaml:6:3: matrix: the plan would have 110 variants (matrix levels 11 × 10 multiplied; excludes are not subtracted), more than the limit of 100; make the matrix smaller, or raise the limit with --max-variants 110");
        refused.Error.ShouldContain("nothing was run or written");
        admitted.ExitCode.ShouldBe(0, admitted.Error);
        admitted.Out.ShouldStartWith("Experiment big: 110 variants, 110 jobs");
    }

    [Fact]
    public async Task Given_ten_factors_of_ten_levels_when_run_then_it_is_refused_at_once_and_nothing_is_written()
    {
        // Given
        var spec = Spec(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results).WaitAsync(TimeSpan.FromSeconds(60));

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("the plan would have 10,000,000,000 variants");
        result.Error.ShouldContain("the plan would have 10,000,000,000 jobs");
        Directory.Exists(results).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_plan_over_max_jobs_when_planned_then_exit_2_naming_the_option()
    {
        // Given 4 variants of 3 cells
        var spec = _dir.File("cells.yaml", "experiment: cells\nparams:\n  r: 0\nmatrix: { r: [1, 2, 3, 4] }\nrun: \"true\"\nforeach: { task: [a, b, c] }\n");

        // When
        var result = await CliHarness.RunAsync("plan", spec, "--max-jobs", "11");

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("cells.yaml:1:1: run: the plan would have 12 jobs, 12 of them in stage 'main' (its cells, shards and merges for every variant), more than the limit of 11; make the matrix or the foreach axes smaller, or raise the limit with --max-jobs 12");
    }

    [Theory]
    [InlineData("--max-variants", "0", "--max-variants 0: expected 1 or more")]
    [InlineData("--max-jobs", "-5", "--max-jobs -5: expected 1 or more")]
    [InlineData("--max-jobs", "many", "--max-jobs 'many': expected a whole number")]
    public async Task Given_a_limit_that_is_not_a_positive_count_when_parsed_then_exit_2(string option, string value, string message)
    {
        // Given
        var spec = Spec(2);

        // When
        var result = await CliHarness.RunAsync("plan", spec, option, value);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
    }
}
