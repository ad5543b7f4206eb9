using DuckDB.NET.Data;
using Expt.Cli.Tests.Support;
using Expt.Tables;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt export --format parquet</c>, <c>--items</c>, <c>expt note</c>, <c>expt query</c> and <c>expt inspect</c> on real runs and files.</summary>
public sealed class TablesCommandsTests(ReportingRuns runs) : IClassFixture<ReportingRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-tables-t");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    private static List<object?[]> Duck(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        return rows;
    }

    [Fact]
    public async Task Given_a_run_when_exported_as_parquet_then_DuckDB_reads_one_typed_row_per_job_and_the_metadata()
    {
        // Given
        var file = _dir.Combine("toy.parquet");

        // When
        var result = await Expt("export", "toy/a", "--format", "parquet", "-o", file);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Error.ShouldContain($"3 job row(s)");
        Duck($"SELECT job, state, rank, lr, acc, typeof(rank), typeof(acc), typeof(started) FROM '{file}' ORDER BY job").Select(r => string.Join('|', r)).ShouldBe([
            "r1|succeeded|1|0.1|0.6|BIGINT|DOUBLE|TIMESTAMP WITH TIME ZONE",
            "r2|succeeded|2|0.1|0.7|BIGINT|DOUBLE|TIMESTAMP WITH TIME ZONE",
            "r3|failed|3|0.1||BIGINT|DOUBLE|TIMESTAMP WITH TIME ZONE"]);
        var metadata = Duck($"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{file}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        metadata["experiment"].ShouldBe("toy");
        metadata["run_ids"].ShouldBe("a");
        metadata["question"].ShouldBe("Does a higher rank raise accuracy?");
        metadata["hypothesis"].ShouldBe("Accuracy rises with rank.\nRank 3 is too much.");
        metadata["notes"].ShouldStartWith("first try");
        metadata["spec"].ShouldBe(File.ReadAllText(Path.Combine(runs.Results, "toy", "a", "spec.yaml")));
        metadata["table"].ShouldBe("jobs");
        metadata.Keys.ShouldContain("git_commit");
        metadata.Keys.ShouldContain("created");
        metadata.Keys.ShouldContain("expt_version");
        metadata["schema_version"].ShouldBe("1");
    }

    [Fact]
    public async Task Given_an_experiment_with_two_runs_when_exported_with_experiment_then_one_table_has_both_runs()
    {
        var file = _dir.Combine("all.parquet");

        var result = await Expt("export", "--experiment", "toy", "--format", "parquet", "-o", file);

        result.ExitCode.ShouldBe(0, result.Error);
        Duck($"SELECT run, count(*), max(lr) FROM '{file}' GROUP BY run ORDER BY run").Select(r => string.Join('|', r)).ShouldBe(["a|3|0.1", "b|3|0.3"]);
        Duck($"SELECT decode(value) FROM parquet_kv_metadata('{file}') WHERE decode(key) = 'run_ids'").Single()[0].ShouldBe("a\nb");
    }

    [Fact]
    public async Task Given_parquet_without_an_output_file_when_exported_then_it_is_refused()
    {
        var result = await Expt("export", "toy/a", "--format", "parquet");

        result.ExitCode.ShouldBe(2);
        result.Out.ShouldBeEmpty();
        result.Error.ShouldContain("-o FILE");
    }

    [Fact]
    public async Task Given_a_job_with_an_Inspect_log_when_its_items_are_exported_then_each_sample_is_a_row_with_the_job()
    {
        var file = _dir.Combine("items.jsonl");

        var result = await Expt("export", "evals/e", "--items", "--format", "jsonl", "-o", file);

        result.ExitCode.ShouldBe(0, result.Error);
        var table = TextTableFile.Read(file);
        table.Rows.Count.ShouldBeGreaterThan(0);
        table.Columns[0].Name.ShouldBe("experiment");
        table.Columns.Select(c => c.Name).ShouldContain("task");
        table.Columns.Select(c => c.Name).ShouldContain("id");
        table.Columns.Select(c => c.Name).ShouldContain("epoch");
        table.Rows.ShouldAllBe(r => (string?)r[0] == "evals");
    }

    [Fact]
    public async Task Given_a_note_when_added_then_show_the_catalog_and_the_parquet_metadata_carry_it()
    {
        // When
        var note = await Expt("note", "toy/b", "rank 3 diverged again");

        // Then
        note.ExitCode.ShouldBe(0, note.Error);
        var show = await Expt("show", "toy/b");
        show.Out.ShouldContain("rank 3 diverged again");
        var query = await Expt("query", "SELECT run, notes FROM runs WHERE experiment = 'toy' ORDER BY run", "--csv");
        query.ExitCode.ShouldBe(0, query.Error);
        query.Out.ShouldContain("rank 3 diverged again");
        query.Out.ShouldStartWith("run,notes\r\na,");
        var file = _dir.Combine("b.parquet");
        (await Expt("export", "toy/b", "--format", "parquet", "-o", file)).ExitCode.ShouldBe(0);
        var table = await ParquetTableFile.ReadAsync(file);
        table.Metadata.Single(kv => kv.Key == "notes").Value.ShouldMatch(@"^first try\n\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\] rank 3 diverged again$");
    }

    [Fact]
    public async Task Given_the_catalog_when_a_group_by_query_runs_then_it_answers_and_a_write_is_refused()
    {
        var ok = await Expt("query", "SELECT r.run, count(*) AS jobs, sum(CASE WHEN j.state = 'failed' THEN 1 ELSE 0 END) AS failed FROM jobs j JOIN runs r USING (experiment, run) WHERE experiment = 'toy' GROUP BY r.run ORDER BY r.run", "--json");
        ok.ExitCode.ShouldBe(0, ok.Error);
        ok.Out.ShouldContain("\"jobs\": 3");
        ok.Out.ShouldContain("\"failed\": 1");

        var write = await Expt("query", "DROP TABLE runs");
        write.ExitCode.ShouldBe(2);
        write.Error.ShouldStartWith("error: only SELECT and WITH");

        var bad = await Expt("query", "SELECT nope FROM jobs");
        bad.ExitCode.ShouldBe(2);
        bad.Error.ShouldContain("nope");
    }
}
