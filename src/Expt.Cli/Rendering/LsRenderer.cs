using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>The tables and JSON of <c>expt ls</c>.</summary>
internal static class LsRenderer
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteRuns(TextWriter output, IReadOnlyList<RunRow> rows, bool verbose)
    {
        string[] headers = ["EXPERIMENT", "RUN", "COMMIT", "DIRTY", "CREATED", "JOBS", "DURATION"];
        if (verbose) headers = [.. headers, "BRANCH", "HOST", "EXECUTOR", "QUESTION", "ARCHIVED"];
        var table = new TextTable(headers);
        foreach (var r in rows)
        {
            string[] cells = [r.Experiment, r.Archived ? r.RunId + " (archived)" : r.RunId, Short(r.Commit), r.Dirty ? "dirty" : "", Time(r.Created), States(r.States) + RunReportRenderer.NotSelected(r.NotSelected), Duration(r.Duration)];
            if (verbose) cells = [.. cells, r.Branch ?? "", r.Host ?? "", r.Executor, r.Question ?? "", r.ArchivedTo ?? ""];
            table.Add(cells);
        }
        table.WriteTo(output);
        output.WriteLine($"{rows.Count} run(s)");
    }

    public static void WriteJobs(TextWriter output, IReadOnlyList<JobRow> rows, bool verbose)
    {
        // Values are shared between rows (the catalog hands out one instance per distinct param value), so each is
        // formatted once.
        var shown = new Dictionary<CatalogValue, string>(ReferenceEqualityComparer.Instance);
        string Show(CatalogValue? v)
        {
            if (v is null) return "";
            if (!shown.TryGetValue(v, out var text)) shown[v] = text = v.Display;
            return text;
        }

        var severalExperiments = rows.Count > 0 && rows.Any(r => !string.Equals(r.Experiment, rows[0].Experiment, StringComparison.Ordinal));
        var allParams = new HashSet<string>(StringComparer.Ordinal);
        var allMetrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            foreach (var kv in r.Params) allParams.Add(kv.Key);
            foreach (var kv in r.Metrics) allMetrics.Add(kv.Key);
        }
        // Without -v only the params that tell the rows apart: the rest is the same on every line.
        var paramNames = allParams.Order(StringComparer.Ordinal).Where(n => verbose || Differs(rows, n, Show)).ToList();
        var metricNames = allMetrics.Order(StringComparer.Ordinal).ToList();
        // Labelled against every param, shown or not: with an unchanging param lr hidden, a metric lr must not read as it.
        var labels = new Expt.Reporting.ColumnLabels(allParams, allMetrics);
        var headers = new List<string>();
        if (severalExperiments) headers.Add("EXPERIMENT");
        headers.AddRange(["RUN", "JOB", "STATE", "DURATION"]);
        headers.AddRange(paramNames.Select(labels.Param));
        headers.AddRange(metricNames.Select(labels.Metric));
        var table = new TextTable([.. headers]);
        foreach (var r in rows)
        {
            var cells = new string[headers.Count];
            var c = 0;
            if (severalExperiments) cells[c++] = r.Experiment;
            cells[c++] = r.Archived ? r.RunId + " (archived)" : r.RunId;
            cells[c++] = r.Id;
            cells[c++] = r.State;
            cells[c++] = Duration(r.Duration);
            foreach (var n in paramNames) cells[c++] = Show(r.Params.GetValueOrDefault(n));
            foreach (var n in metricNames) cells[c++] = r.Metrics.GetValueOrDefault(n) is { } v ? Metric(v) : "";
            table.Add(cells);
        }
        table.WriteTo(output);
        output.WriteLine($"{rows.Count} job(s)");
    }

    private static bool Differs(IReadOnlyList<JobRow> rows, string name, Func<CatalogValue?, string> show)
    {
        if (rows.Count < 2) return false;
        var first = rows[0].Params.GetValueOrDefault(name);
        var firstText = first is null ? null : show(first);
        foreach (var r in rows)
        {
            var v = r.Params.GetValueOrDefault(name);
            if (ReferenceEquals(v, first)) continue;
            if (v is null || first is null || !string.Equals(show(v), firstText, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public static void WriteRunsJson(TextWriter output, IReadOnlyList<RunRow> rows)
    {
        var array = new JsonArray();
        foreach (var r in rows)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["experiment"] = r.Experiment,
                ["run"] = r.RunId,
                ["commit"] = r.Commit,
                ["dirty"] = r.Dirty,
                ["branch"] = r.Branch,
                ["host"] = r.Host,
                ["question"] = r.Question,
                ["executor"] = r.Executor,
                ["created"] = r.Created,
                ["ended"] = r.Ended,
                ["durationSeconds"] = r.Duration,
                ["jobs"] = r.Jobs,
                ["notSelected"] = r.NotSelected,
                ["states"] = new JsonObject(JobStates.All.Select(s => s.Name()).Where(r.States.ContainsKey).Select(s => KeyValuePair.Create(s, (JsonNode?)r.States[s]))),
                ["directory"] = r.Directory,
                ["archived"] = r.Archived,
                ["archivedTo"] = r.ArchivedTo,
            });
        }
        output.WriteLine(array.ToJsonString(Indented));
    }

    public static void WriteJobsJson(TextWriter output, IReadOnlyList<JobRow> rows)
    {
        // Written straight to one buffer rather than built as a JsonNode tree first: the same text, a fraction of the
        // objects (a listing can be tens of thousands of jobs).
        var buffer = new ArrayBufferWriter<byte>(1024 + (rows.Count * 768));
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Indented.Encoder }))
        {
            json.WriteStartArray();
            foreach (var r in rows)
            {
                json.WriteStartObject();
                json.WriteString("experiment", r.Experiment);
                json.WriteString("run", r.RunId);
                json.WriteString("job", r.Id);
                json.WriteString("variant", r.Variant);
                json.WriteString("kind", r.Kind);
                json.WriteString("stage", r.Stage);
                json.WriteString("state", r.State);
                json.WriteNumber("attempts", r.Attempts);
                if (r.ExitCode is { } exit) json.WriteNumber("exitCode", exit);
                else json.WriteNull("exitCode");
                json.WriteString("started", r.Started);
                json.WriteString("ended", r.Ended);
                if (r.Duration is { } duration) json.WriteNumber("durationSeconds", duration);
                else json.WriteNull("durationSeconds");
                json.WriteString("directory", r.Directory);
                json.WriteBoolean("archived", r.Archived);
                json.WritePropertyName("params");
                WriteValues(json, r.Params);
                json.WritePropertyName("metrics");
                WriteValues(json, r.Metrics);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteValues(Utf8JsonWriter json, IReadOnlyDictionary<string, CatalogValue> values)
    {
        json.WriteStartObject();
        foreach (var (name, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(name);
            if (value.ToJson() is { } node) node.WriteTo(json);
            else json.WriteNullValue();
        }
        json.WriteEndObject();
    }

    /// <summary>Metrics are shown to 4 significant digits: enough to compare, short enough for a table.</summary>
    private static string Metric(CatalogValue v) =>
        v.Kind == ValueKind.Number && v.Number is { } n ? n.ToString("G4", CultureInfo.InvariantCulture) : v.Display;

    private static string States(IReadOnlyDictionary<string, int> states) =>
        string.Join(", ", JobStates.All.Select(s => s.Name()).Where(states.ContainsKey).Select(s => $"{states[s].ToString(CultureInfo.InvariantCulture)} {s}"));

    private static string Short(string commit) => commit == "nogit" ? commit : commit[..Math.Min(7, commit.Length)];

    private static string Time(string iso) => iso.Length >= 16 ? iso[..10] + " " + iso[11..16] : iso;

    private static string Duration(double? seconds) => seconds is { } s ? Durations.Format(TimeSpan.FromSeconds(s)) : "";
}
