using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Expt.Reporting;

namespace Expt.Tables;

/// <summary>
/// Writes a <see cref="ResultTable"/> as text: CSV like <see cref="CsvExporter"/> (RFC 4180, empty field for null,
/// numbers in invariant culture, instants as ISO 8601 UTC) or JSON Lines like <see cref="JsonlExporter"/> (one object
/// per row, every column a key, null when empty; NaN and infinities as the strings JSON allows).
/// </summary>
public static class ResultTableText
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes CSV.</summary>
    public static void WriteCsv(ResultTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(string.Join(',', table.Columns.Select(c => CsvExporter.Quote(c.Name))));
        output.Write("\r\n");
        foreach (var row in table.Rows)
        {
            output.Write(string.Join(',', row.Select(v => CsvExporter.Quote(TableInspection.Text(v) ?? ""))));
            output.Write("\r\n");
        }
    }

    /// <summary>Writes JSON Lines.</summary>
    public static void WriteJsonl(ResultTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var row in table.Rows)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) WriteObject(writer, table, row);
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Write('\n');
        }
    }

    /// <summary>Writes one row as a JSON object.</summary>
    public static void WriteObject(Utf8JsonWriter writer, ResultTable table, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        writer.WriteStartObject();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            writer.WritePropertyName(table.Columns[c].Name);
            WriteValue(writer, row[c]);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes one value as JSON.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d:
                writer.WriteStringValue(Specs.ParamValues.FormatDouble(d, forJson: true));
                break;
            default:
                writer.WriteStringValue(TableInspection.Text(value));
                break;
        }
    }

    /// <summary>The table as CSV or JSON Lines text.</summary>
    public static string ToText(ResultTable table, bool jsonl)
    {
        using var writer = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        if (jsonl) WriteJsonl(table, writer);
        else WriteCsv(table, writer);
        return writer.ToString();
    }
}
