using Expt.Tables;

namespace Expt.Tests.Tables;

public sealed class TableQueryTests
{
    private static readonly IReadOnlyList<KeyValuePair<string, ResultTable>> Tables =
    [
        new("metrics", new ResultTable(
            [new("experiment", TableColumnType.String), new("name", TableColumnType.String), new("value", TableColumnType.Double)],
            [["a", "acc", 0.5], ["a", "acc", 0.7], ["b", "acc", 0.9], ["b", "loss", 1.0]],
            [])),
    ];

    [Theory]
    [InlineData("DELETE FROM metrics", "only SELECT and WITH")]
    [InlineData("SELECT 1; DROP TABLE metrics", "only one statement")]
    [InlineData("WITH x AS (SELECT 1) INSERT INTO metrics SELECT * FROM x", "'INSERT' is not allowed")]
    [InlineData("COPY metrics TO 'x.csv'", "only SELECT and WITH")]
    [InlineData("SELECT 'unclosed", "unclosed quote")]
    [InlineData("  -- nothing\n", "empty")]
    public void Given_a_query_that_is_not_one_read_when_checked_then_it_is_refused_with_why(string sql, string why)
    {
        TableQuery.Problem(sql).ShouldNotBeNull().ShouldContain(why);
    }

    [Theory]
    [InlineData("SELECT 1;")]
    [InlineData("select 'delete; drop' AS \"insert\" -- update\n")]
    [InlineData("WITH t AS (SELECT 1 AS x) SELECT * FROM t /* ; copy */")]
    public void Given_one_read_only_query_when_checked_then_it_is_accepted(string sql)
    {
        TableQuery.Problem(sql).ShouldBeNull();
    }

    [Fact]
    public void Given_tables_when_a_group_by_query_runs_then_the_rows_come_back_typed()
    {
        // When
        var result = TableQuery.Run("SELECT experiment, count(*) AS n, avg(value) AS acc FROM metrics WHERE name = 'acc' GROUP BY experiment ORDER BY experiment", Tables);

        // Then
        result.Truncated.ShouldBeFalse();
        result.Table.Columns.Select(c => c.Type).ShouldBe([TableColumnType.String, TableColumnType.Int64, TableColumnType.Double]);
        result.Table.Rows.Select(r => $"{r[0]} {r[1]} {r[2]:0.##}").ShouldBe(["a 2 0.6", "b 1 0.9"]);
    }

    [Theory]
    [InlineData("SELECT * FROM read_csv('/etc/hostname')")]
    [InlineData("SELECT nope FROM metrics")]
    public void Given_a_query_that_reads_a_file_or_names_no_column_when_run_then_it_is_one_error(string sql)
    {
        Should.Throw<ResultTableException>(() => TableQuery.Run(sql, Tables)).Message.ShouldNotBeNullOrWhiteSpace();
    }
}
