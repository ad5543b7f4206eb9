using Expt.Reporting.Paired;
using Expt.Tests.Metrics;

namespace Expt.Tests.Reporting.Paired;

/// <summary>Reading a job's per-item table: CSV, JSON Lines and Inspect samples, and what a job can get wrong in them.</summary>
public sealed class PerItemFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-peritem");
    private readonly List<string> _warnings = [];

    public void Dispose() => _dir.Dispose();

    private PerItemTable? Read(string? idName = null) => PerItemFiles.Read(_dir.Path, idName, _warnings);

    [Fact]
    public void Given_a_csv_with_an_item_column_a_split_and_two_scores_when_read_then_scores_are_numbers_and_split_groups()
    {
        _dir.File(PerItemFiles.CsvName, "item_id,split,correct,f1,note\nq1,dev,1,0.5,\"a, quoted\"\nq2,test,0,0.25,x\nq3,test,true,,y\n");

        var table = Read()!;

        _warnings.ShouldBeEmpty();
        table.Columns.ShouldBe(["correct", "f1"]);
        table.SplitColumn.ShouldBe("split");
        table.Rows.Select(r => r.Id).ShouldBe(["q1", "q2", "q3"]);
        table.Rows.Select(r => r.Split).ShouldBe(["dev", "test", "test"]);
        table.Rows[0].Scores.ShouldBe([1.0, 0.5]);
        table.Rows[2].Scores.ShouldBe([1.0, null]);
    }

    [Fact]
    public void Given_text_columns_but_no_split_when_read_then_a_repeating_one_groups_and_one_with_a_value_per_item_does_not()
    {
        _dir.File(PerItemFiles.CsvName, "id,question,subject,correct\n1,what?,math,1\n2,why?,math,0\n3,how?,art,1\n");

        Read()!.SplitColumn.ShouldBe("subject");
    }

    [Fact]
    public void Given_a_split_column_with_more_values_than_the_limit_when_read_then_items_are_compared_overall_with_a_warning()
    {
        var rows = string.Join("", Enumerable.Range(0, PerItemTable.MaxSplits + 1).Select(i => $"{i},s{i},1\n"));
        var path = _dir.File(PerItemFiles.CsvName, "id,split,correct\n" + rows);

        var table = Read()!;

        table.SplitColumn.ShouldBeNull();
        table.Rows.ShouldAllBe(r => r.Split == null);
        _warnings.ShouldHaveSingleItem().ShouldBe($"{path}: column split has 21 values, more than the 20 compared one by one; items are compared over all splits only");
    }

    [Fact]
    public void Given_more_score_columns_than_the_limit_when_read_then_the_first_ones_are_kept_with_a_warning()
    {
        var names = Enumerable.Range(1, PerItemTable.MaxColumns + 5).Select(i => $"s{i}").ToList();
        var path = _dir.File(PerItemFiles.CsvName, $"id,{string.Join(",", names)}\na,{string.Join(",", names.Select(_ => "1"))}\n");

        var table = Read()!;

        table.Columns.ShouldBe(names.Take(PerItemTable.MaxColumns));
        _warnings.ShouldHaveSingleItem().ShouldBe($"{path}: has 25 score columns; the first 20 are compared");
    }

    [Fact]
    public void Given_id_columns_of_every_usual_name_when_read_then_the_first_of_item_item_id_id_sample_id_is_taken()
    {
        _dir.File(PerItemFiles.CsvName, "sample_id,id,score\ns1,i1,1\n");

        Read()!.Rows.ShouldHaveSingleItem().Id.ShouldBe("i1");
    }

    [Fact]
    public void Given_the_spec_names_the_id_column_when_read_then_that_column_is_the_id_and_a_missing_one_is_a_warning()
    {
        _dir.File(PerItemFiles.CsvName, "question,id,score\nwhat,7,1\n");

        Read("question")!.Rows.ShouldHaveSingleItem().Id.ShouldBe("what");
        Read("qid").ShouldBeNull();
        _warnings.ShouldHaveSingleItem().ShouldContain("has no the column 'qid'");
    }

    [Fact]
    public void Given_malformed_csv_rows_when_read_then_each_is_a_warning_with_its_line_and_the_good_rows_are_kept()
    {
        var path = _dir.File(PerItemFiles.CsvName, "id,score\na,1\nb,1,extra\n\"c,0\nd,zero\n,1\na,0\ne,0.5\n");

        var table = Read()!;

        table.Rows.Select(r => r.Id).ShouldBe(["a", "d", "e"]);
        table.Rows[1].Scores.ShouldBe([null]);
        _warnings.ShouldBe([
            $"{path}:3: has 3 fields, the header 2; the row was skipped",
            $"{path}:4: has an unclosed quote; the row was skipped",
            $"{path}:5: score 'zero' is not a number; left out",
            $"{path}:6: has no id; the row was skipped",
            $"{path}:7: id 'a' was seen before; the row was skipped",
        ]);
    }

    [Fact]
    public void Given_a_csv_without_an_id_column_or_with_a_bad_header_when_read_then_it_is_not_read_with_a_warning()
    {
        var path = _dir.File(PerItemFiles.CsvName, "name,score\na,1\n");
        Read().ShouldBeNull();
        _dir.File(PerItemFiles.CsvName, "id,score,score\na,1,2\n");
        Read().ShouldBeNull();

        _warnings.ShouldBe([
            $"{path}: has no an id column (item, item_id, id, sample_id); it was not read",
            $"{path}:1: the header needs distinct, non-empty column names; the file was not read",
        ]);
    }

    [Fact]
    public void Given_jsonl_with_numbers_booleans_and_text_when_read_then_it_types_them_as_csv_and_warns_on_bad_lines()
    {
        var path = _dir.File(PerItemFiles.JsonlName, "{\"id\": 1, \"correct\": true, \"split\": \"a\"}\nnot json\n[1]\n{\"id\": 2, \"correct\": false, \"split\": \"b\", \"extra\": {\"x\": 1}}\n");

        var table = Read()!;

        table.Columns.ShouldBe(["correct"]);
        table.Rows.Select(r => (r.Id, r.Split, r.Scores[0])).ShouldBe([("1", "a", 1.0), ("2", "b", 0.0)]);
        _warnings.Count.ShouldBe(2);
        _warnings[0].ShouldStartWith($"{path}:2: is not valid JSON");
        _warnings[1].ShouldBe($"{path}:3: is not a JSON object; skipped");
    }

    [Fact]
    public void Given_both_a_csv_and_a_jsonl_when_read_then_the_csv_is_the_table()
    {
        _dir.File(PerItemFiles.CsvName, "id,score\ncsv,1\n");
        _dir.File(PerItemFiles.JsonlName, "{\"id\": \"jsonl\", \"score\": 1}\n");

        Read()!.Rows.ShouldHaveSingleItem().Id.ShouldBe("csv");
    }

    [Fact]
    public void Given_a_fifo_named_like_the_table_when_read_then_it_is_not_opened_and_is_a_warning()
    {
        var fifo = Fifo.Make(_dir.Combine(PerItemFiles.CsvName));

        var table = Fifo.Within(() => Read(), fifo);

        table.ShouldBeNull();
        _warnings.ShouldHaveSingleItem().ShouldBe($"{fifo}: {"is not a regular file (a FIFO, device or socket); it was not read"}");
    }

    [Fact]
    public void Given_a_table_larger_than_the_limit_when_read_then_it_is_not_read_with_a_warning()
    {
        var path = _dir.Combine(PerItemFiles.JsonlName);
        // Sparse: a real file of that length without writing it.
        using (var file = File.Create(path)) file.SetLength(PerItemFiles.MaxBytes + 1);

        Read().ShouldBeNull();

        _warnings.ShouldHaveSingleItem().ShouldBe($"{path}: is larger than the 64 MiB read at most; it was not read");
    }

    [Fact]
    public void Given_an_overlong_line_and_more_rows_than_the_limit_when_read_then_both_are_cut_with_a_warning_each()
    {
        var text = new System.Text.StringBuilder("id,score\n");
        text.Append("long,").Append('1', PerItemFiles.MaxLineBytes).Append('\n');
        for (var i = 0; i < PerItemFiles.MaxRows + 5; i++) text.Append('r').Append(i).Append(",1\n");
        var path = _dir.File(PerItemFiles.CsvName, text.ToString());

        var table = Read()!;

        table.Rows.Count.ShouldBe(PerItemFiles.MaxRows);
        table.Rows.ShouldNotContain(r => r.Id == "long");
        _warnings.ShouldBe([$"{path}:2: is longer than 1 MiB; skipped", $"{path}:{PerItemFiles.MaxRows + 3}: more than 100000 items; the rest was not read"]);
    }

    [Fact]
    public void Given_a_job_with_a_real_inspect_log_and_no_table_when_read_then_its_samples_are_the_items()
    {
        // log_read_sample.eval: one sample, id 1, scorer match with value C.
        Directory.CreateDirectory(_dir.Combine("logs"));
        File.Copy(Fixtures.PathOf(Fixtures.ReadSample), _dir.Combine("logs", Fixtures.ReadSample));

        var table = Read()!;

        _warnings.ShouldBeEmpty();
        table.Columns.ShouldBe(["match"]);
        table.Rows.ShouldHaveSingleItem().ShouldSatisfyAllConditions(r => r.Id.ShouldBe("1"), r => r.Scores.ShouldBe([1.0]));
    }

    [Fact]
    public void Given_an_inspect_log_whose_summaries_expand_past_the_limit_when_read_then_it_is_not_decompressed_and_is_a_warning()
    {
        // summaries.json: 65 MiB of spaces inside a JSON array, from a zip of a few hundred KiB. (An entry that
        // declares less than it holds is cut at the declared size by the zip reader, and fails as JSON.)
        var path = _dir.Combine("logs", "bomb.eval");
        ZipBomb.Write(path, "summaries.json", "[", (byte)' ', 65, "]");

        Read().ShouldBeNull();

        _warnings.ShouldHaveSingleItem().ShouldBe($"{path}: its samples could not be read: summaries.json expands to more than the 64 MiB read at most");
    }

    [Fact]
    public void Given_an_inspect_log_that_is_not_a_zip_when_read_then_it_is_a_warning_not_an_exception()
    {
        var path = _dir.File("logs/broken.eval", "PK not really a zip");

        Read().ShouldBeNull();

        _warnings.ShouldHaveSingleItem().ShouldStartWith($"{path}: its samples could not be read");
    }
}
