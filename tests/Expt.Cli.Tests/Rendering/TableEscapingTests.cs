using Expt.Catalog;
using Expt.Cli.Rendering;
using static Expt.Cli.Tests.Rendering.RenderInputs;

namespace Expt.Cli.Tests.Rendering;

/// <summary>Tables of ls --jobs, show, compare and report keep one line per row whatever the values hold.</summary>
public sealed class TableEscapingTests
{
    [Fact]
    public void Given_cells_with_newlines_tabs_and_controls_when_a_text_table_is_written_then_each_row_is_one_line_with_them_escaped()
    {
        // Given
        var table = new TextTable("NAME", "NOTE");
        table.Add("a", "x\ny");
        table.Add("b", "t\tu\rv\u0007w\u2028z");

        // When
        var lines = table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Then
        lines.Length.ShouldBe(4);
        lines[2].ShouldBe("a     x\\ny");
        lines[3].ShouldBe("b     t\\tu\\rv\\u0007w\\u2028z");
        lines[1].ShouldBe("----  ---------------------");
    }

    [Fact]
    public void Given_cells_with_pipes_and_newlines_when_a_markdown_table_is_written_then_the_row_stays_one_row()
    {
        // Given
        var table = new MarkdownTable("group", "note");
        table.Add("g|1", "a, b\nc\td");

        // When
        var text = table.ToString();

        // Then
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(3);
        text.ShouldEndWith("| g\\|1 | a, b\\nc\\td |\n");
    }

    [Fact]
    public void Given_a_text_param_and_a_text_metric_with_newlines_when_ls_jobs_is_rendered_then_every_job_is_one_line()
    {
        // When
        var text = Ls(
            Row("a", [Param("label", "x\ny"), Metric("note", "a, b\nc")]),
            Row("b", [Param("label", "plain"), Metric("note", "ok")]));

        // Then
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(5);
        lines[2].ShouldEndWith("x\\ny   a, b\\nc");
        lines[4].ShouldBe("2 job(s)");
    }
}
