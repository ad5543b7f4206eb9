namespace Expt.Tests.PublicApi;

public sealed class ApprovedFileTests
{
    [Fact]
    public void Given_one_changed_line_in_a_long_text_when_diffed_then_only_it_and_three_lines_around_it_are_shown()
    {
        var approved = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}"));
        var current = approved.Replace("line 20", "line twenty", StringComparison.Ordinal);

        var diff = ApprovedFile.Diff(approved, current);

        diff.ShouldBe("  line 17\n  line 18\n  line 19\n- line 20\n+ line twenty\n  line 21\n  line 22\n  line 23\n");
    }

    [Fact]
    public void Given_changes_far_apart_when_diffed_then_each_is_shown_separately_with_added_and_removed_lines()
    {
        var approved = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}"));
        var current = approved.Replace("line 5\n", "", StringComparison.Ordinal).Replace("line 25", "line 25\nline 25b", StringComparison.Ordinal);

        var diff = ApprovedFile.Diff(approved, current);

        diff.ShouldBe("  line 2\n  line 3\n  line 4\n- line 5\n  line 6\n  line 7\n  line 8\n...\n  line 23\n  line 24\n  line 25\n+ line 25b\n  line 26\n  line 27\n  line 28\n");
    }
}
