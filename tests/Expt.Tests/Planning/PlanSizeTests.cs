using Expt.Planning;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Planning;

/// <summary>A plan too large to hold is refused from its factor sizes, at once, before anything is expanded.</summary>
public sealed class PlanSizeTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-plansize");

    public void Dispose() => _dir.Dispose();

    // Generous for a refusal that takes milliseconds; without the count the expansion runs until memory is gone.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>A spec whose matrix has one factor per entry of <paramref name="levels"/>, with that many levels.</summary>
    private static string Matrix(params int[] levels)
    {
        var names = levels.Select((_, i) => $"f{i}").ToList();
        return "experiment: big\nparams:\n" + string.Concat(names.Select(n => $"  {n}: 0\n"))
            + "matrix:\n" + string.Concat(levels.Select((n, i) => $"  f{i}: [{string.Join(", ", Enumerable.Range(0, n))}]\n"))
            + "run: \"true\"\n";
    }

    [Fact]
    public async Task Given_ten_factors_of_ten_levels_when_planned_then_ten_billion_variants_are_refused_at_once_saying_how_to_raise_the_limit()
    {
        // Given
        var yaml = Matrix(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);

        // When
        var prepared = await Task.Run(() => SpecText.Prepare(_dir, yaml)).WaitAsync(Bound);

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        var messages = prepared.Errors.Select(e => e.ToString()).ToList();
        messages.Count.ShouldBe(2, string.Join("\n", messages));
        messages[0].ShouldContain("experiment.yaml:14:3: matrix: the plan would have 10,000,000,000 variants (matrix levels 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 multiplied; excludes are not subtracted), more than the limit of 1,000,000");
        messages[0].ShouldContain("no single run can hold that many (--max-variants goes up to 2,147,483,647)");
        messages[1].ShouldContain("the plan would have 10,000,000,000 jobs");
    }

    [Fact]
    public void Given_a_matrix_just_past_the_default_limit_when_planned_then_it_is_refused_with_the_count_and_the_option_to_raise()
    {
        // Given 1001 x 1000 points, one exclude (not subtracted: the count is an upper bound) and an include
        var yaml = Matrix(1001, 1000).Replace("run:", "exclude: [ { f0: 0, f1: 0 } ]\ninclude: [ { name: extra } ]\nrun:", StringComparison.Ordinal);

        // When
        var prepared = SpecText.Prepare(_dir, yaml);

        // Then
        var error = prepared.Errors.First(e => e.Field == "matrix");
        error.Message.ShouldStartWith("the plan would have 1,001,001 variants (matrix levels 1001 × 1000 multiplied and 1 include(s); excludes are not subtracted), more than the limit of 1,000,000");
        error.Message.ShouldEndWith("raise the limit with --max-variants 1001001");
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    public void Given_a_raised_or_lowered_limit_when_planned_then_it_is_the_bound(long max, bool planned)
    {
        // Given a 10 x 10 matrix
        var path = _dir.File("experiment.yaml", Matrix(10, 10));

        // When
        var prepared = ExperimentPreparer.Prepare(PlanRequest.For(path) with { MaxVariants = max });

        // Then
        prepared.IsSuccess.ShouldBe(planned, string.Join("\n", prepared.Errors));
        if (planned) prepared.Plan!.Variants.Count.ShouldBe(100);
        else prepared.Errors.ShouldHaveSingleItem().Message.ShouldContain("more than the limit of 99");
    }

    [Fact]
    public async Task Given_foreach_cells_and_shards_that_multiply_past_the_job_limit_when_planned_then_the_stage_is_named()
    {
        // Given one variant, and a stage of 10^8 cells with 2^31 - 1 shards and a merge (no overflow anywhere)
        var axes = string.Join(", ", Enumerable.Range(0, 8).Select(i => $"a{i}: [{string.Join(", ", Enumerable.Range(0, 10))}]"));
        var yaml = $"experiment: cells\nstages:\n  prep: {{ run: \"true\" }}\n  eval:\n    run: \"true\"\n    foreach: {{ {axes} }}\n    shards: 2147483647\n    merge: \"true\"\n";

        // When
        var prepared = await Task.Run(() => SpecText.Prepare(_dir, yaml)).WaitAsync(Bound);

        // Then
        var error = prepared.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldContain("experiment.yaml:4:3: stages.eval: the plan would have 214,748,364,800,000,001 jobs, 214,748,364,800,000,000 of them in stage 'eval' (its cells, shards and merges for every variant), more than the limit of 1,000,000");
    }

    [Fact]
    public void Given_a_job_limit_when_kinds_skip_a_stage_then_only_the_jobs_that_exist_count()
    {
        // Given 3 matrix variants x 4 cells, and a control that has the train stage only: 3 + 12 + 1 = 16 jobs
        const string Yaml = """
            experiment: kinds
            params:
              r: 0
            matrix: { r: [1, 2, 3] }
            include: [ { kind: control, name: base } ]
            name: "r{r}"
            stages:
              train: { run: "true" }
              eval: { run: "true", needs: [train], kinds: [default], foreach: { task: [a, b, c, d] } }
            """;
        var path = _dir.File("experiment.yaml", Yaml);

        // When
        var fits = ExperimentPreparer.Prepare(PlanRequest.For(path) with { MaxJobs = 16 });
        var over = ExperimentPreparer.Prepare(PlanRequest.For(path) with { MaxJobs = 15 });

        // Then
        fits.IsSuccess.ShouldBeTrue(string.Join("\n", fits.Errors));
        fits.Plan!.AllJobs.Count.ShouldBe(16);
        over.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("the plan would have 16 jobs, 12 of them in stage 'eval'");
    }
}
