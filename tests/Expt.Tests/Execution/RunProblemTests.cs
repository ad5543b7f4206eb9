using Expt.Execution;
using Expt.Specs;

namespace Expt.Tests.Execution;

/// <summary>Why a run was refused, as a value: the field, where the spec sets it, the message and its details.</summary>
public sealed class RunProblemTests
{
    private static readonly Dictionary<string, SourceLocation> Locations = new(StringComparer.Ordinal)
    {
        ["mem"] = new SourceLocation("experiment.yaml", 6, 8),
    };

    [Fact]
    public void Given_an_executor_setting_the_spec_sets_when_it_is_a_problem_then_the_problem_has_the_field_the_location_and_the_message()
    {
        // When
        var problem = RunProblem.ExecutorSetting("mem", "expected a size such as 16G or 512M; got 'lots'", Locations);

        // Then
        problem.Field.ShouldBe("executor.mem");
        problem.Location.ShouldBe(new SourceLocation("experiment.yaml", 6, 8));
        problem.Message.ShouldBe("expected a size such as 16G or 512M; got 'lots'");
        problem.ToString().ShouldBe("experiment.yaml:6:8: executor.mem: expected a size such as 16G or 512M; got 'lots'");
    }

    [Fact]
    public void Given_an_executor_setting_the_spec_does_not_set_when_it_is_a_problem_then_the_field_is_named_without_a_location()
    {
        // When
        var problem = RunProblem.ExecutorSetting("partition", "expected a non-empty line of text", Locations);

        // Then
        problem.Field.ShouldBe("executor.partition");
        problem.Location.ShouldBeNull();
        problem.ToString().ShouldBe("executor.partition: expected a non-empty line of text");
    }

    [Fact]
    public void Given_a_problem_about_the_machine_when_written_then_it_is_the_message_alone()
    {
        // When
        var problem = new RunProblem("stage train (2 job(s), e.g. a): needs 4 GPU(s); this machine has 0");

        // Then
        problem.Field.ShouldBeEmpty();
        problem.Location.ShouldBeNull();
        problem.ToString().ShouldBe("stage train (2 job(s), e.g. a): needs 4 GPU(s); this machine has 0");
    }
}
