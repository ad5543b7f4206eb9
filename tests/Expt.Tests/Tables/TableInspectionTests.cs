using Expt.Tables;

namespace Expt.Tests.Tables;

public sealed class TableInspectionTests
{
    // Seed 004's shape: a split column, a boolean verified column and the candidate's index.
    internal const string Seed004Csv = "query_id,split,candidate_index,verified,confidence\r\n"
        + "q1,math,0,true,0.9\r\nq1,math,1,false,0.2\r\nq2,code,0,true,0.8\r\nq2,code,1,true,\r\n"
        + "q3,tool_calling,0,false,0.1\r\nq3,tool_calling,1,false,0.3\r\nq4,math,0,true,1\r\n\"q5, \"\"odd\"\"\",math,1,false,0.5\r\n";

    [Fact]
    public void Given_a_seed_004_shaped_csv_when_inspected_by_split_then_the_verification_rate_per_split_is_given()
    {
        // Given
        var table = TextTableFile.ReadCsv("r.csv", Seed004Csv);

        // When
        var inspection = TableInspection.Of("r.csv", table, "split");

        // Then
        table.Columns.Select(c => c.Type).ShouldBe([TableColumnType.String, TableColumnType.String, TableColumnType.Int64, TableColumnType.Boolean, TableColumnType.Double]);
        inspection.Rows.ShouldBe(8);
        inspection.Measures.ShouldBe(["candidate_index", "verified", "confidence"]);
        inspection.Columns.Single(c => c.Name == "candidate_index").IsRate.ShouldBeTrue();
        inspection.Columns.Single(c => c.Name == "confidence").Nulls.ShouldBe(1);
        inspection.Overall.Values[1].ShouldBe(0.5);
        inspection.Groups.Select(g => $"{g.Group}:{g.Rows}:{g.Values[1]}").ShouldBe(["code:2:1", "math:4:0.5", "tool_calling:2:0"]);
        inspection.Columns.Single(c => c.Name == "query_id").Top.First().ShouldBe(new KeyValuePair<string, long>("q1", 2));
    }

    [Fact]
    public void Given_a_column_that_does_not_exist_when_grouped_by_then_the_error_lists_the_columns()
    {
        var table = TextTableFile.ReadCsv("r.csv", Seed004Csv);

        Should.Throw<ResultTableException>(() => TableInspection.Of("r.csv", table, "splt")).Message.ShouldContain("no column 'splt'");
    }

    [Fact]
    public void Given_json_lines_with_missing_keys_and_mixed_numbers_when_read_then_columns_are_the_union_and_typed()
    {
        var table = TextTableFile.ReadJsonl("r.jsonl", "{\"id\":1,\"score\":1}\n{\"id\":2,\"score\":0.5,\"note\":\"x\"}\n\n{\"id\":3,\"score\":\"NaN\",\"ok\":true}\n");

        table.Columns.Select(c => $"{c.Name}:{c.Type}").ShouldBe(["id:Int64", "score:Double", "note:String", "ok:Boolean"]);
        table.Rows[2][1].ShouldBeOfType<double>().ShouldBe(double.NaN);
        table.Rows[0][2].ShouldBeNull();
    }

    [Fact]
    public void Given_a_csv_record_with_a_line_break_in_quotes_when_read_then_it_stays_one_field()
    {
        var table = TextTableFile.ReadCsv("r.csv", "a,b\n\"x\ny\",2\n");

        table.Rows.Count.ShouldBe(1);
        table.Rows[0].ShouldBe(["x\ny", 2L]);
    }
}
