using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Specs;

namespace Expt.Catalog;

/// <summary>Where a value of a job comes from: its config (a param) or its metrics files.</summary>
public enum ValueSource
{
    /// <summary>A resolved param (or cell value) from config.json.</summary>
    Param = 0,

    /// <summary>A scalar metric (metrics.json, the last value of a metrics.jsonl series, Inspect logs).</summary>
    Metric = 1,
}

/// <summary>The JSON type of a stored value, so it can be given back as it was written.</summary>
public enum ValueKind
{
    /// <summary>A number (<see cref="CatalogValue.Number"/>).</summary>
    Number = 0,

    /// <summary>A string (<see cref="CatalogValue.Text"/>).</summary>
    Text = 1,

    /// <summary>A boolean: 1/0 in <see cref="CatalogValue.Number"/> and <c>true</c>/<c>false</c> in <see cref="CatalogValue.Text"/>.</summary>
    Boolean = 2,

    /// <summary>A list or map, as compact JSON in <see cref="CatalogValue.Text"/>.</summary>
    Json = 3,
}

/// <summary>One named value of a job as the catalog stores it.</summary>
/// <param name="Source">Param or metric.</param>
/// <param name="Name">The param or metric name.</param>
/// <param name="Kind">The JSON type.</param>
/// <param name="Number">The number (and 1/0 for booleans), else null.</param>
/// <param name="Text">The string, <c>true</c>/<c>false</c>, or compact JSON, else null.</param>
public sealed record CatalogValue(ValueSource Source, string Name, ValueKind Kind, double? Number, string? Text)
{
    /// <summary>The value as shown in a table: numbers in invariant culture, everything else as text.</summary>
    public string Display => Kind == ValueKind.Number && Number is not null ? FormatNumber(Number) : Text ?? "";

    /// <summary>The value as JSON, the type it was written with.</summary>
    public JsonNode? ToJson() => Kind switch
    {
        ValueKind.Number => Number is { } n && double.IsFinite(n) ? JsonValue.Create(n) : JsonValue.Create(FormatNumber(Number)),
        ValueKind.Boolean => JsonValue.Create(Number is > 0),
        ValueKind.Json => Text is null ? null : JsonNode.Parse(Text),
        _ => JsonValue.Create(Text),
    };

    /// <summary>A param value from config.json; null for JSON null (nothing to filter on).</summary>
    /// <remarks>
    /// The value's JSON kind decides, not its CLR type: a <see cref="JsonValue"/> parsed from a file holds a
    /// <see cref="System.Text.Json.JsonElement"/>, one made by the planner holds a <see cref="long"/>, <see cref="int"/>,
    /// <see cref="double"/> or <see cref="decimal"/>, and <c>TryGetValue&lt;double&gt;</c> converts only the first.
    /// </remarks>
    public static CatalogValue? FromParam(string name, JsonNode? node) => node switch
    {
        null => null,
        JsonArray or JsonObject => new CatalogValue(ValueSource.Param, name, ValueKind.Json, null, ParamValues.ToCompactJson(node)),
        JsonValue v when v.TryGetValue<bool>(out var b) => new CatalogValue(ValueSource.Param, name, ValueKind.Boolean, b ? 1 : 0, b ? "true" : "false"),
        JsonValue v when v.TryGetValue<string>(out var s) => new CatalogValue(ValueSource.Param, name, ValueKind.Text, null, s),
        JsonValue v when NumberOf(v) is { } d => new CatalogValue(ValueSource.Param, name, ValueKind.Number, d, null),
        _ => new CatalogValue(ValueSource.Param, name, ValueKind.Json, null, node.ToJsonString()),
    };

    private static double? NumberOf(JsonValue value)
    {
        // Floating-point first: NaN and infinities have no JSON text to parse.
        if (value.TryGetValue<double>(out var d)) return d;
        if (value.TryGetValue<float>(out var f)) return f;
        if (value.GetValueKind() != JsonValueKind.Number) return null;
        // Every other numeric backing (long, int, decimal, byte, …) writes its JSON number text, which reads back exactly
        // as far as a double can hold it.
        return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>A scalar metric.</summary>
    public static CatalogValue FromMetric(string name, MetricValue value) => value.Kind switch
    {
        MetricKind.Number => new CatalogValue(ValueSource.Metric, name, ValueKind.Number, value.AsNumber, value.AsNumber is { } n && !double.IsFinite(n) ? value.ToString() : null),
        MetricKind.Boolean => new CatalogValue(ValueSource.Metric, name, ValueKind.Boolean, value.AsBoolean == true ? 1 : 0, value.ToString()),
        _ => new CatalogValue(ValueSource.Metric, name, ValueKind.Text, null, value.AsText),
    };

    /// <summary>A number as shown: shortest round-trip form, invariant culture.</summary>
    public static string FormatNumber(double? n) => n is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
}

/// <summary>One job as the catalog stores it.</summary>
/// <param name="Id">The job id (its directory below the run).</param>
/// <param name="Ordinal">Its position in the manifest.</param>
/// <param name="Variant">The variant.</param>
/// <param name="Kind">The variant's kind.</param>
/// <param name="Stage">The stage.</param>
/// <param name="State">The state name (<c>succeeded</c>, <c>timed_out</c>, …).</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="ExitCode">Exit code of the last attempt.</param>
/// <param name="Started">When the last attempt started.</param>
/// <param name="Ended">When the job ended.</param>
/// <param name="Duration">Wall seconds over every attempt.</param>
/// <param name="Directory">The job directory relative to the run directory.</param>
/// <param name="Values">Its params and metrics.</param>
public sealed record CatalogJob(
    string Id,
    int Ordinal,
    string Variant,
    string Kind,
    string Stage,
    string State,
    int Attempts,
    int? ExitCode,
    DateTimeOffset? Started,
    DateTimeOffset? Ended,
    double? Duration,
    string Directory,
    IReadOnlyList<CatalogValue> Values)
{
    /// <summary>User + system CPU seconds over every attempt, when measured.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>GPU-seconds (wall × GPUs held) over every attempt.</summary>
    public double? GpuSeconds { get; init; }

    /// <summary>The largest peak resident memory of any attempt, MiB, when measured.</summary>
    public double? PeakRssMb { get; init; }

    /// <summary>Bytes under the job's directory when it ended (<see cref="Recording.JobStatus.OutputBytes"/>), when recorded.</summary>
    public long? OutputBytes { get; init; }

    /// <summary>The job's files left unread when it was indexed (not regular files, over a size limit), each as <c>path: why</c>. Not stored.</summary>
    public IReadOnlyList<string> NotRead { get; init; } = [];
}

/// <summary>One run as the catalog stores it, with the stamp of the files it was read from.</summary>
/// <param name="Location">The run directory (or archive pointer file) relative to the results root, '/'-separated.</param>
/// <param name="Stamp">The <see cref="RunStamp"/> of its files when they were read.</param>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunId">The run id.</param>
/// <param name="Directory">Absolute directory of the run's files (the archive, for an archived run).</param>
/// <param name="Commit">The full commit hash (<c>nogit</c> outside a repository).</param>
/// <param name="Dirty">Whether the working tree had changes.</param>
/// <param name="Branch">The branch.</param>
/// <param name="Host">Where it was started.</param>
/// <param name="Question">The research question.</param>
/// <param name="Executor">local or slurm.</param>
/// <param name="Created">When the run was created.</param>
/// <param name="Ended">When the last runner session ended.</param>
/// <param name="Updated">When the manifest was last brought up to date.</param>
/// <param name="ArchivedTo">Where the run was archived, when it was.</param>
/// <param name="Jobs">Every job, in manifest order (null when only the run's own fields are being updated).</param>
public sealed record CatalogRun(
    string Location,
    string Stamp,
    string Experiment,
    string RunId,
    string Directory,
    string Commit,
    bool Dirty,
    string? Branch,
    string? Host,
    string? Question,
    string Executor,
    DateTimeOffset Created,
    DateTimeOffset? Ended,
    DateTimeOffset Updated,
    string? ArchivedTo,
    IReadOnlyList<CatalogJob>? Jobs)
{
    /// <summary>The spec's notes and those added with <c>expt note</c> (<see cref="Recording.RunNotes.Text"/>); null when none.</summary>
    public string? Notes { get; init; }

    /// <summary>How many jobs of its spec no runner of the run selected: they are not among <see cref="Jobs"/>.</summary>
    public int NotSelected { get; init; }
}
