using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Metrics;
using Expt.Recording;

namespace Expt.Tests.Catalog;

/// <summary>The binary encoding of a job's values (jobs.vals) gives back every value exactly as it was written.</summary>
[Collection(CatalogEnvironment.Name)]
public sealed class CatalogValuesTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-catalog-values");

    public void Dispose() => _dir.Dispose();

    /// <summary>Every kind of value: texts that would need escaping in JSON or TSV, numbers at the edges, booleans, lists and maps.</summary>
    private static readonly CatalogValue[] Every =
    [
        new(ValueSource.Param, "plain", ValueKind.Text, null, "llama-1b"),
        new(ValueSource.Param, "empty", ValueKind.Text, null, ""),
        new(ValueSource.Param, "tabs", ValueKind.Text, null, "a\tb\tc"),
        new(ValueSource.Param, "lines", ValueKind.Text, null, "line 1\nline 2\r\nline 3\n"),
        new(ValueSource.Param, "quotes", ValueKind.Text, null, "say \"hi\" and 'bye' \\ back\\slash"),
        new(ValueSource.Param, "unicode", ValueKind.Text, null, "café ñ 日本語 😀 \u0000 nul"),
        new(ValueSource.Param, "int", ValueKind.Number, 42, null),
        new(ValueSource.Param, "negative", ValueKind.Number, -7, null),
        new(ValueSource.Param, "big", ValueKind.Number, 9007199254740993, null),
        new(ValueSource.Param, "float", ValueKind.Number, 1e-3, null),
        new(ValueSource.Param, "zero", ValueKind.Number, 0.0, null),
        new(ValueSource.Param, "negzero", ValueKind.Number, -0.0, null),
        new(ValueSource.Param, "max", ValueKind.Number, double.MaxValue, null),
        new(ValueSource.Param, "epsilon", ValueKind.Number, double.Epsilon, null),
        new(ValueSource.Param, "true", ValueKind.Boolean, 1, "true"),
        new(ValueSource.Param, "false", ValueKind.Boolean, 0, "false"),
        new(ValueSource.Param, "list", ValueKind.Json, null, "[1,\"two\",[3.5,null],{\"k\":\"v\\tw\"}]"),
        new(ValueSource.Param, "map", ValueKind.Json, null, "{\"a\":{\"b\":[true,false]},\"é\":\"\\n\"}"),
        new(ValueSource.Param, "null", ValueKind.Json, null, null),
        new(ValueSource.Metric, "accuracy", ValueKind.Number, 0.8472, null),
        new(ValueSource.Metric, "nan", ValueKind.Number, double.NaN, "NaN"),
        new(ValueSource.Metric, "inf", ValueKind.Number, double.PositiveInfinity, "Infinity"),
        new(ValueSource.Metric, "-inf", ValueKind.Number, double.NegativeInfinity, "-Infinity"),
        new(ValueSource.Metric, "passed", ValueKind.Boolean, 1, "true"),
        new(ValueSource.Metric, "grade", ValueKind.Text, null, "A\t+"),
        new(ValueSource.Metric, "no number", ValueKind.Number, null, null),
    ];

    private static (CatalogValue[] Values, int Params) RoundTrip(IReadOnlyList<CatalogValue> values, Dictionary<(long, byte, long, string?), CatalogValue>? shared = null)
    {
        // Ids as value_names gives them, from 1, past 127 so that some take two varint bytes.
        var ids = new Dictionary<(ValueSource, string), long>();
        var names = new (ValueSource Source, string Name)?[400];
        long Id(ValueSource source, string name)
        {
            if (!ids.TryGetValue((source, name), out var id))
            {
                id = 120 + (ids.Count * 3) + 1;
                ids[(source, name)] = id;
                names[id] = (source, name);
            }
            return id;
        }

        var blob = CatalogValues.Encode(values, Id);
        var decoded = CatalogValues.Decode(blob, names, [], out var paramCount, shared);
        return (decoded, paramCount);
    }

    [Fact]
    public void Given_every_kind_of_value_when_encoded_and_decoded_then_each_comes_back_exactly()
    {
        // When
        var (values, paramCount) = RoundTrip(Every);

        // Then
        values.Length.ShouldBe(Every.Length);
        paramCount.ShouldBe(Every.Count(v => v.Source == ValueSource.Param));
        for (var i = 0; i < Every.Length; i++)
        {
            var (expected, actual) = (Every[i], values[i]);
            actual.Source.ShouldBe(expected.Source, expected.Name);
            actual.Name.ShouldBe(expected.Name);
            actual.Kind.ShouldBe(expected.Kind, expected.Name);
            actual.Text.ShouldBe(expected.Text, expected.Name);
            (actual.Number is null).ShouldBe(expected.Number is null, expected.Name);
            if (expected.Number is { } n) BitConverter.DoubleToInt64Bits(actual.Number!.Value).ShouldBe(BitConverter.DoubleToInt64Bits(n), expected.Name);
            actual.Display.ShouldBe(expected.Display, expected.Name);
        }
    }

    [Fact]
    public void Given_metrics_before_params_when_decoded_then_params_come_first_each_in_written_order()
    {
        // Given
        CatalogValue[] values =
        [
            new(ValueSource.Metric, "loss", ValueKind.Number, 0.5, null),
            new(ValueSource.Param, "lr", ValueKind.Number, 0.1, null),
            new(ValueSource.Metric, "accuracy", ValueKind.Number, 0.9, null),
            new(ValueSource.Param, "model", ValueKind.Text, null, "m"),
        ];

        // When
        var (decoded, paramCount) = RoundTrip(values);

        // Then
        paramCount.ShouldBe(2);
        decoded.Select(v => v.Name).ShouldBe(["lr", "model", "loss", "accuracy"]);
    }

    [Fact]
    public void Given_the_same_name_twice_when_encoded_then_the_last_value_is_kept_and_a_param_and_a_metric_of_one_name_stay_apart()
    {
        // Given
        CatalogValue[] values =
        [
            new(ValueSource.Metric, "loss", ValueKind.Number, 0.5, null),
            new(ValueSource.Param, "loss", ValueKind.Text, null, "ce"),
            new(ValueSource.Metric, "loss", ValueKind.Number, 0.25, null),
        ];

        // When
        var (decoded, paramCount) = RoundTrip(values);

        // Then
        paramCount.ShouldBe(1);
        decoded.ShouldBe([values[1], values[2]]);
    }

    [Fact]
    public void Given_equal_param_values_in_two_jobs_when_decoded_with_sharing_then_they_are_one_instance_and_metrics_are_not_shared()
    {
        // Given
        var shared = new Dictionary<(long, byte, long, string?), CatalogValue>();
        CatalogValue[] job =
        [
            new(ValueSource.Param, "lr", ValueKind.Number, 1e-3, null),
            new(ValueSource.Param, "model", ValueKind.Text, null, "llama-1b"),
            new(ValueSource.Metric, "accuracy", ValueKind.Number, 0.5, null),
        ];
        CatalogValue[] other = [new(ValueSource.Param, "lr", ValueKind.Number, 1e-2, null), new(ValueSource.Param, "model", ValueKind.Text, null, "llama-3b")];

        // When
        var (first, _) = RoundTrip(job, shared);
        var (second, _) = RoundTrip(job, shared);
        var (third, _) = RoundTrip(other, shared);

        // Then
        first[0].ShouldBeSameAs(second[0]);
        first[1].ShouldBeSameAs(second[1]);
        first[2].ShouldNotBeSameAs(second[2]);
        first[2].ShouldBe(second[2]);
        third.ShouldBe(other);
    }

    [Fact]
    public void Given_no_values_when_encoded_then_the_blob_is_empty_and_decodes_to_nothing()
    {
        var (values, paramCount) = RoundTrip([]);
        values.ShouldBeEmpty();
        paramCount.ShouldBe(0);
    }

    [Fact]
    public void Given_a_blob_naming_an_unknown_id_when_decoded_then_it_is_invalid_data()
    {
        var blob = CatalogValues.Encode([new CatalogValue(ValueSource.Param, "lr", ValueKind.Number, 1, null)], (_, _) => 5);
        Should.Throw<InvalidDataException>(() => CatalogValues.Decode(blob, new (ValueSource, string)?[3], [], out _));
    }

    [Fact]
    public void Given_a_map_of_values_when_looked_up_then_it_behaves_as_a_dictionary_small_or_large()
    {
        foreach (var count in new[] { 0, 3, 40 })
        {
            // Given
            var values = Enumerable.Range(0, count).Select(i => new CatalogValue(ValueSource.Metric, "m" + i, ValueKind.Number, i, null)).ToArray();
            var map = new CatalogValueMap(values, 0, count);

            // Then
            map.Count.ShouldBe(count);
            map.Keys.ShouldBe(values.Select(v => v.Name));
            foreach (var v in values) map[v.Name].ShouldBeSameAs(v);
            map.ContainsKey("absent").ShouldBeFalse();
            map.GetValueOrDefault("absent").ShouldBeNull();
            Should.Throw<KeyNotFoundException>(() => map["absent"]);
            map.Select(kv => kv.Key).ShouldBe(values.Select(v => v.Name));
        }
    }

    [Fact]
    public void Given_params_of_every_json_type_on_disk_when_listed_then_the_catalog_gives_them_back_as_config_json_has_them()
    {
        // Given
        var root = _dir.Combine("results");
        var dir = RunFiles.Write(root, "types", "20260102_030405_0123456",
            [new JobSpec("j", JobState.Succeeded, new Dictionary<string, object> { ["x"] = 1 }, new Dictionary<string, double> { ["accuracy"] = 0.25 })]);
        var config = """
            {
              "text": "tab\there \"quoted\" 'single' back\\slash\nnew line café 😀",
              "int": 42,
              "float": 0.001,
              "big": 12345678901234567,
              "yes": true,
              "no": false,
              "nothing": null,
              "list": [1, "two", [3.5, null], {"k": "v"}],
              "map": {"a": {"b": [true, false]}, "é": "\n"}
            }
            """;
        File.WriteAllText(Path.Combine(dir, "j", "config.json"), config);
        var expected = JsonNode.Parse(config)!.AsObject()
            .Select(kv => CatalogValue.FromParam(kv.Key, kv.Value))
            .OfType<CatalogValue>()
            .ToDictionary(v => v.Name);

        // When
        var job = CatalogStore.Use(root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter())).Single();

        // Then
        job.Params.Count.ShouldBe(expected.Count);
        foreach (var (name, value) in expected) job.Params[name].ShouldBe(value, name);
        job.Params["list"].ToJson()!.ToJsonString().ShouldBe("[1,\"two\",[3.5,null],{\"k\":\"v\"}]");
        job.Params["yes"].ToJson()!.GetValue<bool>().ShouldBeTrue();
        job.Metrics["accuracy"].ShouldBe(CatalogValue.FromMetric("accuracy", MetricValue.FromNumber(0.25)));
    }

    [Fact]
    public void Given_runs_created_out_of_name_order_when_listed_without_sort_then_jobs_come_by_run_creation_then_manifest_order_and_a_limit_keeps_that_order()
    {
        // Given: "a-later" sorts first by name but was created last; jobs are written in manifest order z, a, m.
        var root = _dir.Combine("results");
        static JobSpec Job(string id) => new(id, JobState.Succeeded, new Dictionary<string, object> { ["x"] = 1 });
        RunFiles.Write(root, "e", "a-later", [Job("z"), Job("a"), Job("m")], new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        RunFiles.Write(root, "e", "b-earlier", [Job("q"), Job("b")], new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));

        // When
        var all = CatalogStore.Use(root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter()));
        var limited = CatalogStore.Use(root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Limit: 3)));

        // Then
        all.Select(j => j.RunId + "/" + j.Id).ShouldBe(["b-earlier/q", "b-earlier/b", "a-later/z", "a-later/a", "a-later/m"]);
        limited.Select(j => j.RunId + "/" + j.Id).ShouldBe(["b-earlier/q", "b-earlier/b", "a-later/z"]);
    }
}
