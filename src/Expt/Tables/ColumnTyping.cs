using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Reporting;
using Expt.Specs;

namespace Expt.Tables;

/// <summary>
/// Types a column from its values, the same way for every source: integers only → <see cref="TableColumnType.Int64"/>;
/// numbers (and the texts <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> that stand for numbers JSON cannot hold) →
/// <see cref="TableColumnType.Double"/>; booleans only → <see cref="TableColumnType.Boolean"/>; ISO 8601 instants only
/// (<c>2026-11-29T21:12:00.123Z</c>) → <see cref="TableColumnType.Timestamp"/>; anything else, or a mix, →
/// <see cref="TableColumnType.String"/>. A column with no value at all is a string column.
/// </summary>
public static class ColumnTyping
{
    /// <summary>The type of JSON values.</summary>
    public static TableColumnType Infer(IEnumerable<JsonNode?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Infer(values.Select(Classify));
    }

    /// <summary>The type of text cells (CSV): empty cells are nulls.</summary>
    public static TableColumnType InferText(IEnumerable<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        return Infer(cells.Select(ClassifyText));
    }

    /// <summary>A JSON value as a value of <paramref name="type"/> (null stays null).</summary>
    public static object? Convert(JsonNode? value, TableColumnType type)
    {
        if (value is null) return null;
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Null:
                    return null;
                case JsonValueKind.String:
                    return ConvertText(v.GetValue<string>(), type, emptyIsNull: false);
                case JsonValueKind.True or JsonValueKind.False:
                    return type == TableColumnType.Boolean ? v.GetValue<bool>() : v.ToJsonString();
                case JsonValueKind.Number:
                    var text = v.ToJsonString();
                    if (type == TableColumnType.Int64 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
                    if (type == TableColumnType.Double && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                    return CsvExporter.Cell(v);
            }
        }
        return ParamValues.ToCompactJson(value);
    }

    /// <summary>A text cell as a value of <paramref name="type"/>; with <paramref name="emptyIsNull"/> an empty cell is null.</summary>
    public static object? ConvertText(string? text, TableColumnType type, bool emptyIsNull = true)
    {
        if (text is null || (emptyIsNull && text.Length == 0)) return null;
        return type switch
        {
            TableColumnType.Int64 => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
            TableColumnType.Double => ParseDouble(text),
            TableColumnType.Boolean => bool.Parse(text),
            TableColumnType.Timestamp => ParseInstant(text),
            _ => text,
        };
    }

    private enum Kind
    {
        Null,
        Integer,
        Number,
        Boolean,
        Instant,
        Text,
    }

    private static TableColumnType Infer(IEnumerable<Kind> kinds)
    {
        var seen = new HashSet<Kind>();
        foreach (var kind in kinds)
        {
            if (kind == Kind.Text) return TableColumnType.String;
            if (kind != Kind.Null) seen.Add(kind);
        }
        if (seen.Count == 0) return TableColumnType.String;
        if (seen.All(k => k == Kind.Integer)) return TableColumnType.Int64;
        if (seen.All(k => k is Kind.Integer or Kind.Number)) return TableColumnType.Double;
        if (seen.Count == 1 && seen.Contains(Kind.Boolean)) return TableColumnType.Boolean;
        if (seen.Count == 1 && seen.Contains(Kind.Instant)) return TableColumnType.Timestamp;
        return TableColumnType.String;
    }

    private static Kind Classify(JsonNode? value)
    {
        if (value is not JsonValue v) return value is null ? Kind.Null : Kind.Text;
        return v.GetValueKind() switch
        {
            JsonValueKind.Null => Kind.Null,
            JsonValueKind.True or JsonValueKind.False => Kind.Boolean,
            JsonValueKind.Number => !IsFloat(v) && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? Kind.Integer : Kind.Number,
            JsonValueKind.String => ClassifyString(v.GetValue<string>()),
            _ => Kind.Text,
        };
    }

    // A JsonValue made from a double (5.0) stays a double even when whole: the job wrote a float.
    private static bool IsFloat(JsonValue v) => v.GetValue<object>() is double or float or decimal;

    private static Kind ClassifyString(string text) =>
        text is "NaN" or "Infinity" or "-Infinity" ? Kind.Number : LooksLikeInstant(text) ? Kind.Instant : Kind.Text;

    private static Kind ClassifyText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Kind.Null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return Kind.Integer;
        if (text is "NaN" or "Infinity" or "-Infinity" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return Kind.Number;
        if (bool.TryParse(text, out _)) return Kind.Boolean;
        return LooksLikeInstant(text) ? Kind.Instant : Kind.Text;
    }

    private static bool LooksLikeInstant(string text) =>
        text.Length is >= 20 and <= 35 && text[4] == '-' && text[10] == 'T' && (text.EndsWith('Z') || text[^6] is '+' or '-')
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
}
