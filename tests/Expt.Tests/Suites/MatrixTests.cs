using Expt.Planning;
using Expt.Specs;
using Expt.Suites;
using Expt.Tests.Support;

namespace Expt.Tests.Suites;

/// <summary>Matrix.Of makes the cases a spec's matrix, exclude, include, seeds and name would.</summary>
public sealed class MatrixTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_factors_an_exclude_and_a_control_when_built_then_the_cases_are_the_product_minus_the_exclude_plus_the_control()
    {
        // When
        var cases = Matrix.Of(new EveryTypeConfig())
            .Vary(c => c.Model, "a", "b")
            .Vary("lora_rank", 4, 16)
            .Exclude(c => c.Model == "b" && c.LoraRank == 4)
            .Control("base", new EveryTypeConfig { LoraRank = 1 })
            .Build();

        // Then
        cases.Select(c => $"{c.VariantName}/{c.Kind}").ShouldBe(["model-a_lora_rank-4/default", "model-a_lora_rank-16/default", "model-b_lora_rank-16/default", "base/control"]);
        var second = (EveryTypeConfig)cases[1].Config;
        (second.Model, second.LoraRank, second.Lr).ShouldBe(("a", 16, 1e-4));
    }

    [Fact]
    public void Given_a_template_and_seeds_when_built_then_names_follow_the_template_and_each_variant_runs_once_per_seed()
    {
        // When
        var cases = Matrix.Of(new EveryTypeConfig()).Vary(c => c.Precision, Precision.bf16, Precision.fp32).Name("{precision}").Control("ctl", new EveryTypeConfig()).Seeds(1, 2).Build();

        // Then
        cases.Select(c => $"{c.VariantName}:{c.Config.Seed}").ShouldBe(["bf16_seed-1:1", "bf16_seed-2:2", "fp32_seed-1:1", "fp32_seed-2:2", "ctl_seed-1:1", "ctl_seed-2:2"]);
    }

    [Fact]
    public void Given_a_matrix_in_code_and_the_same_matrix_in_yaml_when_planned_then_the_jobs_are_the_same()
    {
        // Given
        _dir.File("train.py", "");
        var fromYaml = SpecText.Plan(_dir, """
            experiment: same
            params:
              rank: { type: int, default: 2, min: 1, max: 10 }
              model: { type: string, default: m }
              warmup: { type: int, default: 0 }
              steps: { type: int, default: 10 }
            matrix: { rank: [1, 3], model: [x, y] }
            exclude: [ { rank: 3, model: y } ]
            include: [ { kind: control, name: base, rank: 5 } ]
            name: "r{rank}_{model}"
            run: python3 train.py
            """);
        var cases = Matrix.Of(new RuleConfig()).Vary(c => c.Rank, 1, 3).Vary(c => c.Model, "x", "y").Exclude(c => c.Rank == 3 && c.Model == "y").Control("base", new RuleConfig { Rank = 5 }).Name("r{rank}_{model}");

        // When
        var built = SuiteDefinition.Build(new SuiteSource(cases.ToList(), "python3 train.py", "same", _dir.Combine("suite.cs")));
        var fromCode = ExperimentPreparer.Prepare(built.Definition!, PlanRequest.For("suite.cs"));

        // Then
        fromCode.Errors.ShouldBeEmpty();
        fromCode.Plan!.Jobs.Select(j => (j.Id, j.Variant.Kind, j.Identity)).ShouldBe(fromYaml.Jobs.Select(j => (j.Id, j.Variant.Kind, j.Identity)));
    }

    [Fact]
    public void Given_a_name_that_is_no_param_when_varied_then_the_error_suggests_the_param()
    {
        Should.Throw<ArgumentException>(() => Matrix.Of(new RuleConfig()).Vary("rnak", 1)).Message.ShouldContain("did you mean 'rank'");
        Should.Throw<ArgumentException>(() => Matrix.Of(new RuleConfig()).Vary(c => c.Rank)).Message.ShouldContain("no levels");
    }
}
