using Expt.Planning;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Planning;

/// <summary><c>seeds:</c> and <c>--seeds N</c> cross every variant, controls included, with the seed.</summary>
public sealed class SeedCrossingTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-seeds");

    public void Dispose() => _dir.Dispose();

    private const string Sweep = """
        experiment: sweep
        params:
          model: { type: string, default: a }
          lr:    { type: float, default: 0.1 }
        matrix:
          model: [a, b]
        include: [ { kind: control, name: base, lr: 0 } ]
        run: echo
        """;

    private static string WithSeeds(string yaml, string seeds) => yaml.Replace("run: echo", $"seeds: {seeds}\nrun: echo", StringComparison.Ordinal);

    private static List<(string Name, string Kind, string Seed)> Variants(Plan plan) =>
        plan.Variants.Select(v => (v.Name, v.Kind, ParamValues.ToDisplay(v.Get("seed")))).ToList();

    [Fact]
    public void Given_seeds_when_planned_then_every_variant_and_the_control_run_once_per_seed_named_like_a_seed_factor()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, WithSeeds(Sweep, "[1, 2, 3]"));

        // Then
        Variants(plan).ShouldBe(
        [
            ("model-a_seed-1", "default", "1"), ("model-a_seed-2", "default", "2"), ("model-a_seed-3", "default", "3"),
            ("model-b_seed-1", "default", "1"), ("model-b_seed-2", "default", "2"), ("model-b_seed-3", "default", "3"),
            ("base_seed-1", "control", "1"), ("base_seed-2", "control", "2"), ("base_seed-3", "control", "3"),
        ]);
        plan.Jobs.Count.ShouldBe(9);
        plan.Jobs.Select(j => j.Identity).Distinct().Count().ShouldBe(9);
        plan.Variants.ShouldAllBe(v => v.Changed.Contains("seed"));
    }

    [Fact]
    public void Given_a_seed_matrix_factor_when_planned_then_seeds_name_variants_the_same_way()
    {
        // Given the way seeds were written before seeds: existed, for the matrix variants
        var factor = SpecText.Plan(_dir, Sweep.Replace("model: [a, b]", "model: [a, b]\n  seed: [1, 2]", StringComparison.Ordinal));

        // When
        var seeds = SpecText.Plan(_dir, WithSeeds(Sweep, "[1, 2]"));

        // Then the matrix variants are the same jobs, by name and identity; only the control is new (once per seed)
        var before = factor.Jobs.Where(j => j.Variant.Kind == "default").Select(j => (j.Id, j.Identity));
        seeds.Jobs.Where(j => j.Variant.Kind == "default").Select(j => (j.Id, j.Identity)).ShouldBe(before);
    }

    [Fact]
    public void Given_a_spec_without_seeds_when_planned_then_job_ids_and_identities_are_those_planned_before_seeds_existed()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, Sweep);

        // Then: the values `expt plan --json` gave for this spec before seeds: existed, so a resume sees no change
        plan.Jobs.Select(j => (j.Id, j.Identity)).ShouldBe(
        [
            ("model-a", "v1:cd74e044e45f50a3"), ("model-b", "v1:dc7c735e5f0b7e16"), ("base", "v1:3ee545f0bf823b4c"),
        ]);
    }

    [Theory]
    [InlineData("experiment: one\nrun: echo\n", new[] { "seed-1", "seed-2" })]
    [InlineData("experiment: ctl\nparams: { lr: 0.1 }\ninclude: [ { kind: control, lr: 0 }, { kind: control, lr: 1 } ]\nrun: echo\n", new[] { "control_1_seed-1", "control_1_seed-2", "control_2_seed-1", "control_2_seed-2" })]
    [InlineData("experiment: tpl\nparams: { lr: 0.1 }\nmatrix: { lr: [0.1] }\nname: \"lr{lr}\"\nrun: echo\n", new[] { "lr0.1_seed-1", "lr0.1_seed-2" })]
    [InlineData("experiment: tpl\nparams: { lr: 0.1 }\nmatrix: { lr: [0.1] }\nname: \"lr{lr}_s{seed}\"\nrun: echo\n", new[] { "lr0.1_s1", "lr0.1_s2" })]
    public void Given_seeds_when_planned_then_each_naming_rule_gets_the_seed(string yaml, string[] names)
    {
        SpecText.Plan(_dir, WithSeeds(yaml, "[1, 2]")).Variants.Select(v => v.Name).ShouldBe(names);
    }

    [Fact]
    public void Given_seeds_and_an_include_that_fixes_its_seed_when_planned_then_that_include_runs_once_with_its_seed()
    {
        // Given a deterministic control that needs no replicates
        var yaml = WithSeeds(Sweep.Replace("name: base, lr: 0", "name: base, lr: 0, seed: 7", StringComparison.Ordinal), "[1, 2]");

        // When
        var prepared = SpecText.Prepare(_dir, yaml);

        // Then
        prepared.Errors.ShouldBeEmpty();
        Variants(prepared.Plan!).Where(v => v.Kind == "control").ShouldBe([("base", "control", "7")]);
        prepared.Plan!.Variants.Count.ShouldBe(5);
        prepared.Warnings.ShouldContain(w => w.Field == "include[0].seed");
    }

    [Fact]
    public void Given_seeds_and_an_exclude_naming_a_seed_when_planned_then_only_that_point_is_dropped()
    {
        var yaml = WithSeeds(Sweep, "[1, 2]").Replace("include:", "exclude: [ { model: b, seed: 2 } ]\ninclude:", StringComparison.Ordinal);

        var prepared = SpecText.Prepare(_dir, yaml);

        prepared.Plan!.Variants.Select(v => v.Name).ShouldBe(["model-a_seed-1", "model-a_seed-2", "model-b_seed-1", "base_seed-1", "base_seed-2"]);
        prepared.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Given_seeds_3_on_the_command_line_when_planned_then_they_replace_the_spec_seeds_and_its_seed_factor()
    {
        // Given a spec that lists two seeds, and one that varies the seed as a matrix factor
        var listed = WithSeeds(Sweep, "[5, 6]");
        var factor = Sweep.Replace("model: [a, b]", "model: [a]\n  seed: [5, 6]", StringComparison.Ordinal);

        // When
        var fromList = SpecText.Plan(_dir, listed, PlanRequest.For("") with { Seeds = 3 });
        var fromFactor = SpecText.Plan(_dir, factor, PlanRequest.For("") with { Seeds = 3 });

        // Then
        fromList.Variants.Select(v => ParamValues.ToDisplay(v.Get("seed"))).Distinct().ShouldBe(["1", "2", "3"]);
        fromList.Variants.Count.ShouldBe(9);
        fromFactor.Variants.Select(v => v.Name).ShouldBe(["model-a_seed-1", "model-a_seed-2", "model-a_seed-3", "base_seed-1", "base_seed-2", "base_seed-3"]);
        fromFactor.Definition.Seeds.ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public void Given_set_seed_on_a_spec_with_seeds_when_planned_then_the_seeds_become_that_one_value()
    {
        var plan = SpecText.Plan(_dir, WithSeeds(Sweep, "[1, 2]"), new PlanRequest("", ["seed=9"], [], [], []));

        plan.Variants.Select(v => v.Name).ShouldBe(["model-a_seed-9", "model-b_seed-9", "base_seed-9"]);
    }

    [Theory]
    [InlineData(0, null, "--seeds 0", "expected 1 or more")]
    [InlineData(3, "seed=4", "--seeds 3", "--set seed=… gives the seed too; use one of the two")]
    [InlineData(2_000_000, null, "--seeds 2000000", "the plan would have at least 2000000 variants, more than the limit of 1000000 (--max-variants)")]
    public void Given_a_wrong_seeds_option_when_planned_then_the_error_names_the_option(int seeds, string? set, string at, string message)
    {
        var prepared = SpecText.Prepare(_dir, Sweep, new PlanRequest("", set is null ? [] : [set], [], [], []) { Seeds = seeds });

        var error = prepared.Errors.ShouldHaveSingleItem();
        error.Location.ShouldBe(new SourceLocation(at));
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void Given_seeds_beyond_the_bounds_of_the_seed_param_when_given_on_the_command_line_then_they_are_refused()
    {
        var yaml = Sweep.Replace("lr:    { type: float, default: 0.1 }", "lr:    { type: float, default: 0.1 }\n  seed: { type: int, default: 1, max: 2 }", StringComparison.Ordinal);

        var prepared = SpecText.Prepare(_dir, yaml, PlanRequest.For("") with { Seeds = 3 });

        prepared.Errors.ShouldHaveSingleItem().Message.ShouldStartWith("seeds 1 to 3 are not all within the bounds of params.seed (max 2, ");
    }

    [Fact]
    public void Given_seeds_that_multiply_the_plan_past_the_limit_when_planned_then_the_count_says_so_before_expanding()
    {
        var prepared = SpecText.Prepare(_dir, WithSeeds(Sweep, "[1, 2, 3]"), PlanRequest.For("") with { MaxVariants = 8 });

        var error = prepared.Errors.First(e => e.Field == "matrix");
        error.Message.ShouldStartWith("the plan would have 9 variants (matrix levels 2 multiplied and 1 include(s), times 3 seeds; excludes are not subtracted), more than the limit of 8");
    }
}
