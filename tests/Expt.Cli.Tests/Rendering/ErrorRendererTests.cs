using Expt.Cli.Rendering;
using Expt.Execution;
using Expt.Specs;

namespace Expt.Cli.Tests.Rendering;

/// <summary>Problems found before anything ran are printed from their fields, never parsed back out of text.</summary>
public sealed class ErrorRendererTests
{
    [Fact]
    public void Given_a_located_problem_and_one_with_details_when_rendered_then_each_is_an_error_line_with_its_details_indented()
    {
        // Given: a field the spec sets, located by the value, not by its text
        var located = new RunProblem("expected a size such as 16G or 512M; got 'lots'") { Field = "executor.mem", Location = new SourceLocation("experiment.yaml", 6, 8) };
        var refused = new RunProblem("the spec now resolves to different jobs than run c; nothing was run.") { Details = ["changed: a: lr 0.1 -> 0.2", "… and 3 more"] };
        using var error = new StringWriter();

        // When
        ErrorRenderer.Write(error, [located, refused]);

        // Then
        error.ToString().Split(Environment.NewLine).ShouldBe(
        [
            "error: experiment.yaml:6:8: executor.mem: expected a size such as 16G or 512M; got 'lots'",
            "error: the spec now resolves to different jobs than run c; nothing was run.",
            "  changed: a: lr 0.1 -> 0.2",
            "  … and 3 more",
            "2 problems found; nothing was run or written.",
            "",
        ]);
    }

    [Fact]
    public void Given_a_message_that_looks_like_an_executor_field_when_rendered_then_it_is_not_located_from_its_text()
    {
        // Given: the text reads like "executor.KEY: …" but the problem names no field
        var problem = new RunProblem("executor.mem: expected a size");
        using var error = new StringWriter();

        // When
        ErrorRenderer.Write(error, [problem]);

        // Then
        error.ToString().ShouldBe("error: executor.mem: expected a size" + Environment.NewLine);
    }
}
