using Expt.Planning;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Planning;

public sealed class PlannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    // The script the specs run: a spec naming a missing one is refused.
    public PlannerTests() => _dir.File("train.py", "");

    public void Dispose() => _dir.Dispose();

    private const string CapLora = """
        experiment: cap-lora
        params:
          model:     { type: string, default: llama-1b }
          lora_rank: { type: int, default: 8, min: 0 }
          lr:        { type: float, default: 1.0e-4 }
        matrix:
          model: [llama-1b, llama-3b]
          lora_rank: [4, 16, 64]
        exclude: [ { model: llama-3b, lora_rank: 4 } ]
        include: [ { kind: control, model: llama-1b, lora_rank: 0, name: llama-1b_base } ]
        name: "{model}_r{lora_rank}"
        run: python3 train.py
        """;

    [Fact]
    public void Given_a_2x3_matrix_with_one_exclude_and_one_control_when_planned_then_exactly_six_expected_variants()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, CapLora);

        // Then
        plan.Variants.Select(v => (v.Name, v.Kind)).ShouldBe(
        [
            ("llama-1b_r4", "default"), ("llama-1b_r16", "default"), ("llama-1b_r64", "default"),
            ("llama-3b_r16", "default"), ("llama-3b_r64", "default"), ("llama-1b_base", "control"),
        ]);
        plan.Jobs.Count.ShouldBe(6);
        plan.Jobs.Select(j => j.RelativeDirectory).ShouldBe(plan.Variants.Select(v => v.Name));
        var control = plan.Variants[^1];
        ParamValues.ToDisplay(control.Get("lora_rank")).ShouldBe("0");
        ParamValues.ToDisplay(control.Get("seed")).ShouldBe("42");
        control.Changed.ShouldBe(["lora_rank"]);
    }

    [Fact]
    public void Given_the_same_definition_when_planned_twice_then_identities_are_equal_and_differ_between_variants()
    {
        // Given / When
        var a = SpecText.Plan(_dir, CapLora);
        var b = SpecText.Plan(_dir, CapLora);

        // Then
        a.Jobs.Select(j => j.Identity).ShouldBe(b.Jobs.Select(j => j.Identity));
        a.Jobs.Select(j => j.Identity).Distinct().Count().ShouldBe(6);
    }

    [Fact]
    public void Given_set_on_a_matrix_factor_when_planned_then_the_factor_has_that_one_level()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, CapLora, new PlanRequest("", ["lora_rank=16"], [], [], []));

        // Then
        plan.Variants.Select(v => v.Name).ShouldBe(["llama-1b_r16", "llama-3b_r16", "llama-1b_base"]);
        ParamValues.ToDisplay(plan.Variants[^1].Get("lora_rank")).ShouldBe("16"); // the command line beats the spec
    }

    [Fact]
    public void Given_set_equal_to_the_default_when_planned_then_it_still_overrides_the_spec()
    {
        // Given: lr defaults to 1e-4; the include and matrix don't set it. A spec default would lose to --set anyway,
        // but the seed tools dropped a command-line value equal to the *class* default; here the value must win everywhere.
        var yaml = CapLora.Replace("lr:        { type: float, default: 1.0e-4 }", "lr:        { type: float, default: 3.0e-4 }")
            .Replace("include: [ { kind: control, model: llama-1b, lora_rank: 0, name: llama-1b_base } ]", "include: [ { kind: control, model: llama-1b, lora_rank: 0, lr: 0.5, name: llama-1b_base } ]");

        // When
        var plan = SpecText.Plan(_dir, yaml, new PlanRequest("", ["lr=3e-4"], [], [], []));

        // Then
        plan.Variants.ShouldAllBe(v => ParamValues.ToDisplay(v.Get("lr")) == "0.0003");
    }

    [Fact]
    public void Given_filters_when_planned_then_only_variants_matching_all_filters_remain()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, CapLora, new PlanRequest("", [], ["model=llama-1b", "kind=default"], [], []));

        // Then
        plan.Variants.Select(v => v.Name).ShouldBe(["llama-1b_r4", "llama-1b_r16", "llama-1b_r64"]);
    }

    [Fact]
    public void Given_a_filter_matching_nothing_when_planned_then_the_empty_plan_is_an_error()
    {
        // Given / When
        var prepared = SpecText.Prepare(_dir, CapLora, new PlanRequest("", [], ["lora_rank=5"], [], []));

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.Errors.Single().Message.ShouldContain("no variant matches lora_rank=5");
    }

    [Fact]
    public void Given_a_template_that_collides_when_planned_then_the_duplicate_names_are_reported_with_a_hint()
    {
        // Given
        var yaml = CapLora.Replace("name: \"{model}_r{lora_rank}\"", "name: \"{model}\"");

        // When
        var prepared = SpecText.Prepare(_dir, yaml);

        // Then
        prepared.Errors.ShouldContain(e => e.Message.Contains("3 variants are named 'llama-1b'") && e.Message.Contains("{lora_rank}"));
        prepared.Errors.ShouldAllBe(e => e.Location.Line == 11);
    }

    [Fact]
    public void Given_no_matrix_and_no_include_when_planned_then_one_default_variant()
    {
        // Given / When
        var plan = SpecText.Plan(_dir, "experiment: one\nrun: echo hi\n");

        // Then
        plan.Variants.Single().Name.ShouldBe("default");
        plan.Jobs.Single().Id.ShouldBe("default");
    }

    [Fact]
    public void Given_a_required_param_missing_from_a_variant_when_planned_then_it_is_reported()
    {
        // Given
        const string yaml = """
            experiment: req
            params:
              model: { type: string }
            include: [ { name: a, model: x }, { name: b } ]
            run: echo
            """;

        // When
        var prepared = SpecText.Prepare(_dir, yaml);

        // Then
        prepared.Errors.Single().ToString().ShouldContain("params.model: has no default and is not set for variant 'b'");
    }
}
