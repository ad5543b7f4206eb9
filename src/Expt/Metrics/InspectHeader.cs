using System.Globalization;
using System.Text.Json;

namespace Expt.Metrics;

/// <summary>
/// The fields Expt takes from an Inspect <c>EvalLog</c> object (the top level of <c>header.json</c>,
/// <c>_journal/start.json</c> and the older <c>.json</c> log), filled in one top-level property at a time.
/// </summary>
internal sealed class InspectHeader
{
    public int? Version { get; set; }

    public string? Status { get; set; }

    public bool HasEval { get; private set; }

    public string? Task { get; private set; }

    public string? TaskId { get; private set; }

    public string? Model { get; private set; }

    public string? Created { get; private set; }

    public int? DatasetSamples { get; private set; }

    public int? TotalSamples { get; private set; }

    public int? CompletedSamples { get; private set; }

    public string? StartedAt { get; private set; }

    public string? CompletedAt { get; private set; }

    public string? ErrorMessage { get; private set; }

    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>Metric values that were neither numbers nor null, by <c>{score}/{metric}</c> name.</summary>
    public List<string> NonNumericMetrics { get; } = [];

    /// <summary>The <c>eval</c> object (EvalSpec).</summary>
    public void ReadEval(JsonElement eval)
    {
        if (eval.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        HasEval = true;
        Task = GetString(eval, "task");
        TaskId = GetString(eval, "task_id");
        Model = GetString(eval, "model");
        Created = GetString(eval, "created");
        if (eval.TryGetProperty("dataset", out JsonElement dataset) && dataset.ValueKind == JsonValueKind.Object)
        {
            DatasetSamples = GetInt(dataset, "samples");
        }
    }

    /// <summary>The <c>results</c> object (EvalResults); null while running and for errors.</summary>
    public void ReadResults(JsonElement results)
    {
        if (results.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        TotalSamples = GetInt(results, "total_samples");
        CompletedSamples = GetInt(results, "completed_samples");
        if (results.TryGetProperty("scores", out JsonElement scores) && scores.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement score in scores.EnumerateArray())
            {
                if (score.ValueKind == JsonValueKind.Object
                    && (GetString(score, "name") ?? GetString(score, "scorer")) is { } scoreName
                    && score.TryGetProperty("metrics", out JsonElement metrics))
                {
                    ReadMetrics(scoreName, metrics);
                }
            }
        }
        else if (results.TryGetProperty("scorer", out JsonElement scorer)
                 && scorer.ValueKind == JsonValueKind.Object
                 && GetString(scorer, "name") is { } legacyName
                 && results.TryGetProperty("metrics", out JsonElement legacyMetrics))
        {
            // Logs from before Inspect supported several scorers: one `scorer` and top-level `metrics`.
            ReadMetrics(legacyName, legacyMetrics);
        }
    }

    /// <summary>The <c>stats</c> object (EvalStats).</summary>
    public void ReadStats(JsonElement stats)
    {
        if (stats.ValueKind == JsonValueKind.Object)
        {
            StartedAt = GetString(stats, "started_at");
            CompletedAt = GetString(stats, "completed_at");
        }
    }

    /// <summary>The <c>error</c> object (EvalError), present when the status is <c>error</c>.</summary>
    public void ReadError(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.Object)
        {
            ErrorMessage = GetString(error, "message");
        }
    }

    private void ReadMetrics(string scoreName, JsonElement metrics)
    {
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty metric in metrics.EnumerateObject())
        {
            string name = $"{scoreName}/{metric.Name}";
            JsonElement value = metric.Value.ValueKind == JsonValueKind.Object && metric.Value.TryGetProperty("value", out JsonElement v)
                ? v
                : metric.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    Metrics[name] = value.GetDouble();
                    break;
                case JsonValueKind.String when TryParseNonFinite(value.GetString(), out double nonFinite):
                    Metrics[name] = nonFinite;
                    break;
                case JsonValueKind.Null:
                    // Pydantic writes NaN as null: a metric that could not be computed (e.g. stderr of one sample).
                    break;
                default:
                    NonNumericMetrics.Add(name);
                    break;
            }
        }
    }

    private static bool TryParseNonFinite(string? text, out double value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "Infinity" or "inf" => double.PositiveInfinity,
            "-Infinity" or "-inf" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : null;

    /// <summary>Inspect's timestamps are ISO 8601 with an offset; an empty string means "not set".</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset? timestamp)
    {
        timestamp = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            timestamp = parsed;
            return true;
        }

        return false;
    }
}
