using Expt.Planning;
using Expt.Suites;

namespace Expt.Tests.Suites;

/// <summary>A suite is checked whole before anything runs: every problem of every case, each located.</summary>
public sealed class SuiteValidationTests
{
    [Fact]
    public void Given_cases_breaking_annotations_and_the_Validate_hook_when_built_then_every_problem_of_every_case_is_reported_with_its_place()
    {
        // Given
        var cases = new[]
        {
            new ExperimentCase("ok", new RuleConfig()),
            new ExperimentCase("too_big", new RuleConfig { Rank = 11 }),
            new ExperimentCase("two", new RuleConfig { Rank = 0, Model = null, Warmup = 20 }),
        };

        // When
        var built = SuiteDefinition.Build(new SuiteSource(cases, "python train.py", "rules", "/x/suite.cs"));

        // Then
        built.Definition.ShouldBeNull();
        built.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "suite.cs: cases[too_big].rank: The field rank must be between 1 and 10. (got 11)",
            "suite.cs: cases[two].rank: The field rank must be between 1 and 10. (got 0)",
            "suite.cs: cases[two].model: The model field is required. (got null)",
            "suite.cs: cases[two]: warmup 20 is longer than steps 10; expected warmup <= steps",
        ]);
    }

    [Fact]
    public void Given_a_bad_name_an_empty_command_and_mixed_config_types_when_built_then_all_are_reported()
    {
        // Given
        var cases = new[] { new ExperimentCase("a", new RuleConfig()), new ExperimentCase("b", new EveryTypeConfig()) };

        // When
        var built = SuiteDefinition.Build(new SuiteSource(cases, " ", "Bad Name", "/x/suite.cs"));

        // Then
        built.Errors.Select(e => e.Field).ShouldBe(["experimentName", "entryPoint", "cases[b]"]);
        built.Errors[2].Message.ShouldContain("expected a RuleConfig");
    }

    [Fact]
    public void Given_two_cases_with_the_same_name_when_planned_then_the_planner_reports_it_as_for_a_spec()
    {
        // Given
        var built = SuiteDefinition.Build(new SuiteSource([new ExperimentCase("a", new RuleConfig()), new ExperimentCase("a", new RuleConfig { Rank = 3 })], "python train.py", "dup", "/x/suite.cs"));

        // When
        var prepared = ExperimentPreparer.Prepare(built.Definition!, PlanRequest.For("suite.cs") with { CheckExistence = false });

        // Then
        prepared.Errors.ShouldHaveSingleItem().Message.ShouldContain("2 variants are named 'a'");
    }

    [Fact]
    public void Given_bad_flags_when_parsed_then_every_problem_names_its_flag_and_the_type_expected()
    {
        // When
        var e = Should.Throw<ConfigParseException>(() => ExperimentConfig.Parse<EveryTypeConfig>(
            ["--lora_rank", "2.5", "--lr", "fast", "--shuffle", "yes", "--precision", "fp16", "--tags", "a,b", "--limit", "__none__", "--model", "__none__", "--lorarank", "3", "--extra"]));

        // Then
        e.Problems.ShouldBe(
        [
            "--extra: expected a value after it",
            "--lora_rank 2.5: expected an integer, got \"2.5\"",
            "--lr fast: expected a number, got \"fast\"",
            "--shuffle yes: expected true or false, got \"yes\"",
            "--precision fp16: expected one of bf16, fp32, got 'fp16'",
            "--tags a,b: expected a JSON list (list<string>), got \"a,b\"",
            "--model __none__: expected a string; the param is not nullable (declare it String? to allow __none__)",
            "--lorarank: unknown flag (did you mean 'lora_rank'?); EveryTypeConfig has --model, --lora_rank, --lr, --shuffle, --precision, --tags, --nums, --extra, --counts, --limit, --dp, --note, --seed",
        ]);
    }

    [Fact]
    public void Given_valid_flags_that_break_a_rule_when_parsed_then_the_rule_is_reported()
    {
        var e = Should.Throw<ConfigParseException>(() => ExperimentConfig.Parse<RuleConfig>(["--rank", "12", "--warmup", "20"]));

        e.Problems.ShouldBe(["--rank: The field rank must be between 1 and 10. (got 12)", "warmup 20 is longer than steps 10; expected warmup <= steps"]);
    }
}
