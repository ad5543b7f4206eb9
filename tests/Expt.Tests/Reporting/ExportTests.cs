using System.Text.Json.Nodes;
using Expt.Reporting;

namespace Expt.Tests.Reporting;

public sealed class ExportTests
{
    [Fact]
    public void Given_params_and_metrics_when_laid_out_then_fixed_fields_then_params_in_order_then_metrics()
    {
        var columns = ExportTable.Layout(["lr", "rank"], ["acc", "loss"]);

        columns.Select(c => c.Name).ShouldBe([.. ExportTable.Fields, "lr", "rank", "acc", "loss"]);
        columns.Take(ExportTable.Fields.Count).ShouldAllBe(c => c.Source == ExportColumnSource.Field);
    }

    [Fact]
    public void Given_a_metric_named_like_a_param_when_laid_out_then_the_metric_is_prefixed()
    {
        var columns = ExportTable.Layout(["lr", "steps"], ["lr", "steps_done"]);

        columns.Skip(ExportTable.Fields.Count).Select(c => (c.Name, c.Source, c.Key)).ShouldBe([
            ("lr", ExportColumnSource.Param, "lr"),
            ("steps", ExportColumnSource.Param, "steps"),
            ("metric.lr", ExportColumnSource.Metric, "lr"),
            ("steps_done", ExportColumnSource.Metric, "steps_done"),
        ]);
    }

    [Fact]
    public void Given_names_that_clash_with_fixed_fields_when_laid_out_then_param_and_metric_prefixes_keep_them_apart()
    {
        var columns = ExportTable.Layout(["state", "run"], ["state", "job", "metric.state"]);

        columns.Skip(ExportTable.Fields.Count).Select(c => c.Name).ShouldBe(["param.state", "param.run", "metric.state", "metric.job", "metric.metric.state"]);
        columns.Select(c => c.Name).ShouldBeUnique();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rlf", "\"cr\rlf\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("Ünïcødé 模型", "Ünïcødé 模型")]
    [InlineData("", "")]
    public void Given_a_field_when_quoted_then_rfc_4180(string field, string expected) =>
        CsvExporter.Quote(field).ShouldBe(expected);

    [Fact]
    public void Given_awkward_values_when_written_as_csv_then_a_strict_reader_gets_them_back()
    {
        var columns = ExportTable.Layout(["note", "tags", "cfg", "lr", "flag"], ["acc"]);
        var row = columns.ToDictionary(c => c.Name, c => (JsonNode?)null);
        row["job"] = "r1";
        row["note"] = "a, \"quoted\"\nsecond line — ünï";
        row["tags"] = new JsonArray("x", "y, z");
        row["cfg"] = new JsonObject { ["k"] = "v" };
        row["lr"] = JsonValue.Create(0.0001);
        row["flag"] = JsonValue.Create(true);
        row["acc"] = ExportTable.ToJson(Expt.Metrics.MetricValue.FromNumber(double.NaN));
        var table = new ExportTable(columns, [row]);

        var text = CsvExporter.ToText(table);
        var parsed = CsvText.Parse(text);

        parsed.Count.ShouldBe(2);
        parsed[0].ShouldBe(columns.Select(c => c.Name).ToList());
        var values = parsed[0].Zip(parsed[1]).ToDictionary(p => p.First, p => p.Second);
        values["note"].ShouldBe("a, \"quoted\"\nsecond line — ünï");
        values["tags"].ShouldBe("""["x","y, z"]""");
        values["cfg"].ShouldBe("""{"k":"v"}""");
        values["lr"].ShouldBe("0.0001");
        values["flag"].ShouldBe("true");
        values["acc"].ShouldBe("NaN");
        values["exit_code"].ShouldBe("");
        text.ShouldEndWith("\r\n");
    }

    [Fact]
    public void Given_a_table_when_written_as_jsonl_then_one_typed_object_per_row_with_every_column()
    {
        var columns = ExportTable.Layout(["tags", "lr"], ["acc"]);
        var row = columns.ToDictionary(c => c.Name, c => (JsonNode?)null);
        row["tags"] = new JsonArray("模型");
        row["lr"] = JsonValue.Create(0.5);
        row["attempts"] = JsonValue.Create(2);
        row["acc"] = ExportTable.ToJson(Expt.Metrics.MetricValue.FromNumber(1));

        var text = JsonlExporter.ToText(new ExportTable(columns, [row, row]));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines[0].ShouldContain("模型"); // kept as is, not \u-escaped
        var o = JsonNode.Parse(lines[0])!.AsObject();
        o.Select(kv => kv.Key).ShouldBe(columns.Select(c => c.Name));
        o["lr"]!.GetValue<double>().ShouldBe(0.5);
        o["attempts"]!.GetValue<int>().ShouldBe(2);
        o["acc"]!.GetValue<double>().ShouldBe(1);
        o["tags"]!.AsArray().Single()!.GetValue<string>().ShouldBe("模型");
        o["exit_code"].ShouldBeNull();
    }

    [Fact]
    public void Given_metrics_written_as_5_and_5_0_when_exported_as_jsonl_then_the_integer_stays_an_integer_and_the_float_a_float()
    {
        // Given: a job's metrics.json read by the metrics reader.
        using var job = new Expt.Tests.Metrics.TempJobDirectory();
        job.Write("metrics.json", """{"steps": 5, "acc": 5.0, "big": 1e3, "neg": -7}""");
        var scalars = Expt.Metrics.MetricsReader.Read(job.Path).Scalars;
        var columns = ExportTable.Layout([], ["acc", "big", "neg", "steps"]);
        var row = columns.ToDictionary(c => c.Name, c => (JsonNode?)null);
        foreach (var name in new[] { "acc", "big", "neg", "steps" }) row[name] = ExportTable.ToJson(scalars[name]);

        // When
        var line = JsonlExporter.ToText(new ExportTable(columns, [row]));
        var csv = CsvExporter.ToText(new ExportTable(columns, [row]));

        // Then
        line.ShouldContain("\"acc\":5.0,\"big\":1000.0,\"neg\":-7,\"steps\":5}");
        csv.ShouldEndWith(",5,1000,-7,5\r\n");
        scalars["steps"].ShouldBe(Expt.Metrics.MetricValue.FromNumber(5)); // how it was written does not change its value
    }
}
