using System.Text;
using Expt.Design;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Design;

/// <summary>experiment_summary.md with hostile names and values, and with a study of 100,000 jobs.</summary>
public sealed class SummaryMarkdownSafetyTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-summary-safety");

    public void Dispose() => _dir.Dispose();

    private const string Hostile = """
        experiment: hostile
        question: "Is | a `pipe`?\n# not a heading\n- not a list"
        params:
          label: { type: string, default: plain }
        include:
          - { name: "pipe|name", label: "a|b" }
          - { name: "tick`name", label: "x`y``z" }
          - { name: "slash", label: "back\\|slash" }
          - { name: "newline", label: "new\nline" }
        args: none
        run: "true"
        """;

    [Fact]
    public void Given_pipes_backticks_backslashes_and_newlines_in_names_values_paths_and_reasons_when_rendered_then_every_table_row_keeps_its_cells_and_each_value_shows_escaped()
    {
        // Given
        var plan = SpecText.Plan(_dir, Hostile);
        var resources = new[] { new ResourceCheck(ResourceKind.Path, "dir|x/`a`\nb", null, false, null, null, false, null, "param | label", "missing | gone\nreally") };
        var job = plan.Jobs.Single(j => j.Variant.Name == "pipe|name");
        var statuses = new Dictionary<string, JobStatus> { [job.Id] = RunSession.NewStatus(job) with { State = JobState.Failed, Reason = "exit 1 | `boom`\nnext" } };

        // When
        var markdown = SummaryMarkdown.Render(DesignFixture.For(plan, resources: resources), statuses);

        // Then: every row of every table has as many cells as its header (no pipe or newline broke one)
        foreach (var table in Tables(markdown))
        {
            var width = Cells(table[0]);
            foreach (var row in table) Cells(row).ShouldBe(width, $"row {row} of the table headed {table[0]}");
        }
        markdown.ShouldContain("| `pipe\\|name` |");
        markdown.ShouldContain("| ``tick`name`` |");
        markdown.ShouldContain("`label`=`a\\|b`");
        markdown.ShouldContain("`label`=```x`y``z```");
        markdown.ShouldContain("`label`=back\\\\\\|slash");
        markdown.ShouldContain("`label`=`new\\nline`");
        markdown.ShouldContain("failed: exit 1 \\| \\`boom\\`\\\\nnext");
        markdown.ShouldContain("missing \\| gone\\\\nreally");
        // The question's lines stay text: no heading, no list item
        markdown.ShouldContain("- **Question:** Is \\| a \\`pipe\\`?\\\n\\# not a heading\\\n\\- not a list\n");
    }

    [Fact]
    public void Given_a_study_of_100000_jobs_when_rendered_with_one_running_then_tables_list_at_most_2000_rows_the_running_job_among_them_and_every_count_is_complete()
    {
        // Given: 1000 × 100 variants of one job each, the last one running
        var levels = string.Join(", ", Enumerable.Range(1, 1000));
        var plan = SpecText.Plan(_dir, $$"""
            experiment: huge
            params:
              a: { type: int, default: 1 }
              b: { type: int, default: 1 }
            matrix:
              a: [{{levels}}]
              b: [{{string.Join(", ", Enumerable.Range(1, 100))}}]
            name: "a{a}_b{b}"
            run: "true"
            """);
        plan.Jobs.Count.ShouldBe(100_000);
        var last = plan.Jobs[^1];
        var statuses = new Dictionary<string, JobStatus> { [last.Id] = RunSession.NewStatus(last) with { State = JobState.Running, StartedAt = DesignFixture.CreatedAt } };

        // When
        var markdown = SummaryMarkdown.Render(DesignFixture.For(plan), statuses);

        // Then
        markdown.Length.ShouldBeLessThan(2_000_000);
        Tables(markdown).ShouldAllBe(t => t.Count <= 2 + SummaryTable.MaxRows);
        markdown.ShouldContain("- **Variants:** 100,000 (100,000 default)\n");
        markdown.ShouldContain("- **Jobs:** 100,000\n");
        markdown.ShouldContain("… and 98,000 more variants not listed");
        markdown.ShouldContain("… and 98,000 more jobs not listed");
        markdown.ShouldContain($"| `{last.Id}` | running |");
        markdown.ShouldContain("| `main` | 100,000 | 1 running, 99,999 pending |");
    }

    /// <summary>The tables of a Markdown document: runs of lines that start with a pipe.</summary>
    private static List<List<string>> Tables(string markdown)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                if (current is null) tables.Add(current = []);
                current.Add(line);
            }
            else current = null;
        }
        return tables;
    }

    /// <summary>A table row's cells as a GitHub-flavoured Markdown reader splits them: at pipes not escaped by a backslash.</summary>
    private static int Cells(string row)
    {
        var pipes = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] == '\\') i++;
            else if (row[i] == '|') pipes++;
        }
        return pipes - 1;
    }
}
