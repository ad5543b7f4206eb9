using System.Text.Json;

namespace Expt.Metrics;

/// <summary>
/// Reads a JSON object as flat metrics: numbers, strings and booleans become values, nested objects
/// are flattened with dotted names (<c>{"a": {"b": 1}}</c> is <c>a.b</c>), <c>null</c> is "no value"
/// (Python's <c>None</c>) and is skipped, and arrays are not metrics and are reported.
/// </summary>
internal static class FlatJsonObject
{
    /// <summary>Options shared by every metrics parser: strict JSON, as the jobs are meant to write.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The UTF-8 byte order mark, which Windows tools write and <see cref="Utf8JsonReader"/> rejects.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Reads from the reader's <see cref="JsonTokenType.StartObject"/> to its matching end.
    /// </summary>
    /// <param name="reader">A reader on a start-of-object token.</param>
    /// <param name="names">The name builder (empty at the top level).</param>
    /// <param name="values">Receives the values in document order.</param>
    /// <param name="skipped">Receives the names of values that are not metrics (arrays, out-of-range numbers).</param>
    public static void Read(
        ref Utf8JsonReader reader,
        MetricNames names,
        List<KeyValuePair<string, MetricValue>> values,
        List<string> skipped)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            int mark = names.Push(ref reader);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    Read(ref reader, names, values, skipped);
                    break;
                case JsonTokenType.Number:
                    // TryGetInt64 takes only a plain whole number (no '.', no exponent): 5 stays 5 in exports, 5.0 stays 5.0.
                    if (reader.TryGetInt64(out long whole))
                    {
                        values.Add(new(names.Current(), MetricValue.FromInteger(whole)));
                    }
                    else if (reader.TryGetDouble(out double number))
                    {
                        values.Add(new(names.Current(), MetricValue.FromNumber(number)));
                    }
                    else
                    {
                        skipped.Add(names.Current());
                    }

                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    values.Add(new(names.Current(), MetricValue.FromBoolean(reader.GetBoolean())));
                    break;
                case JsonTokenType.String:
                    values.Add(new(names.Current(), NonFiniteJson.FromString(reader.GetString()!)));
                    break;
                case JsonTokenType.StartArray:
                    skipped.Add(names.Current());
                    reader.Skip();
                    break;
                default:
                    // null: the job had no value for this metric.
                    break;
            }

            names.Pop(mark);
        }
    }

    /// <summary>
    /// A parse error in words, without the reader's 0-based "LineNumber: 0 | BytePositionInLine: 5"
    /// suffix, which would contradict the 1-based line numbers Expt reports.
    /// </summary>
    public static string Describe(JsonException exception)
    {
        string message = exception.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0)
        {
            message = message[..suffix];
        }

        return exception.BytePositionInLine is { } position
            ? $"invalid JSON at byte {position + 1} of the line: {message}"
            : $"invalid JSON: {message}";
    }
}
