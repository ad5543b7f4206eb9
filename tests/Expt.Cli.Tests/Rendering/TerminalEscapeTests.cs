using Expt.Cli.Tests.Support;
using Expt.Internal;

namespace Expt.Cli.Tests.Rendering;

/// <summary>
/// What a job or a spec controls (its stderr, a param value, a reason) reaches the terminal escaped: no escape
/// sequence can retitle the window or clear the screen, and no bidi control can reorder what is shown.
/// </summary>
public sealed class TerminalEscapeTests : IDisposable
{
    // Retitles the window, clears the screen, a C1 CSI, a right-to-left override and its isolate, a zero-width space.
    private const string Hostile = "\u001B]0;pwned\u0007\u001B[2J\u009B31m\u202Egnp.exe\u2066x\u2069\u200By";
    private const string Escaped = "\\u001B]0;pwned\\u0007\\u001B[2J\\u009B31m\\u202Egnp.exe\\u2066x\\u2069\\u200By";

    private readonly TempDirectory _dir = new("expt-escape");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("\u001B[31m", "\\u001B[31m")]
    [InlineData("a\u202Eb", "a\\u202Eb")]
    [InlineData("a\u202Ab\u202Bc\u202Cd\u202De", "a\\u202Ab\\u202Bc\\u202Cd\\u202De")]
    [InlineData("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069")]
    [InlineData("zero\u200Bwidth\u200Cjoin\u200D\uFEFF", "zero\\u200Bwidth\\u200Cjoin\\u200D\\uFEFF")]
    [InlineData("c1\u0085\u009B", "c1\\u0085\\u009B")]
    [InlineData("tag\U000E0041", "tag\\U000E0041")]
    [InlineData("line\nbreak\ttab\rdel\u007F", "line\\nbreak\\ttab\\rdel\\u007F")]
    public void Given_text_that_is_not_all_printable_when_escaped_then_every_such_character_is_shown_as_an_escape(string text, string expected)
    {
        VisibleText.Escape(text).ShouldBe(expected);
    }

    [Fact]
    public void Given_a_surrogate_without_its_pair_when_escaped_then_it_is_shown_as_its_code_unit()
    {
        // Built at run time: a lone surrogate cannot be an attribute argument.
        VisibleText.Escape("lone" + (char)0xD800 + "x").ShouldBe("lone\\uD800x");
    }

    [Fact]
    public void Given_printable_text_in_any_script_when_escaped_then_it_is_the_same_instance()
    {
        // Given
        var text = "héllo 日本語 עברית 🎉 a|b\\c";

        // When
        var escaped = VisibleText.Escape(text);

        // Then
        escaped.ShouldBeSameAs(text);
    }

    [Fact]
    public void Given_a_text_of_several_lines_when_escaped_as_lines_then_the_breaks_stay_and_the_rest_is_escaped()
    {
        VisibleText.EscapeLines("first\u202E\nsecond\u001B").ShouldBe("first\\u202E\nsecond\\u001B");
    }

    [Fact]
    public async Task Given_a_failing_job_whose_stderr_holds_escape_sequences_when_run_and_shown_then_the_summary_and_show_print_them_escaped()
    {
        // Given
        _dir.File("evil/job.py", $"import sys\nprint(\"loading\", file=sys.stderr)\nprint({Python(Hostile)}, file=sys.stderr)\nsys.exit(4)\n");
        var spec = _dir.File("evil/experiment.yaml", "experiment: evil\nrun: python3 job.py\nargs: none\n");
        var results = _dir.Combine("results");

        // When
        var run = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "r");
        var show = await CliHarness.RunAsync("show", "r", "--results", results);

        // Then
        run.ExitCode.ShouldBe(1, run.Out + run.Error);
        show.ExitCode.ShouldBe(0, show.Error);
        foreach (var output in new[] { run.Out, show.Out })
        {
            output.ShouldContain($"  | {Escaped}");
            output.ShouldContain("  | loading");
            ShouldBePrintable(output);
        }
    }

    [Fact]
    public async Task Given_a_param_value_with_a_right_to_left_override_when_the_plan_is_shown_then_the_table_and_the_command_show_it_escaped()
    {
        // Given
        _dir.File("plan/job.py", "print(\"never run\")\n");
        var spec = _dir.File("plan/experiment.yaml", "experiment: plan\nparams:\n  note: { type: string, default: plain }\nmatrix:\n  note: [\"a\\u202Ebc\"]\nname: v\nrun: python3 job.py\n");

        // When
        var plan = await CliHarness.RunAsync("run", spec, "--dry-run", "--results", _dir.Combine("results"));

        // Then
        plan.ExitCode.ShouldBe(0, plan.Error);
        plan.Out.ShouldContain("note=a\\u202Ebc");
        plan.Out.ShouldContain("--note 'a\\u202Ebc'");
        ShouldBePrintable(plan.Out);
    }

    private static void ShouldBePrintable(string output)
    {
        foreach (var c in output.Replace("\n", "", StringComparison.Ordinal))
        {
            (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format).ShouldBeFalse($"U+{(int)c:X4} reached the terminal");
        }
    }

    // A Python string literal of the text, every character spelled out, so the script file itself is plain ASCII.
    private static string Python(string text) => "\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"";
}
