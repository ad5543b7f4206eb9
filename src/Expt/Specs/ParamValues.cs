using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Expt.Specs;

/// <summary>
/// Formatting and comparison of param values. Values are held as JSON nodes whose CLR type follows the
/// param type (long for int, double for float, bool, string), so the same value always renders the same way.
/// </summary>
public static class ParamValues
{
    /// <summary>The token passed for null on the command line.</summary>
    public const string NoneToken = "__none__";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly JsonWriterOptions IndentedOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
    };

    /// <summary>The value as one command-line argument (PRODUCT.md "How a job gets its config").</summary>
    public static string ToFlag(JsonNode? value) => value switch
    {
        null => NoneToken,
        JsonArray or JsonObject => ToCompactJson(value),
        _ => Scalar(value),
    };

    /// <summary>The value as shown to a person and used in variant names and placeholders.</summary>
    public static string ToDisplay(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray or JsonObject => ToCompactJson(value),
        _ => Scalar(value),
    };

    /// <summary>Compact JSON with non-ASCII text kept as is; floats always carry a decimal point or exponent.</summary>
    public static string ToCompactJson(JsonNode? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes an object of named values as indented JSON (config.json).</summary>
    public static string ToIndentedJson(IEnumerable<KeyValuePair<string, JsonNode?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, IndentedOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                Write(writer, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Writes one value, keeping floats recognisable as floats (<c>1.0</c>, not <c>1</c>).</summary>
    public static void Write(Utf8JsonWriter writer, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, item) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case JsonValue v when v.TryGetValue<double>(out var d) && v.GetValueKind() == JsonValueKind.Number && IsDouble(v):
                writer.WriteRawValue(FormatDouble(d, forJson: true));
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>Structural equality of two values.</summary>
    public static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        if (ReferenceEquals(a, b)) return true;
        // Whole numbers, strings and booleans of one kind compare by value; everything else (floats, lists, mixed
        // kinds) as JSON. The short cut matters: the planner compares every param of every variant with its default.
        if (a is JsonValue x && b is JsonValue y && x.GetValueKind() == y.GetValueKind())
        {
            if (x.TryGetValue<long>(out var l1) && y.TryGetValue<long>(out var l2)) return l1 == l2;
            if (x.TryGetValue<string>(out var s1) && y.TryGetValue<string>(out var s2)) return string.Equals(s1, s2, StringComparison.Ordinal);
            if (x.TryGetValue<bool>(out var b1) && y.TryGetValue<bool>(out var b2)) return b1 == b2;
        }
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>A deep copy (JSON nodes have a single parent).</summary>
    public static JsonNode? Clone(JsonNode? value) => value?.DeepClone();

    /// <summary>Invariant, round-trippable text for a double.</summary>
    public static string FormatDouble(double d, bool forJson = false)
    {
        if (double.IsNaN(d)) return forJson ? "NaN" : "nan";
        if (double.IsPositiveInfinity(d)) return forJson ? "Infinity" : "inf";
        if (double.IsNegativeInfinity(d)) return forJson ? "-Infinity" : "-inf";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        if (forJson && !s.Contains('.', StringComparison.Ordinal) && !s.Contains('E', StringComparison.Ordinal))
        {
            s += ".0";
        }
        return s;
    }

    private static bool IsDouble(JsonValue v) => v.TryGetValue<double>(out _) && !v.TryGetValue<long>(out _) && !v.TryGetValue<int>(out _)
        && v.GetValue<object>() is double or float;

    private static string Scalar(JsonNode value)
    {
        var v = value.AsValue();
        if (v.TryGetValue<string>(out var s)) return s;
        if (v.TryGetValue<bool>(out var b)) return b ? "true" : "false";
        if (v.TryGetValue<long>(out var l) && v.GetValue<object>() is long or int) return l.ToString(CultureInfo.InvariantCulture);
        if (v.TryGetValue<double>(out var d)) return FormatDouble(d);
        return v.ToJsonString();
    }
}
