using System.Text.Json;
using System.Text.Json.Serialization;
using Expt.Internal;
using Expt.Metrics;

namespace Expt.Reporting;

/// <summary>The JSON conventions of report output (<c>--json</c>, JSONL export): those of Expt's files, plus metric values.</summary>
public static class ReportJson
{
    /// <summary>Indented output (<c>show --json</c>, <c>compare --json</c>).</summary>
    public static readonly JsonSerializerOptions Options = Create(JsonFiles.Options);

    /// <summary>
    /// Like <see cref="Options"/>, but an absent value is written as <c>null</c> rather than left out
    /// (<c>expt report --format json</c>: every row of a table has the same fields).
    /// </summary>
    public static readonly JsonSerializerOptions WithNulls = Create(JsonFiles.Options, writeNulls: true);

    private static JsonSerializerOptions Create(JsonSerializerOptions baseOptions, bool writeNulls = false)
    {
        var options = new JsonSerializerOptions(baseOptions);
        if (writeNulls) options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // A statistic of a diverged metric may be NaN or infinite: written as "NaN"/"Infinity", as metric values are.
        options.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new MetricValueConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// Writes a number, string or boolean as such. JSON has no NaN or infinity, so those (a diverged loss) are the
    /// strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>: kept, and still recognisable.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, MetricValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value.Kind)
        {
            case MetricKind.Number when double.IsFinite(value.AsNumber!.Value):
                writer.WriteNumberValue(value.AsNumber.Value);
                break;
            case MetricKind.Number:
                writer.WriteStringValue(Specs.ParamValues.FormatDouble(value.AsNumber!.Value, forJson: true));
                break;
            case MetricKind.Boolean:
                writer.WriteBooleanValue(value.AsBoolean!.Value);
                break;
            default:
                writer.WriteStringValue(value.AsText);
                break;
        }
    }

    private sealed class MetricValueConverter : JsonConverter<MetricValue>
    {
        public override MetricValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number => MetricValue.FromNumber(reader.GetDouble()),
            JsonTokenType.True => MetricValue.FromBoolean(true),
            JsonTokenType.False => MetricValue.FromBoolean(false),
            _ => MetricValue.FromText(reader.GetString() ?? ""),
        };

        public override void Write(Utf8JsonWriter writer, MetricValue value, JsonSerializerOptions options) => ReportJson.Write(writer, value);
    }
}
